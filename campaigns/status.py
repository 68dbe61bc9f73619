"""The rule that decides a request's status, from its stored facts and today's date.

The write path stores each request's facts (first sent, the open round's due date, the latest
substantive reply's outcome); this module turns them into a status. One list of mutually
exclusive conditions is the filter that lists, counts and the API use, the `status` annotation
that counts by status and sorting use, and the status of each row a page shows, decided in
Python (`status_of`): they can never disagree, the filter can use indexes, and "overdue"
follows today's date without any nightly job.
"""

from django.db.models import Q

from campaigns.choices import Outcome, RequestStatus
from campaigns.conditions import status_case, status_deciding, status_in


def status_conditions(today) -> list[tuple[RequestStatus, Q]]:
    """Return each status with the condition on stored facts that gives it; one holds per row."""
    running = Q(closed_result="")
    answered = running & Q(first_sent_on__isnull=False, open_due_on__isnull=True)
    return [
        (RequestStatus.CLOSED, ~Q(closed_result="")),
        (RequestStatus.NOT_SENT, running & Q(first_sent_on__isnull=True)),
        (RequestStatus.OVERDUE, running & Q(open_due_on__lt=today)),
        (
            RequestStatus.FOLLOW_UP_SENT,
            running & Q(open_due_on__gte=today, latest_reply_on__isnull=False),
        ),
        (RequestStatus.AWAITING, running & Q(open_due_on__gte=today, latest_reply_on__isnull=True)),
        *(
            (RequestStatus(outcome.value), answered & Q(latest_reply_outcome=outcome))
            for outcome in Outcome
        ),
    ]


def status_expression(today):
    """Return the SQL expression for a request's status."""
    return status_case(status_conditions(today))


# The status of a request already read, from its stored facts and today's date, decided in
# Python by the same conditions: a page's rows need no status in SQL, whose expression cost
# more to build and compile than the rest of a list's query.
status_of = status_deciding(status_conditions)


def status_filter(statuses, today) -> Q:
    """Return the condition for requests in any of the given statuses."""
    return status_in(status_conditions(today), statuses)
