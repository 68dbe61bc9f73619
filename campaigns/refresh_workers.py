"""The database side of `refresh_requests`: its connection, its statistics, its worker processes.

Spawned workers import this module before Django is set up, so it imports no models at the top.
"""

import django
from django.apps import apps
from django.db import connection


def lift_statement_timeout():
    """Let this connection's statements run as long as they need: this is no web request."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


def tracker_tables():
    """Return the tables of the tracker's own models, many-to-many tables included."""
    models = apps.get_app_config("campaigns").get_models(include_auto_created=True)
    return [model._meta.db_table for model in models]


def statistics_refresh(*, vacuum=False):
    """PostgreSQL: ANALYZE (and VACUUM if asked) the tracker's tables; return the command run.

    Rows loaded in bulk leave the planner's statistics describing the tables as they were: it then
    reads every letter to find one batch's (1.3 s where 5 ms will do). ANALYZE samples each table,
    a few seconds at 100,000 requests. VACUUM cannot run in a transaction (as in tests).
    """
    if connection.vendor != "postgresql":
        return ""
    command = "VACUUM ANALYZE" if vacuum and not connection.in_atomic_block else "ANALYZE"
    tables = ", ".join(connection.ops.quote_name(table) for table in tracker_tables())
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {tables}")
    return command


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
