"""A status decided by a list of mutually exclusive conditions, one per status.

The same list gives the annotation and the filter a list, a count or a feed uses in SQL, and
the status of a row already read, decided in Python (`status_deciding`), so they cannot disagree
(campaigns.status for requests, campaigns.commitments for commitments).
"""

import operator
from functools import lru_cache

from django.db.models import Case, CharField, Q, Value, When
from django.utils import timezone

COMPARISONS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def status_case(conditions):
    """Return the SQL expression that is the status whose condition holds."""
    return Case(
        *(When(condition, then=Value(status)) for status, condition in conditions),
        output_field=CharField(),
    )


def status_in(conditions, statuses) -> Q:
    """Return the condition that the status is one of those given."""
    wanted = Q(pk__in=[])
    for status, condition in conditions:
        if status in statuses:
            wanted |= condition
    return wanted


class DecidedStatus:
    """A model's status: the `with_status()` annotation when its row was read with it, otherwise
    decided in Python from the row's own facts by `decide(row, today)`, afresh on each read,
    since the facts may change."""

    def __init__(self, decide):
        self.decide = decide

    def __set_name__(self, owner, name):
        self.annotated = f"_{name}_annotated"

    def __get__(self, row, owner=None):
        if row is None:
            return self
        annotated = row.__dict__.get(self.annotated)
        return self.decide(row, timezone.localdate()) if annotated is None else annotated

    def __set__(self, row, value):
        row.__dict__[self.annotated] = value


def status_deciding(conditions_on):
    """Return `decide(row, today)`: the status whose condition that day (`conditions_on(today)`)
    holds for a row already read, or None; a day's conditions become predicates once."""

    @lru_cache(maxsize=4)
    def predicates_on(today) -> tuple:
        return tuple((status, predicate(condition)) for status, condition in conditions_on(today))

    def decide(row, today):
        for status, holds in predicates_on(today):
            if holds(row):
                return status
        return None

    return decide


def predicate(condition: Q):
    """Return a function deciding a condition on a row's own fields as the database decides it.

    A comparison with a missing value (NULL) holds neither way round, as in the SQL Django
    writes, where a negated comparison on a nullable column also holds for NULL.
    """
    parts = tuple(
        predicate(child) if isinstance(child, Q) else lookup_predicate(*child)
        for child in condition.children
    )
    every = condition.connector == Q.AND
    negated = condition.negated

    def holds(row):
        for part in parts:
            if part(row) is not every:
                return negated is every
        return negated is not every

    return holds


def lookup_predicate(lookup: str, value):
    """Return a function deciding one lookup ("open_due_on__lt", today) on a row's field, or on
    a related row's ("kept_by__is_private"), which must already be read with the row."""
    *path, kind = lookup.split("__")
    if kind != "isnull" and kind not in COMPARISONS:
        path, kind = [*path, kind], "exact"
    if not path:
        raise ValueError(f"The lookup {lookup!r} names no field.")

    def field(row):
        for name in path:
            row = getattr(row, name)
            if row is None:
                return None
        return row

    if kind == "isnull":
        return lambda row: (field(row) is None) is value
    compare = COMPARISONS[kind]
    return lambda row: (found := field(row)) is not None and compare(found, value)
