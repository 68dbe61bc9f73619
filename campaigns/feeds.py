"""Atom feeds of public activity: site-wide, per request, coalition, organisation and search."""

import re

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.text import Truncator

from campaigns.filters import RequestFilter
from campaigns.models import Request
from campaigns.public import (
    as_datetime,
    entry_moment,
    public_activity,
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


class PlainTextAtomFeed(Atom1Feed):
    """An Atom feed whose every text is plain: readers show markup in a letter as typed.

    Django marks summaries type="html", so a letter's `<img onerror=...>` would run in a reader.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {key: xml_text(value) for key, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {key: xml_text(value) for key, value in self.items[-1].items()}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def due_said(letter) -> str:
    """Say when a sent letter's reply is due as its deadline ledger stands, and the first due
    date if the ledger moved it."""
    said = f"Reply due {date_format(letter.due_on)}"
    first = letter.original_due_on
    if first and first != letter.due_on:
        said += f", first due {date_format(first)}"
    return f"{said}."


class ActivityFeed(Feed):
    """Letters and events on public requests, newest first, dated when they became public."""

    feed_type = PlainTextAtomFeed

    def activity(self, requests=None):
        return public_activity(requests, limit=FEED_ITEMS, by_publication=True)

    def item_title(self, entry):
        if entry.is_letter:
            letter = entry.letter
            verb = "sent" if letter.is_sent else "received"
            outcome = f" ({letter.get_outcome_display()})" if letter.outcome else ""
            return f"{letter.get_kind_display()} {verb}{outcome}: {letter.request.title}"
        return f"{entry.event.get_kind_display()}: {entry.event.title}"

    def item_description(self, entry):
        text = entry.letter.body if entry.is_letter else entry.event.description
        text = Truncator(text).words(80)
        if entry.is_letter and entry.letter.due_on:
            text = f"{due_said(entry.letter)}\n\n{text}"
        return text

    def item_link(self, entry):
        return (entry.letter or entry.event).get_absolute_url()

    def item_pubdate(self, entry):
        return entry_moment(entry)

    def item_updateddate(self, entry):
        return entry_moment(entry)


class LatestActivityFeed(ActivityFeed):
    title = "Latest activity: campaign correspondence tracker"
    description = "Letters, replies and events on every public request."

    def link(self):
        return reverse("campaigns:home")

    def items(self):
        return self.activity()


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

    def description(self, obj):
        return obj.description

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return self.activity(self.requests(obj))


class RequestFeed(ObjectActivityFeed):
    title_suffix = "letters and events"

    def public(self):
        return Request.objects.published()

    def description(self, obj):
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


class RequestListFeed(Feed):
    """The requests matching a search or filter, by latest activity."""

    feed_type = PlainTextAtomFeed
    title = "Requests: campaign correspondence tracker"
    description = "Public requests matching the chosen search and filters."

    def get_object(self, request):
        return RequestFilter(request.GET, queryset=public_requests())

    def link(self, obj):
        query = obj.data.urlencode()
        return reverse("campaigns:request-list") + (f"?{query}" if query else "")

    def items(self, obj):
        if not obj.is_valid():
            return []
        return list(obj.qs.order_by("-last_activity_on", "-pk")[:FEED_ITEMS])

    def item_title(self, req):
        return f"{req.title} ({req.status_label})"

    def item_description(self, req):
        return f"{req.coalition.name} to {req.recipient.name}: {Truncator(req.summary).words(60)}"

    def item_pubdate(self, req):
        dated = as_datetime(req.last_activity_on or req.created_at.date())
        return max(dated, req.published_at) if req.published_at else dated

    def item_updateddate(self, req):
        return self.item_pubdate(req)
