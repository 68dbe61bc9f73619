"""Figures for recipient scorecards and the statistics page, computed in the database."""

from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.aggregates import Median
from campaigns.cache import cached_figures
from campaigns.choices import CommitmentStatus, LetterKind, Outcome, RequestStatus
from campaigns.commitments import commitment_status_filter
from campaigns.models import Commitment, Letter, Request
from campaigns.rates import Rate
from campaigns.status import status_filter

OUTCOMES = [outcome.value for outcome in Outcome]
# Counted where COUNT(*) cannot take a filter: never empty, and in the index that serves these
# figures (request_public_facts), so they are read without touching the table.
EVERY_ROW = "recipient"


def figure_conditions(today) -> dict:
    """Return what each figure counts, as a condition on a public request: the one place a
    scorecard's counts, the list of requests each links to, and the methods page agree on."""
    overdue = status_filter([RequestStatus.OVERDUE], today)
    replied = Q(latest_reply_on__isnull=False)
    return {
        "sent": Q(first_sent_on__isnull=False),
        "replied": replied,
        "due_by_now": replied | (overdue & Q(latest_reply_on__isnull=True)),
        "replied_on_time": Q(latest_reply_on_time=True),
        "replied_on_time_original": Q(latest_reply_on_time_original=True),
        "replied_after_reminder": Q(latest_reply_after_reminder=True),
        "overdue": overdue,
        "escalated": Exists(Request.objects.published().filter(escalated_from=OuterRef("pk"))),
    }


# What each figure counts, in words, for the methods page and the list it links to.
FIGURES = {
    "sent": _("Requests sent"),
    "replied": _("Requests with a substantive reply"),
    "due_by_now": _("Requests whose reply was due by today, or came"),
    "replied_on_time": _("Replied by the due date, as extended"),
    "replied_on_time_original": _("Replied by the first due date, before any extension"),
    "replied_after_reminder": _("Replied only after a reminder or follow-up"),
    "overdue": _("Reply overdue now"),
    "escalated": _("Taken further to another stage or body"),
}


# How each figure is counted, for the methods page.
FIGURE_METHODS = {
    "sent": _("Requests whose first letter has been sent."),
    "replied": _("Requests that have had at least one substantive reply."),
    "due_by_now": _(
        "Requests that have had a substantive reply, or whose reply was due before today and "
        "has not come: the requests a body could have answered on time."
    ),
    "replied_on_time": _(
        "Requests whose latest substantive reply came by its due date, as extended by any "
        "change recorded. The share is of the requests whose reply was due by now."
    ),
    "replied_on_time_original": _(
        "The same, against the first due date, before any extension, pause or promised date."
    ),
    "replied_after_reminder": _(
        "Requests whose latest substantive reply came only after the coalition sent a reminder "
        "or follow-up in the same round."
    ),
    "overdue": _("Requests whose reply is due before today and has not come (status Overdue)."),
    "escalated": _(
        "Requests the coalition took further, to an internal review, a minister, a regulator, "
        "a select committee and so on. Each stage is a request of its own, counted for the "
        "body it was addressed to."
    ),
}


def recipient_figures(requests=None):
    """Return one row of figures per recipient of the given (default: all public) requests.

    Replies are measured by each request's latest substantive reply, as on the request page.
    """
    requests = requests if requests is not None else Request.objects.published()
    counted = figure_conditions(timezone.localdate())
    return (
        requests.order_by()
        .values("recipient", "recipient__name", "recipient__slug")
        .annotate(
            received=Count("*"),
            median_working_days=Median("latest_reply_working_days"),
            **{name: Count(EVERY_ROW, filter=condition) for name, condition in counted.items()},
            **{
                outcome: Count(EVERY_ROW, filter=Q(latest_reply_outcome=outcome))
                for outcome in OUTCOMES
            },
        )
    )


def acknowledgement_medians(requests) -> dict:
    """Return, by recipient id, the median working days its public acknowledgements took."""
    rows = (
        Letter.objects.filter(
            request__in=requests,
            kind=LetterKind.ACKNOWLEDGEMENT,
            is_private=False,
            working_days_taken__isnull=False,
        )
        .order_by()
        .values("request__recipient")
        .annotate(median=Median("working_days_taken"))
    )
    return {row["request__recipient"]: row["median"] for row in rows}


def commitment_counts(requests) -> dict:
    """Return, by recipient id, how many of its public commitments are in each status."""
    today = timezone.localdate()
    rows = (
        Commitment.objects.filter(request__in=requests, letter__is_private=False)
        .order_by()
        .values("request__recipient")
        .annotate(
            **{
                status.value: Count("pk", filter=commitment_status_filter([status], today))
                for status in CommitmentStatus
            }
        )
    )
    return {
        row["request__recipient"]: {status: row[status.value] for status in CommitmentStatus}
        for row in rows
    }


def counted_links(slug) -> dict:
    """Return the list of a recipient's public requests that each figure counts, by figure
    name, and under "received" all of them: made once with the figures they link from."""
    requests = reverse("campaigns:request-list")
    links = {"received": f"{requests}?{urlencode({'recipient': slug})}"}
    for figure in FIGURES:
        links[figure] = f"{requests}?{urlencode({'recipient': slug, 'counted': figure})}"
    return links


@dataclass
class Scorecard:
    """A recipient's figures, with the shares a reader compares bodies by."""

    name: str
    slug: str
    received: int
    counts: dict  # by figure name (FIGURES)
    median_working_days: float | None
    outcomes: dict
    median_acknowledgement_days: float | None = None
    commitments: dict = field(default_factory=dict)  # by CommitmentStatus
    ranked: bool = True
    links: dict = field(default_factory=dict)  # by figure name, and "received"

    @classmethod
    def from_row(cls, row, min_requests=1, acknowledgements=None, commitments=None):
        counts = {name: row[name] for name in FIGURES}
        return cls(
            name=row["recipient__name"],
            slug=row["recipient__slug"],
            received=row["received"],
            counts=counts,
            median_working_days=row["median_working_days"],
            outcomes={str(Outcome(outcome).label): row[outcome] for outcome in OUTCOMES},
            median_acknowledgement_days=(acknowledgements or {}).get(row["recipient"]),
            commitments=(commitments or {}).get(row["recipient"], {}),
            ranked=counts["due_by_now"] >= min_requests,
            links=counted_links(row["recipient__slug"]),
        )

    @property
    def reply_rate(self):
        """Requests sent that had a substantive reply."""
        return Rate(self.counts["replied"], self.counts["sent"])

    @property
    def on_time_rate(self):
        """Requests whose reply was due by now that were answered by the (extended) date."""
        return Rate(self.counts["replied_on_time"], self.counts["due_by_now"])

    @property
    def on_time_share(self):
        return self.on_time_rate.share or 0

    @property
    def commitments_kept(self):
        """Commitments kept, of those kept or broken (open ones are not yet decided)."""
        kept = self.commitments.get(CommitmentStatus.KEPT, 0)
        return Rate(kept, kept + self.commitments.get(CommitmentStatus.BROKEN, 0))


def scorecards():
    """Return every recipient's scorecard: ranked ones first, then those with too few.

    Ranked by the lower bound of the on-time rate's interval, so a high share from few
    requests does not outrank a slightly lower one from many.
    """
    minimum = settings.STATS_MIN_REQUESTS_TO_RANK
    public = Request.objects.published()
    acknowledgements = acknowledgement_medians(public)
    commitments = commitment_counts(public)
    cards = [
        Scorecard.from_row(row, minimum, acknowledgements, commitments)
        for row in recipient_figures()
    ]
    ranked = sorted(
        (card for card in cards if card.ranked),
        key=lambda card: (-card.on_time_rate.low, card.median_working_days or 0, card.name),
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
    requests = Request.objects.published().filter(recipient=organisation)
    row = next(iter(recipient_figures(requests)), None)
    if row is None:
        return None
    return Scorecard.from_row(
        row,
        settings.STATS_MIN_REQUESTS_TO_RANK,
        acknowledgement_medians(requests),
        commitment_counts(requests),
    )


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
