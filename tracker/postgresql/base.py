"""Django's PostgreSQL backend, batching bulk writes to fit the parameters one query may bind.

With parameters bound server-side (tracker/settings.py), PostgreSQL takes at most 65,535 in one
query, and Django 5.2 does not batch for it: seeding 5,000 requests a query failed with "number
of parameters must be between 0 and 65535", as would reading more ids than that at once
(`in_bulk`) or a deletion whose cascade gathers more rows. Django 6.0 batches by this limit
itself; remove this backend when moving to it.
"""

from itertools import chain

from django.db import models
from django.db.backends.postgresql import base, features, operations

# The protocol counts a query's parameters in 16 bits.
MAX_BOUND_PARAMETERS = 2**16 - 1


class DatabaseFeatures(features.DatabaseFeatures):
    @property
    def max_query_params(self):
        """The most parameters a query may have: bounded only when they are bound server-side."""
        return MAX_BOUND_PARAMETERS if self.uses_server_side_binding else None


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        """Return how many rows one query may write, so that their parameters fit in it."""
        limit = self.connection.features.max_query_params
        columns = list(
            chain.from_iterable(
                field.fields if isinstance(field, models.CompositePrimaryKey) else [field]
                for field in fields
            )
        )
        if limit is None or not columns:
            return len(objs)
        return limit // len(columns)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
