"""Alerts for campaigners by e-mail: a reply due soon, a reply overdue, and a weekly digest.

Each campaigner chooses them per coalition (on their role). What is due is read from the
requests' stored facts with the status rule, so an alert says what the pages say. Each alert
is recorded once sent (SentAlert): a reply due soon or overdue is told once per round's letter,
a digest once per week. A send that fails is logged and not recorded, so the next run sends it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campaigns.choices import Direction, RequestStatus
from campaigns.deadlines import add_working_days
from campaigns.mail import mail_send
from campaigns.models import Letter, Request
from workspace.models import AlertKind, CoalitionRole, SentAlert

DUE_SOON_WORKING_DAYS = 3
RUNNING = (RequestStatus.AWAITING, RequestStatus.FOLLOW_UP_SENT)


@dataclass(frozen=True)
class Alert:
    """A request whose reply is due soon or overdue, for one campaigner."""

    kind: str
    request: Request
    days: int  # calendar days left (due soon) or past the due date (overdue)


def links():
    """Return what e-mails link to, as addresses readers can open from their mail."""
    return {"site_url": settings.SITE_URL, "choices_url": settings.SITE_URL + reverse("alerts")}


def alerts_due(today: date) -> dict:
    """Return, by user, the alerts about replies that are theirs to be sent today."""
    roles = (
        CoalitionRole.objects.filter(Q(alert_due_soon=True) | Q(alert_overdue=True))
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
    return alerts


def send_alerts(today: date | None = None) -> int:
    """Send each campaigner one e-mail with their alerts due; return how many e-mails were sent."""
    today = today or timezone.localdate()
    sent = 0
    for user, alerts in alerts_due(today).items():
        alerts.sort(key=lambda alert: (alert.kind != AlertKind.OVERDUE, alert.request.open_due_on))
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
                [
                    SentAlert(user=user, kind=alert.kind, letter_id=alert.request.open_letter_id)
                    for alert in alerts
                ],
                ignore_conflicts=True,
            )
            sent += 1
    return sent


def alerts_subject(alerts) -> str:
    """Return an alert e-mail's subject: the request when there is one, else the counts."""
    if len(alerts) == 1:
        alert = alerts[0]
        said = "Reply overdue" if alert.kind == AlertKind.OVERDUE else "Reply due soon"
        return f"{said}: {alert.request.title}"
    overdue = sum(alert.kind == AlertKind.OVERDUE for alert in alerts)
    return f"Replies to your coalitions: {overdue} overdue, {len(alerts) - overdue} due soon"


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
