"""The rule that decides a request's status, as one SQL expression.

Lists, filters, counts and the request page all read the status from this expression, so
they can never disagree, and "overdue" follows today's date without any nightly job.
"""

from django.db.models import Case, CharField, F, Q, Value, When

from campaigns.choices import RequestStatus


def status_expression(today):
    """Return the SQL expression for a request's status, given its annotated facts.

    It needs the annotations `first_sent_on`, `latest_reply_on` (latest substantive reply),
    `latest_reply_outcome` and `round_due_on` (due date of the first letter sent after the
    latest substantive reply, if any), added by `RequestQuerySet.with_status()`.
    """
    awaiting_round = Q(round_due_on__isnull=False)
    return Case(
        When(~Q(closed_result=""), then=Value(RequestStatus.CLOSED)),
        When(first_sent_on__isnull=True, then=Value(RequestStatus.NOT_SENT)),
        When(awaiting_round & Q(round_due_on__lt=today), then=Value(RequestStatus.OVERDUE)),
        When(
            awaiting_round & Q(latest_reply_on__isnull=False),
            then=Value(RequestStatus.FOLLOW_UP_SENT),
        ),
        When(awaiting_round, then=Value(RequestStatus.AWAITING)),
        default=F("latest_reply_outcome"),
        output_field=CharField(),
    )
