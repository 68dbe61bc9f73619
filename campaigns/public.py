"""What the public may see. Every public page, feed, sitemap, export and the API starts here,
from the one rule `Request.objects.published()`.

Coalitions, organisations and people are public only through a published request: one created
for a draft stays unseen until the draft is published, so no page reveals whom a campaign is
about to write to, or with whom.
"""

from django.db.models import Exists, OuterRef

from campaigns.models import Coalition, Event, Letter, Membership, Organisation, Person, Request
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


def public_coalitions():
    """Return the coalitions that have made a published request."""
    return Coalition.objects.filter(
        Exists(Request.objects.published().filter(coalition=OuterRef("pk")))
    )


def public_people():
    """Return the people a published request names: as its recipient, or on one of its letters."""
    return Person.objects.filter(
        Exists(Request.objects.published().filter(recipient_person=OuterRef("pk")))
        | Exists(public_letters().filter(author=OuterRef("pk")))
        | Exists(public_letters().filter(addressee=OuterRef("pk")))
    )


def public_memberships():
    """Return the memberships of public coalitions."""
    return Membership.objects.filter(coalition__in=public_coalitions())


def public_organisations():
    """Return the organisations a published request names: as recipient, member of its coalition,
    signatory of one of its letters, or employer of a public person."""
    return Organisation.objects.filter(
        Exists(Request.objects.published().filter(recipient=OuterRef("pk")))
        | Exists(public_memberships().filter(organisation=OuterRef("pk")))
        | Exists(public_letters().filter(signatories=OuterRef("pk")))
        | Exists(public_people().filter(organisation=OuterRef("pk")))
    )


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
