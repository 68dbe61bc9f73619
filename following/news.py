"""What is news to someone following a request, a coalition, an organisation or a search.

A letter or event is news from the moment a reader could first see it: the later of when it
was shown (recorded as public, or made public) and its request's publication. It is read through
the one rule of what is public, so nothing of a draft, an embargoed request or a private part
is ever sent.
"""

from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from campaigns.models import Request
from campaigns.public import public_events, public_letters
from campaigns.search import search
from campaigns.timeline import build_timeline


def followed_requests(follow):
    """Return the requests a follow is about: one, a coalition's, an organisation's, or those
    a search finds (public ones: the news is read through the public rule anyway)."""
    if follow.query:
        return search(Request.objects.published(), follow.query)
    if follow.request_id:
        return Request.objects.filter(pk=follow.request_id)
    if follow.coalition_id:
        return Request.objects.filter(coalition=follow.coalition_id)
    return Request.objects.filter(
        Q(recipient=follow.organisation_id) | Q(coalition__members=follow.organisation_id)
    ).distinct()


def news(follow, *, since, until):
    """Return the timeline entries that became public in (since, until], oldest first."""
    requests = followed_requests(follow).values("pk")
    moment = Greatest(F("shown_since"), F("request__published_at"))
    letters, events = (
        parts.filter(request__in=requests)
        .select_related("request")
        .annotate(moment=moment)
        .filter(moment__gt=since, moment__lte=until)
        for parts in (public_letters(), public_events())
    )
    entries = build_timeline(list(letters), list(events))
    return sorted(entries, key=lambda entry: (entry.letter or entry.event).moment)


def by_day(entries):
    """Return the entries grouped by the day they became public: [(day, entries)], in order."""
    days = {}
    for entry in entries:
        day = timezone.localdate((entry.letter or entry.event).moment)
        days.setdefault(day, []).append(entry)
    return list(days.items())
