"""What the public may see. Every public page, feed, sitemap, export and the API starts here,
from the one rule `Request.objects.published()`."""

from campaigns.models import Event, Letter, Request
from campaigns.timeline import build_timeline


def public_requests():
    """Return the published requests with their status and parties, newest first."""
    return (
        Request.objects.published()
        .with_status()
        .newest_first()
        .with_parties()
        .defer("search_document", "search_vector")
    )


def public_letters():
    """Return the letters of published requests."""
    return Letter.objects.filter(request__in=Request.objects.published())


def public_events():
    """Return the events of published requests."""
    return Event.objects.filter(request__in=Request.objects.published())


def letters_with_people():
    """Return letters with the people and signatories shown beside them."""
    return Letter.objects.select_related(
        "author__organisation", "addressee__organisation"
    ).prefetch_related("signatories")


def public_activity(requests=None, *, limit):
    """Return the latest letters and events on public requests (or some of them), newest first."""
    letters = public_letters().select_related("request")
    events = public_events().select_related("request")
    if requests is not None:
        letters, events = letters.filter(request__in=requests), events.filter(request__in=requests)
    newest = ("-date", "-pk")
    entries = build_timeline(letters.order_by(*newest)[:limit], events.order_by(*newest)[:limit])
    return entries[::-1][:limit]
