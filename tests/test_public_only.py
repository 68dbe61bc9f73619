"""Nothing unpublished reaches any public URL: pages, search, feeds, sitemap, CSV, API, stats."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from tests.documents import pdf
from tests.factories import (
    CoalitionFactory,
    EventFactory,
    LetterFactory,
    OrganisationFactory,
    PersonFactory,
    PublicBodyFactory,
    RequestFactory,
    attach,
)

pytestmark = pytest.mark.django_db

MARKER = "Xylophone7Marker"
PLANTED = [
    f"Draft {MARKER} title",
    f"Draft {MARKER} ask",
    f"{MARKER} subject",
    f"{MARKER} body",
    f"{MARKER} reply",
    f"{MARKER} attachment",
    f"{MARKER} event",
    f"{MARKER} note",
    f"draft-{MARKER.lower()}",
]


@pytest.fixture
def draft(demo):
    """A draft request to the demo's recipient from the demo's coalition, marked everywhere."""
    request = RequestFactory(
        is_published=False,
        title=f"Draft {MARKER} title",
        slug=f"draft-{MARKER.lower()}",
        summary=f"Draft {MARKER} ask",
        coalition=demo.coalition,
        recipient=demo.recipient,
    )
    letter = LetterFactory(request=request, subject=f"{MARKER} subject", body=f"{MARKER} body")
    attach(letter, pdf(f"{MARKER} attachment"), "draft.pdf")
    LetterFactory(request=request, reply=True, body=f"{MARKER} reply", date=letter.date)
    EventFactory(request=request, title=f"{MARKER} event", description=f"{MARKER} note")
    assert MARKER in letter.attachments.get().text
    return request, letter


def public_urls(demo, draft_request, letter):
    slug = demo.slug
    lists = [
        "/",
        "/requests/",
        f"/requests/?q={MARKER}",
        "/requests/?q=attachment",
        "/requests/?status=refused",
        f"/requests/?recipient={demo.recipient.slug}",
        f"/requests/{slug}/",
        f"/requests/{slug}/embed/",
        f"/requests/{slug}/feed/",
        "/requests/feed/",
        f"/requests/feed/?q={MARKER}",
        "/requests/export.csv",
        f"/requests/export.csv?q={MARKER}",
        "/feeds/latest/",
        "/coalitions/",
        demo.coalition.get_absolute_url(),
        reverse("campaigns:coalition-feed", args=[demo.coalition.slug]),
        "/organisations/",
        demo.recipient.get_absolute_url(),
        reverse("campaigns:organisation-feed", args=[demo.recipient.slug]),
        "/stats/",
        "/sitemap.xml",
        "/sitemap-requests.xml",
        "/sitemap-coalitions.xml",
        "/sitemap-organisations.xml",
        "/api/requests/",
        f"/api/requests/?q={MARKER}",
        f"/api/requests/{slug}/",
        "/api/coalitions/",
        "/api/organisations/",
        f"/api/organisations/{demo.recipient.slug}/",
    ]
    draft_only = [
        draft_request.get_absolute_url(),
        reverse("campaigns:request-embed", args=[draft_request.slug]),
        reverse("campaigns:request-feed", args=[draft_request.slug]),
        reverse("campaigns:letter-attachment", args=[draft_request.slug, letter.pk]),
        f"/api/requests/{draft_request.slug}/",
    ]
    draft_only += [
        reverse("campaigns:attachment", args=[draft_request.slug, attachment.pk])
        for attachment in letter.attachments.all()
    ]
    return lists, draft_only


def test_no_public_url_returns_anything_of_an_unpublished_request(client, demo, draft):
    draft_request, letter = draft
    lists, draft_only = public_urls(demo, draft_request, letter)

    for url in lists:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode()
        # A search for the marker echoes it back in the search box; nothing planted may follow.
        forbidden = PLANTED if MARKER in url else [MARKER, MARKER.lower()]
        for phrase in forbidden:
            assert phrase not in text, (url, phrase)

    for url in draft_only:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url


def test_draft_counts_in_no_figure(client, demo, draft):
    stats = client.get("/stats/").content.decode()
    recipient = 'recipient=child-safeguarding-practice-review-panel">1</a></td>'
    assert '<td data-label="Received"><a href="/requests/?' + recipient in stats
    home = client.get("/").content.decode()
    assert "Browse all 1 request" in home


def test_publishing_the_draft_makes_it_public(client, demo, draft):
    draft_request, _ = draft
    draft_request.is_published = True
    draft_request.save()
    assert MARKER in client.get(f"/requests/?q={MARKER}").content.decode()


PARTY = "Quokka9Party"


def party(name):
    """Return a name and slug carrying the party marker."""
    return {"name": f"{name} {PARTY}", "slug": f"{name.lower()}-{PARTY.lower()}"}


@pytest.fixture
def draft_parties(demo):
    """A coalition, its members, a body, its people and a lone signatory known only to a draft."""
    lead, member, signer = (
        OrganisationFactory(**party(name)) for name in ("Lead", "Member", "Signer")
    )
    coalition = CoalitionFactory(members=[lead, member], **party("Coalition"))
    body = PublicBodyFactory(**party("Body"))
    official = PersonFactory(organisation=body, **{"name": f"Official {PARTY}"})
    author = PersonFactory(organisation=lead, **{"name": f"Author {PARTY}"})
    request = RequestFactory(
        is_published=False, coalition=coalition, recipient=body, recipient_person=official
    )
    letter = LetterFactory(
        request=request, signers=[author], addressee=official, signatories=[signer]
    )
    return request, [lead, member, signer, body], [coalition], letter


def party_urls(organisations, coalitions):
    urls = []
    for organisation in organisations:
        urls += [
            organisation.get_absolute_url(),
            reverse("campaigns:organisation-feed", args=[organisation.slug]),
            reverse("campaigns:organisation-calendar", args=[organisation.slug]),
            f"/api/organisations/{organisation.slug}/",
        ]
    for coalition in coalitions:
        urls += [
            coalition.get_absolute_url(),
            reverse("campaigns:coalition-feed", args=[coalition.slug]),
            reverse("campaigns:coalition-calendar", args=[coalition.slug]),
            f"/api/coalitions/{coalition.slug}/",
        ]
    return urls


def test_parties_known_only_to_a_draft_appear_nowhere(client, demo, draft_parties):
    request, organisations, coalitions, letter = draft_parties
    lists, _ = public_urls(demo, request, letter)
    for url in [*lists, "/organisations/?page=1", "/coalitions/?page=1"]:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert PARTY.lower() not in body.decode().lower(), url
    for url in party_urls(organisations, coalitions):
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url


def test_parties_become_public_with_their_request(client, demo, draft_parties):
    request, organisations, coalitions, _ = draft_parties
    request.is_published = True
    request.save()
    for url in party_urls(organisations, coalitions):
        assert client.get(url).status_code == HTTPStatus.OK, url
    names = client.get("/organisations/").content.decode()
    assert all(organisation.name in names for organisation in organisations)
    body_page = client.get(organisations[3].get_absolute_url()).content.decode()
    assert f"Official {PARTY}" in body_page
