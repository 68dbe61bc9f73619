"""Recompute every request's stored facts: rounds, status dates, reply timings, search text."""

from django.core.management.base import BaseCommand
from django.db import connection

from campaigns.models import Request
from campaigns.services import requests_refresh


def lift_statement_timeout():
    """Let this connection's statements run as long as they need: this is no web request."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


class Command(BaseCommand):
    help = (
        "Recompute every request's stored facts, reply timings and search text "
        "(after an upgrade, or after loading data in bulk)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        lift_statement_timeout()
        count = requests_refresh(requests=Request.objects.all(), batch_size=batch_size)
        self.stdout.write(self.style.SUCCESS(f"Refreshed {count} request(s)."))
