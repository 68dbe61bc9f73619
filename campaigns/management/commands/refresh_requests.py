"""Recompute every request's stored facts: rounds, status dates, reply timings, search text."""

import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

from django.core.management.base import BaseCommand
from django.db import connection

from campaigns.models import Request
from campaigns.refresh_workers import (
    lift_statement_timeout,
    refresh_range,
    start_worker,
    statistics_refresh,
)
from campaigns.services import requests_refresh

# Requests per share handed to a worker process: small enough to spread the work evenly.
SHARE_SIZE = 5000


def key_ranges(ids, size):
    """Split sorted primary keys into (first, last) runs of at most `size` keys."""
    return [(ids[start], ids[start : start + size][-1]) for start in range(0, len(ids), size)]


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
            help="PostgreSQL: worker processes refreshing shares of the requests side by side "
            "(default: one a core). SQLite always uses one.",
        )

    def handle(self, *args, batch_size, jobs, **options):
        lift_statement_timeout()
        statistics_refresh()  # after a bulk load, so each batch's reads use the indexes
        ids = list(Request.objects.order_by("pk").values_list("pk", flat=True))
        ranges = key_ranges(ids, SHARE_SIZE)
        if connection.vendor != "postgresql" or jobs <= 1 or len(ranges) <= 1:
            count = requests_refresh(requests=Request.objects.all(), batch_size=batch_size)
        else:
            count = self.refresh_in_workers(ranges, batch_size, jobs)
        self.stdout.write(self.style.SUCCESS(f"Refreshed {count} request(s)."))
        # Every request row was rewritten: clear the dead rows, so the pages' index-only scans
        # stay index-only, without waiting for autovacuum (if it runs at all).
        started = time.monotonic()
        if command := statistics_refresh(vacuum=True):
            self.stdout.write(f"{command} took {time.monotonic() - started:.1f} s.")

    def refresh_in_workers(self, ranges, batch_size, jobs):
        """Refresh each range in one of `jobs` new processes, each with its own connection.

        Workers are spawned, not forked, so none can inherit this process's open connection:
        two processes reading one socket receive each other's rows.
        """
        pool = ProcessPoolExecutor(
            jobs,
            mp_context=get_context("spawn"),
            initializer=start_worker,
            initargs=(connection.settings_dict["NAME"],),
        )
        with pool:
            firsts, lasts = zip(*ranges, strict=True)
            return sum(pool.map(refresh_range, firsts, lasts, [batch_size] * len(ranges)))
