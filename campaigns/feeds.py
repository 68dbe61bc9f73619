"""Atom feeds of public activity: site-wide, per request, coalition, organisation and search."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from campaigns.filters import RequestFilter
from campaigns.models import Coalition, Organisation, Request
from campaigns.timeline import build_timeline
from campaigns.views import public_events, public_letters, public_requests

FEED_ITEMS = 30


def as_datetime(day):
    """Return noon UK time on a day, for feeds that need a moment rather than a date."""
    return timezone.make_aware(datetime.combine(day, time(12)))


class ActivityFeed(Feed):
    """Letters and events on public requests, newest first."""

    feed_type = Atom1Feed

    def activity(self, requests):
        letters = public_letters().filter(request__in=requests).select_related("request")
        events = public_events().filter(request__in=requests).select_related("request")
        newest = ("-date", "-pk")
        entries = build_timeline(
            letters.order_by(*newest)[:FEED_ITEMS], events.order_by(*newest)[:FEED_ITEMS]
        )
        return entries[::-1][:FEED_ITEMS]

    def item_title(self, entry):
        if entry.is_letter:
            letter = entry.letter
            verb = "sent" if letter.is_sent else "received"
            outcome = f" ({letter.get_outcome_display()})" if letter.outcome else ""
            return f"{letter.get_kind_display()} {verb}{outcome}: {letter.request.title}"
        return f"{entry.event.get_kind_display()}: {entry.event.title}"

    def item_description(self, entry):
        text = entry.letter.body if entry.is_letter else entry.event.description
        return Truncator(text).words(80)

    def item_link(self, entry):
        return (entry.letter or entry.event).get_absolute_url()

    def item_pubdate(self, entry):
        return as_datetime(entry.date)

    def item_updateddate(self, entry):
        return as_datetime(entry.date)


class LatestActivityFeed(ActivityFeed):
    title = "Latest activity: campaign correspondence tracker"
    description = "Letters, replies and events on every public request."

    def link(self):
        return reverse("campaigns:home")

    def items(self):
        return self.activity(Request.objects.published())


class RequestFeed(ActivityFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Request.objects.published(), slug=slug)

    def title(self, obj):
        return f"{obj.title}: letters and events"

    def description(self, obj):
        return obj.summary

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return self.activity(Request.objects.filter(pk=obj.pk))


class CoalitionFeed(ActivityFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Coalition, slug=slug)

    def title(self, obj):
        return f"{obj.name}: activity on its requests"

    def description(self, obj):
        return obj.description

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return self.activity(Request.objects.published().filter(coalition=obj))


class OrganisationFeed(ActivityFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Organisation, slug=slug)

    def title(self, obj):
        return f"{obj.name}: requests made and received"

    def description(self, obj):
        return obj.description

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return self.activity(
            Request.objects.published().filter(
                Q(recipient=obj) | Q(coalition__in=obj.coalitions.all())
            )
        )


class RequestListFeed(Feed):
    """The requests matching a search or filter, by latest activity."""

    feed_type = Atom1Feed
    title = "Requests: campaign correspondence tracker"
    description = "Public requests matching the chosen search and filters."

    def get_object(self, request):
        return RequestFilter(request.GET, queryset=public_requests())

    def link(self, obj):
        query = obj.data.urlencode() if hasattr(obj.data, "urlencode") else ""
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
        return as_datetime(req.last_activity_on or req.created_at.date())

    def item_updateddate(self, req):
        return self.item_pubdate(req)
