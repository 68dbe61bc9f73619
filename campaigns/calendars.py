"""iCalendar feeds of public due dates: replies awaited and commitments, per coalition or body.

Campaigners subscribe to them in their own calendars. Each event is a whole day; its UID stays
the same while its date moves (an extension), so calendars update it rather than add another.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from campaigns.choices import CommitmentStatus
from campaigns.models import Commitment

# A calendar holds what is due from PAST ago on, at most this many of each kind, the soonest
# first: a reply overdue for months, or a commitment long broken, is history, not a date to
# keep. Building 1,900 events with the icalendar package took a busy coalition's calendar
# 1.1 s at 100,000 requests.
CALENDAR_EVENTS_MAX = 500
PAST = timedelta(days=60)


def calendar_bytes(requests, *, name: str, about: str) -> bytes:
    """Return an iCalendar file of these (public) requests' awaited replies and commitments."""
    calendar = Calendar()
    calendar.add("prodid", "-//Campaign correspondence tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", about)
    stamp = timezone.now()
    awaited = (
        requests.filter(closed_result="", open_due_on__gte=timezone.localdate() - PAST)
        .select_related("recipient", "open_letter")
        .defer("open_letter__body")
        .order_by("open_due_on", "pk")[:CALENDAR_EVENTS_MAX]
    )
    for req in awaited:
        calendar.add_component(
            day_event(
                uid=f"request-{req.pk}-reply",
                day=req.open_due_on,
                summary=f"Reply due from {req.recipient.name}: {req.title}",
                description=f"To the letter of {req.open_letter.date:%-d %B %Y}.",
                url=settings.SITE_URL + req.get_absolute_url(),
                stamp=stamp,
            )
        )
    commitments = (
        Commitment.objects.filter(
            request__in=requests,
            letter__is_private=False,
            due_by__gte=timezone.localdate() - PAST,
        )
        .with_status()
        .select_related("request__recipient")
        .order_by("due_by", "pk")[:CALENDAR_EVENTS_MAX]
    )
    for commitment in commitments:
        said = "" if commitment.status == CommitmentStatus.OPEN else f" ({commitment.status_label})"
        calendar.add_component(
            day_event(
                uid=f"commitment-{commitment.pk}",
                day=commitment.due_by,
                summary=f"Commitment due{said}: {commitment.text}",
                description=f"Promised by {commitment.request.recipient.name} "
                f"on “{commitment.request.title}”.",
                url=settings.SITE_URL + commitment.request.get_absolute_url(),
                stamp=stamp,
            )
        )
    return calendar.to_ical()


def day_event(*, uid, day, summary, description, url, stamp) -> Event:
    """Return a whole-day calendar event."""
    event = Event()
    event.add("uid", f"{uid}@{settings.SITE_URL.split('://')[-1]}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event
