"""Figures for recipient scorecards and the statistics page, computed in the database."""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from campaigns.aggregates import Median
from campaigns.cache import cached_figures
from campaigns.choices import Outcome, RequestStatus
from campaigns.models import Request
from campaigns.status import status_filter

OUTCOMES = [outcome.value for outcome in Outcome]
# Counted where COUNT(*) cannot take a filter: never empty, and in the index that serves these
# figures (request_public_facts), so they are read without touching the table.
EVERY_ROW = "recipient"


def recipient_figures(requests=None):
    """Return one row of figures per recipient of the given (default: all public) requests.

    Replies are measured by each request's latest substantive reply, as on the request page.
    """
    requests = requests if requests is not None else Request.objects.published()
    overdue = status_filter([RequestStatus.OVERDUE], timezone.localdate())
    return (
        requests.order_by()
        .values("recipient", "recipient__name", "recipient__slug")
        .annotate(
            received=Count("*"),
            replied=Count(EVERY_ROW, filter=Q(latest_reply_on__isnull=False)),
            replied_on_time=Count(EVERY_ROW, filter=Q(latest_reply_on_time=True)),
            median_working_days=Median("latest_reply_working_days"),
            overdue=Count(EVERY_ROW, filter=overdue),
            **{
                outcome: Count(EVERY_ROW, filter=Q(latest_reply_outcome=outcome))
                for outcome in OUTCOMES
            },
        )
    )


@dataclass
class Scorecard:
    """A recipient's figures, with the shares a reader compares bodies by."""

    name: str
    slug: str
    received: int
    replied: int
    replied_on_time: int
    median_working_days: float | None
    overdue: int
    outcomes: dict
    ranked: bool = True

    @classmethod
    def from_row(cls, row, min_requests=1):
        return cls(
            name=row["recipient__name"],
            slug=row["recipient__slug"],
            received=row["received"],
            replied=row["replied"],
            replied_on_time=row["replied_on_time"],
            median_working_days=row["median_working_days"],
            overdue=row["overdue"],
            outcomes={Outcome(outcome).label: row[outcome] for outcome in OUTCOMES},
            ranked=row["received"] >= min_requests,
        )

    @property
    def on_time_share(self):
        return self.replied_on_time / self.received if self.received else 0


def scorecards():
    """Return every recipient's scorecard: ranked ones best first, then those with too few."""
    minimum = settings.STATS_MIN_REQUESTS_TO_RANK
    cards = [Scorecard.from_row(row, minimum) for row in recipient_figures()]
    ranked = sorted(
        (card for card in cards if card.ranked),
        key=lambda card: (-card.on_time_share, card.median_working_days or 0, card.name),
    )
    unranked = sorted((card for card in cards if not card.ranked), key=lambda card: card.name)
    return ranked + unranked


def scorecards_page(number, per_page):
    """Return a page of the scorecards, its cards read alone from the kept figures.

    Every recipient's card is computed (and kept) once; a page then reads its own cards, not
    the 2,000 of them, which took a third of the statistics page's time.
    """

    @cache  # read at most once here, however the figures are kept
    def every_card():
        return cached_figures("scorecards", scorecards)

    count = cached_figures("scorecards-count", lambda: len(every_card()))
    page = Paginator(range(count), per_page).get_page(number)
    page.object_list = cached_figures(
        f"scorecards-page:{per_page}:{page.number}",
        lambda: every_card()[page.start_index() - 1 : page.end_index()],
    )
    return page


def scorecard_for(organisation):
    """Return an organisation's scorecard as a recipient, or None if it received nothing."""
    rows = recipient_figures(Request.objects.published().filter(recipient=organisation))
    row = next(iter(rows), None)
    return Scorecard.from_row(row) if row else None


def status_counts() -> dict:
    """Return how many public requests are in each status."""
    return dict(
        Request.objects.published()
        .with_status()
        .order_by()
        .values_list("status")
        .annotate(total=Count("*"))
    )


def status_by_year():
    """Return (years, rows): for each status, how many public requests sent in each year."""
    counts = (
        Request.objects.published()
        .with_status()
        .annotate(year=ExtractYear("first_sent_on"))
        .order_by()
        .values("year", "status")
        .annotate(total=Count("*"))
    )
    table = {(row["year"], row["status"]): row["total"] for row in counts}
    years = sorted({year for year, _ in table if year is not None})
    rows = [
        (status, [table.get((year, status), 0) for year in years])
        for status in RequestStatus
        if any(table.get((year, status)) for year in years)
    ]
    return years, rows
