"""Worker processes of `refresh_requests`: each sets Django up, then refreshes ranges of requests.

Spawned workers import this module before Django is set up, so it imports no models at the top.
"""

import django
from django.db import connection


def lift_statement_timeout():
    """Let this connection's statements run as long as they need: this is no web request."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


def start_worker(database_name):
    """Set up Django in a new worker process, on the database the command was run against."""
    django.setup()
    connection.settings_dict["NAME"] = database_name
    lift_statement_timeout()


def refresh_range(first, last, batch_size):
    """Refresh the requests whose primary keys run from `first` to `last`."""
    from campaigns.models import Request  # only once start_worker has set Django up
    from campaigns.services import requests_refresh

    requests = Request.objects.filter(pk__gte=first, pk__lte=last)
    return requests_refresh(requests=requests, batch_size=batch_size)
