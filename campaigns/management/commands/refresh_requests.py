"""Recompute every request's stored facts: rounds, status dates, reply timings, search text."""

import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from django.core.management.base import BaseCommand
from django.db import connection, connections

from campaigns.models import Request
from campaigns.services import requests_refresh


def lift_statement_timeout():
    """Let this connection's statements run as long as they need: this is no web request."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")


def refresh_range(first, last, batch_size):
    """Refresh the requests whose primary keys run from `first` to `last`, in a worker process."""
    lift_statement_timeout()
    return requests_refresh(
        requests=Request.objects.filter(pk__gte=first, pk__lte=last), batch_size=batch_size
    )


class Command(BaseCommand):
    help = (
        "Recompute every request's stored facts, reply timings and search text "
        "(after an upgrade, or after loading data in bulk)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="PostgreSQL: worker processes, each refreshing its own share of the requests "
            "(default: one a core).",
        )

    def handle(self, *args, batch_size, jobs, **options):
        if connection.vendor != "postgresql":
            jobs = 1  # SQLite takes one writer at a time
        lift_statement_timeout()
        ids = list(Request.objects.order_by("pk").values_list("pk", flat=True))
        ranges = [(share[0], share[-1]) for share in self.contiguous(ids, jobs) if share]
        if len(ranges) <= 1:
            count = requests_refresh(requests=Request.objects.all(), batch_size=batch_size)
        else:
            # Each worker opens its own database connection; none may inherit this one.
            connections.close_all()
            with ProcessPoolExecutor(len(ranges), mp_context=get_context("fork")) as pool:
                count = sum(
                    pool.map(refresh_range, *zip(*ranges, strict=True), [batch_size] * len(ranges))
                )
        self.stdout.write(self.style.SUCCESS(f"Refreshed {count} request(s)."))

    @staticmethod
    def contiguous(ids, jobs):
        """Split ids into `jobs` runs of neighbouring keys, so each worker reads its own pages."""
        size = -(-len(ids) // max(jobs, 1))
        return [ids[start : start + size] for start in range(0, len(ids), size)] if ids else []
