"""Where a campaigner starts: their coalitions, drafts, replies due soon and overdue requests."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from campaigns.choices import RequestStatus
from workspace import access

# Each list shows this many, then links to the whole filtered list.
SHOWN = 10
DUE_SOON_DAYS = 7


@dataclass
class Home:
    coalitions: list  # (coalition, "editor" or "publisher"; empty for a superuser's others)
    drafts: list
    due_soon: list
    overdue: list


def _first(queryset):
    """Return up to SHOWN rows, and one more to tell whether there are more."""
    return list(queryset[: SHOWN + 1])


def home_for(user, today=None):
    """Return the user's starting points, in five queries however many requests there are."""
    today = today or timezone.localdate()
    requests = (
        access.requests_for(user)
        .select_related("coalition")
        .only("title", "coalition__name", "open_due_on", "created_at", "is_published")
    )
    roles = access.roles_for(user)
    due_until = today + timedelta(days=DUE_SOON_DAYS)
    running = (RequestStatus.AWAITING, RequestStatus.FOLLOW_UP_SENT)
    return Home(
        coalitions=[
            (coalition, roles.get(coalition.pk, ""))
            for coalition in _first(access.coalitions_for(user).only("name"))
        ],
        drafts=_first(requests.filter(is_published=False).order_by("-created_at", "-id")),
        due_soon=_first(
            requests.in_status(*running, today=today)
            .filter(open_due_on__lte=due_until)
            .order_by("open_due_on", "id")
        ),
        overdue=_first(requests.overdue(today=today).order_by("open_due_on", "id")),
    )
