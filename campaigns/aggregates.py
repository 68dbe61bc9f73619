"""SQL aggregates the statistics need that Django does not ship: a median on both databases."""

import statistics

from django.db.backends.signals import connection_created
from django.db.models import Aggregate, FloatField


class Median(Aggregate):
    """The median of a column: PERCENTILE_CONT on PostgreSQL, a registered MEDIAN on SQLite."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, function="MEDIAN", template="%(function)s(%(expressions)s)"
        )


class _SQLiteMedian:
    """SQLite's MEDIAN aggregate, run by the database engine as it scans rows."""

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("MEDIAN", 1, _SQLiteMedian)


connection_created.connect(register_sqlite_functions)
