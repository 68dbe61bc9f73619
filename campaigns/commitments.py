"""The rule that decides whether a body's commitment is open, kept or broken.

A commitment is kept once an event that keeps it is recorded (and shown); otherwise it is
broken from the day after the last day it could be due, and open until then. Like a request's
status, it follows today's date, so nothing needs a nightly job, and one list of conditions
serves the filters counts and feeds use, the annotation, and the status of a commitment a page
has read, decided in Python.
"""

import calendar
from datetime import date

from django.db.models import Q

from campaigns.choices import CommitmentStatus, DatePrecision
from campaigns.conditions import status_case, status_deciding, status_in


def last_day_due(due_on: date | None, precision=DatePrecision.DAY) -> date | None:
    """Return the last day a commitment due "by" a day, month or year can be kept on time."""
    if due_on is None:
        return None
    if precision == DatePrecision.YEAR:
        return date(due_on.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return date(due_on.year, due_on.month, calendar.monthrange(due_on.year, due_on.month)[1])
    return due_on


def commitment_conditions(today) -> list[tuple[CommitmentStatus, Q]]:
    """Return each status with the condition on stored facts that gives it; one holds per row."""
    kept = Q(kept_by__isnull=False, kept_by__is_private=False)
    return [
        (CommitmentStatus.KEPT, kept),
        (CommitmentStatus.BROKEN, ~kept & Q(due_by__lt=today)),
        (CommitmentStatus.OPEN, ~kept & (Q(due_by__gte=today) | Q(due_by__isnull=True))),
    ]


def commitment_status_expression(today):
    """Return the SQL expression for a commitment's status."""
    return status_case(commitment_conditions(today))


# The status of a commitment already read with its keeping event (`kept_by`), decided in Python.
commitment_status_of = status_deciding(commitment_conditions)


def commitment_status_filter(statuses, today) -> Q:
    """Return the condition for commitments in any of the given statuses."""
    return status_in(commitment_conditions(today), statuses)
