"""Atom feeds of public activity: site-wide, per request, coalition, organisation and search."""

import re
from datetime import datetime
from typing import NamedTuple

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.text import Truncator
from django.utils.translation import get_language

from campaigns.choices import Direction, EventKind, LetterKind, Outcome
from campaigns.filters import RequestFilter
from campaigns.models import Request
from campaigns.paths import entry_path
from campaigns.public import (
    feed_activity,
    feed_moment,
    public_coalitions,
    public_organisation_or_404,
    public_requests,
)

FEED_ITEMS = 30
# Characters XML 1.0 cannot carry (pasted text brings vertical tabs and the like).
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value):
    """Return a value with the characters XML cannot carry replaced by spaces, if it is text."""
    return NOT_IN_XML.sub(" ", value) if isinstance(value, str) else value


class FeedEntry(NamedTuple):
    """One entry of an Atom feed: what it says, where it links and when it became news."""

    title: str
    link: str
    moment: datetime
    summary: str


class AtomFeed:
    """A view answering an Atom feed of plain-text entries, written by one template.

    Django's syndication framework built each entry through a dozen dynamic lookups and a SAX
    writer: two thirds of a feed's time. Summaries are marked type="text", so markup in a
    letter (`<img onerror=...>`) reaches a reader as typed, never as HTML.
    """

    template_name = "campaigns/feed.xml"
    content_type = "application/atom+xml; charset=utf-8"

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj):
        raise NotImplementedError

    def subtitle(self, obj):
        return ""

    def link(self, obj):
        raise NotImplementedError

    def entries(self, obj):
        """Return the feed's entries (FeedEntry), newest first."""
        raise NotImplementedError

    def __call__(self, request, *args, **kwargs):
        obj = self.get_object(request, *args, **kwargs)
        entries = [
            FeedEntry(
                title=xml_text(entry.title),
                link=request.build_absolute_uri(xml_text(entry.link)),
                moment=entry.moment,
                summary=xml_text(entry.summary),
            )
            for entry in self.entries(obj)
        ]
        updated = max((entry.moment for entry in entries), default=None) or timezone.now()
        context = {
            "language": get_language(),
            "title": xml_text(self.title(obj)),
            "subtitle": xml_text(self.subtitle(obj)),
            "link": request.build_absolute_uri(xml_text(self.link(obj))),
            "self_link": request.build_absolute_uri(),
            "updated": updated,
            "entries": entries,
        }
        response = HttpResponse(
            render_to_string(self.template_name, context), content_type=self.content_type
        )
        response.headers["Last-Modified"] = http_date(updated.timestamp())
        return response


def due_said(due_on, original_due_on) -> str:
    """Say when a sent letter's reply is due as its deadline ledger stands, and the first due
    date if the ledger moved it."""
    said = f"Reply due {date_format(due_on)}"
    if original_due_on and original_due_on != due_on:
        said += f", first due {date_format(original_due_on)}"
    return f"{said}."


LETTER_KINDS = dict(LetterKind.choices)
OUTCOMES = dict(Outcome.choices)
EVENT_KINDS = dict(EventKind.choices)


class ActivityFeed(AtomFeed):
    """Letters and events on public requests, newest first, dated when they became public."""

    def entries(self, obj):
        for row in feed_activity(self.requests(obj), limit=FEED_ITEMS):
            yield FeedEntry(
                title=activity_title(row),
                link=entry_path(row.request_slug, "letter" if row.is_letter else "event", row.pk),
                moment=row.moment,
                summary=activity_summary(row),
            )

    def requests(self, obj):
        """Return the requests whose activity the feed shows, or None for all public ones."""
        return None


def activity_title(row) -> str:
    """Title a letter's or event's entry: "Substantive reply received (Refused): <request>"."""
    if not row.is_letter:
        return f"{EVENT_KINDS.get(row.kind, row.kind)}: {row.title}"
    kind = LETTER_KINDS.get(row.kind, row.kind)
    verb = "sent" if row.direction == Direction.SENT else "received"
    outcome = f" ({OUTCOMES.get(row.outcome, row.outcome)})" if row.outcome else ""
    return f"{kind} {verb}{outcome}: {row.title}"


def activity_summary(row) -> str:
    """Summarise a letter or event in its first 80 words, a sent letter with its due date."""
    text = Truncator(row.text).words(80)
    if row.due_on:
        text = f"{due_said(row.due_on, row.original_due_on)}\n\n{text}"
    return text


class LatestActivityFeed(ActivityFeed):
    def title(self, obj):
        return "Latest activity: campaign correspondence tracker"

    def subtitle(self, obj):
        return "Letters, replies and events on every public request."

    def link(self, obj):
        return reverse("campaigns:home")


class ObjectActivityFeed(ActivityFeed):
    """Activity on the requests of one object found by its slug."""

    title_suffix = ""

    def public(self):
        """Return the objects whose feeds are public."""
        raise NotImplementedError

    def get_object(self, request, slug):
        return get_object_or_404(self.public(), slug=slug)

    def title(self, obj):
        return f"{obj}: {self.title_suffix}"

    def subtitle(self, obj):
        return obj.description

    def link(self, obj):
        return obj.get_absolute_url()


class RequestFeed(ObjectActivityFeed):
    title_suffix = "letters and events"

    def public(self):
        return Request.objects.published()

    def subtitle(self, obj):
        return obj.summary

    def requests(self, obj):
        return Request.objects.filter(pk=obj.pk)


class CoalitionFeed(ObjectActivityFeed):
    title_suffix = "activity on its requests"

    def public(self):
        return public_coalitions()

    def requests(self, obj):
        return Request.objects.published().filter(coalition=obj)


class OrganisationFeed(ObjectActivityFeed):
    title_suffix = "requests made and received"

    def get_object(self, request, slug):
        return public_organisation_or_404(slug)

    def requests(self, obj):
        return Request.objects.published().filter(
            Q(recipient=obj) | Q(coalition__in=obj.coalitions.all())
        )


class RequestListFeed(AtomFeed):
    """The requests matching a search or filter, by latest activity."""

    def get_object(self, request):
        return RequestFilter(request.GET, queryset=public_requests())

    def title(self, obj):
        return "Requests: campaign correspondence tracker"

    def subtitle(self, obj):
        return "Public requests matching the chosen search and filters."

    def link(self, obj):
        query = obj.data.urlencode()
        return reverse("campaigns:request-list") + (f"?{query}" if query else "")

    def entries(self, obj):
        if not obj.is_valid():
            return
        for req in obj.qs.order_by("-last_activity_on", "-pk")[:FEED_ITEMS]:
            summary = Truncator(req.summary).words(60)
            yield FeedEntry(
                title=f"{req.title} ({req.status_label})",
                link=req.get_absolute_url(),
                moment=feed_moment(req.last_activity_on or req.created_at.date(), req.published_at),
                summary=f"{req.coalition.name} to {req.recipient.name}: {summary}",
            )
