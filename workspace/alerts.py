"""Alerts for campaigners by e-mail: a reply due soon or overdue, a body's commitment due soon or
broken, and a weekly digest.

Each campaigner chooses them per coalition (on their role). What is due is read from the
requests' stored facts with the status rule, so an alert says what the pages say. Each alert
is recorded once sent (SentAlert): a reply due soon or overdue is told once per round's letter,
a commitment once when due soon and once when broken, a digest once per week. A commitment
broken more than BROKEN_NEWS_DAYS ago is old news, not alerted. A send that fails is logged
and not recorded, so the next run sends it.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campaigns.choices import CommitmentStatus, Direction, RequestStatus
from campaigns.deadlines import add_working_days
from campaigns.mail import mail_send
from campaigns.models import Commitment, Letter, Request
from workspace.models import AlertKind, CoalitionRole, SentAlert

DUE_SOON_WORKING_DAYS = 3
BROKEN_NEWS_DAYS = 7
RUNNING = (RequestStatus.AWAITING, RequestStatus.FOLLOW_UP_SENT)


@dataclass(frozen=True)
class Alert:
    """A request whose reply, or a commitment made on it, is due soon or late, for one
    campaigner."""

    kind: str
    request: Request
    days: int  # calendar days left (due soon) or past the due date (overdue, broken)
    commitment: Commitment | None = None

    @property
    def is_late(self):
        return self.kind in (AlertKind.OVERDUE, AlertKind.COMMITMENT_BROKEN)

    @property
    def due_on(self):
        return self.commitment.due_by if self.commitment else self.request.open_due_on

    def sent(self, user) -> SentAlert:
        """Return the record of this alert sent to `user`."""
        if self.commitment:
            return SentAlert(user=user, kind=self.kind, commitment=self.commitment)
        return SentAlert(user=user, kind=self.kind, letter_id=self.request.open_letter_id)


def links():
    """Return what e-mails link to, as addresses readers can open from their mail."""
    return {"site_url": settings.SITE_URL, "choices_url": settings.SITE_URL + reverse("alerts")}


def alerts_due(today: date) -> dict:
    """Return, by user, the alerts about replies that are theirs to be sent today."""
    roles = (
        CoalitionRole.objects.filter(
            Q(alert_due_soon=True) | Q(alert_overdue=True) | Q(alert_commitments=True)
        )
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    by_coalition = defaultdict(list)
    for role in roles:
        by_coalition[role.coalition_id].append(role)
    if not by_coalition:
        return {}
    requests = Request.objects.filter(coalition__in=by_coalition).select_related("coalition")
    overdue = list(requests.overdue(today=today))
    soon = list(
        requests.in_status(*RUNNING, today=today).filter(
            open_due_on__lte=add_working_days(today, DUE_SOON_WORKING_DAYS)
        )
    )
    sent = set(
        SentAlert.objects.filter(
            letter__isnull=False, user__in={r.user for r in roles}
        ).values_list("user", "kind", "letter")
    )
    alerts = defaultdict(list)
    for kind, found, chosen in (
        (AlertKind.OVERDUE, overdue, "alert_overdue"),
        (AlertKind.DUE_SOON, soon, "alert_due_soon"),
    ):
        for request in found:
            for role in by_coalition[request.coalition_id]:
                told = (role.user_id, kind, request.open_letter_id) in sent
                if getattr(role, chosen) and not told:
                    days = abs((request.open_due_on - today).days)
                    alerts[role.user].append(Alert(kind, request, days))
    found = commitment_alerts(by_coalition, today)
    told = set(
        SentAlert.objects.filter(
            commitment__in=[alert.commitment for alert in found], user__in={r.user for r in roles}
        ).values_list("user", "kind", "commitment")
    )
    for alert in found:
        for role in by_coalition[alert.request.coalition_id]:
            if (
                role.alert_commitments
                and (role.user_id, alert.kind, alert.commitment.pk) not in told
            ):
                alerts[role.user].append(alert)
    return alerts


def commitment_alerts(by_coalition, today: date) -> list[Alert]:
    """Return the alerts about commitments on these coalitions' requests due soon or broken.

    Each is for every campaigner of the coalition who chose it and was not told yet.
    """
    commitments = Commitment.objects.filter(request__coalition__in=by_coalition).select_related(
        "request__coalition"
    )
    soon = commitments.in_status(CommitmentStatus.OPEN, today=today).filter(
        due_by__lte=add_working_days(today, DUE_SOON_WORKING_DAYS)
    )
    broken = commitments.in_status(CommitmentStatus.BROKEN, today=today).filter(
        due_by__gte=today - timedelta(days=BROKEN_NEWS_DAYS)
    )
    return [
        Alert(kind, commitment.request, abs((commitment.due_by - today).days), commitment)
        for kind, found in (
            (AlertKind.COMMITMENT_BROKEN, broken),
            (AlertKind.COMMITMENT_DUE, soon),
        )
        for commitment in found
    ]


def send_alerts(today: date | None = None) -> int:
    """Send each campaigner one e-mail with their alerts due; return how many e-mails were sent."""
    today = today or timezone.localdate()
    sent = 0
    for user, alerts in alerts_due(today).items():
        alerts.sort(key=lambda alert: (not alert.is_late, alert.due_on))
        context = {"user": user, "alerts": alerts, "today": today, **links()}
        subject = alerts_subject(alerts)
        if mail_send(
            to=user.email,
            subject=subject,
            template="workspace/email/alerts",
            context=context,
            about=f"{subject!r} to user {user.pk}",
        ):
            SentAlert.objects.bulk_create(
                [alert.sent(user) for alert in alerts], ignore_conflicts=True
            )
            sent += 1
    return sent


# How a subject names each kind of alert: alone (with its request), and counted.
SUBJECT_WORDS = {
    AlertKind.OVERDUE: ("Reply overdue", "repl{ies} overdue"),
    AlertKind.DUE_SOON: ("Reply due soon", "repl{ies} due soon"),
    AlertKind.COMMITMENT_BROKEN: ("Commitment broken", "commitment{s} broken"),
    AlertKind.COMMITMENT_DUE: ("Commitment due soon", "commitment{s} due soon"),
}


def alerts_subject(alerts) -> str:
    """Return an alert e-mail's subject: the request when there is one, else the counts."""
    if len(alerts) == 1:
        alert = alerts[0]
        return f"{SUBJECT_WORDS[alert.kind][0]}: {alert.request.title}"
    counts = Counter(alert.kind for alert in alerts)
    parts = [
        f"{counts[kind]} "
        + counted.format(ies="ies" if counts[kind] > 1 else "y", s="s" if counts[kind] > 1 else "")
        for kind, (_alone, counted) in SUBJECT_WORDS.items()
        if counts[kind]
    ]
    return f"Your coalitions' requests: {', '.join(parts)}"


def send_weekly_digests(today: date | None = None) -> int:
    """Send each campaigner who asked for it this week's digest, once a week; return how many."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    roles = (
        CoalitionRole.objects.filter(weekly_digest=True, user__is_active=True)
        .exclude(user__email="")
        .exclude(user__sent_alerts__in=SentAlert.objects.filter(kind=AlertKind.WEEKLY, week=monday))
        .select_related("user", "coalition")
    )
    by_user = defaultdict(list)
    for role in roles:
        by_user[role.user].append(role.coalition)
    sent = 0
    for user, coalitions in by_user.items():
        requests = Request.objects.filter(coalition__in=coalitions).select_related("coalition")
        context = {
            "user": user,
            "monday": monday,
            "coalitions": sorted(coalitions, key=lambda coalition: coalition.name),
            "overdue": list(requests.overdue(today=today).order_by("open_due_on")),
            "due": list(
                requests.in_status(*RUNNING, today=today)
                .filter(open_due_on__lte=monday + timedelta(days=6))
                .order_by("open_due_on")
            ),
            "replies": list(
                Letter.objects.filter(
                    request__in=requests,
                    direction=Direction.RECEIVED,
                    date__gte=monday - timedelta(days=7),
                    date__lt=monday,
                )
                .select_related("request")
                .order_by("date")
            ),
            **links(),
        }
        subject = f"Your coalitions' requests, week of {monday:%-d %B %Y}"
        if mail_send(
            to=user.email,
            subject=subject,
            template="workspace/email/digest",
            context=context,
            about=f"{subject!r} to user {user.pk}",
        ):
            SentAlert.objects.get_or_create(user=user, kind=AlertKind.WEEKLY, week=monday)
            sent += 1
    return sent
