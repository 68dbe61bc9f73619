"""A status decided in SQL by a list of mutually exclusive conditions, one per status.

The same list gives the annotation a page shows and the filter a list, a count or a feed uses,
so they cannot disagree (campaigns.status for requests, campaigns.commitments for commitments).
"""

from django.db.models import Case, CharField, Q, Value, When


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
