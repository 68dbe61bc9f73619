"""Safe publishing: embargoes, private letters and events, campaigners' previews, feed dates."""

import importlib
import time as clock
from datetime import date, datetime, timedelta
from http import HTTPStatus
from types import SimpleNamespace
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns import feeds
from campaigns.choices import Outcome, RequestStatus
from campaigns.models import Event, Letter, Request
from campaigns.public import as_datetime
from campaigns.search import request_search_text
from campaigns.services import (
    FACT_FIELDS,
    attachments_save,
    letter_change,
    publication_moment,
    request_refresh,
)
from tests.documents import pdf
from tests.factories import (
    EventFactory,
    LetterFactory,
    OrganisationFactory,
    RequestFactory,
    attach,
)
from tests.test_public_only import MARKER, PLANTED, public_urls

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
LONDON = ZoneInfo("Europe/London")


def freeze(monkeypatch, moment):
    """Make the site's clock read `moment`."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def text_of(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode()


def assert_nothing_shown(client, lists, hidden_only):
    """Assert that no public URL shows the marker, and that the hidden item's own URLs 404."""
    for url in lists:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        text = text_of(response)
        # A search for the marker echoes it back in the search box; nothing planted may follow.
        forbidden = PLANTED if MARKER in url else [MARKER, MARKER.lower()]
        for phrase in forbidden:
            assert phrase not in text, (url, phrase)
    for url in hidden_only:
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND, url


def marked_letters(request, **private):
    """Plant the marker in a letter with a PDF, a reply and an event on a request."""
    letter = LetterFactory(
        request=request,
        subject=f"{MARKER} subject",
        body=f"{MARKER} body",
        date=date(2021, 1, 4),
        **private,
    )
    attach(letter, pdf(f"{MARKER} attachment"), "marked.pdf")
    reply = LetterFactory(
        request=request,
        reply=True,
        outcome=Outcome.MET,
        body=f"{MARKER} reply",
        date=date(2023, 3, 1),
        **private,
    )
    event = EventFactory(
        request=request,
        title=f"{MARKER} event",
        description=f"{MARKER} note",
        date=date(2021, 1, 5),
        **private,
    )
    return letter, reply, event


@pytest.fixture
def embargoed(demo):
    """A published request to the demo's recipient, marked everywhere, embargoed for a day."""
    request = RequestFactory(
        is_published=True,
        publish_at=timezone.now().replace(microsecond=0) + timedelta(days=1),
        title=f"Draft {MARKER} title",
        slug=f"draft-{MARKER.lower()}",
        summary=f"Draft {MARKER} ask",
        coalition=demo.coalition,
        recipient=demo.recipient,
    )
    letter, _reply, _event = marked_letters(request)
    request.refresh_from_db()
    return request, letter


def test_an_embargoed_request_is_public_only_from_its_time(demo, embargoed, monkeypatch):
    request, _ = embargoed
    assert not Request.objects.published().filter(pk=request.pk).exists()
    freeze(monkeypatch, request.publish_at)
    assert Request.objects.published().filter(pk=request.pk).exists()


def test_querysets_built_before_an_embargo_ends_follow_the_clock(client, demo, monkeypatch):
    # The API's coalitions are a queryset built once, when the module is imported.
    request = RequestFactory(publish_at=timezone.now() + timedelta(days=1))
    published = Request.objects.published()
    coalitions = reverse("api:coalition-list")
    assert request.coalition.slug not in client.get(coalitions).content.decode()
    assert not published.filter(pk=request.pk).exists()
    freeze(monkeypatch, request.publish_at)
    assert published.filter(pk=request.pk).exists()
    assert request.coalition.slug in client.get(coalitions).content.decode()


def test_an_embargoed_request_reaches_no_public_url_until_its_time(
    client, demo, embargoed, monkeypatch
):
    request, letter = embargoed
    lists, own_urls = public_urls(demo, request, letter)
    assert_nothing_shown(client, lists, own_urls)

    freeze(monkeypatch, request.publish_at + timedelta(minutes=1))
    for url in own_urls:
        # The address of a letter's one file goes on to that file.
        assert client.get(url, follow=True).status_code == HTTPStatus.OK, url
    for url in (
        f"/requests/?q={MARKER}",
        "/requests/export.csv",
        "/feeds/latest/",
        "/sitemap-requests.xml",
        "/api/requests/",
        demo.recipient.get_absolute_url(),
    ):
        assert MARKER.lower() in text_of(client.get(url)).lower(), url
    assert "Browse all 2 requests" in client.get("/").content.decode()


def test_publishing_dates_the_request_at_its_embargo(demo, embargoed):
    request, _ = embargoed
    assert request.published_at == request.publish_at


def feed_entries(client, url):
    """Return (title, published, updated) of each entry of a feed, in order."""
    root = ElementTree.fromstring(client.get(url).content)
    return [
        (
            entry.find(f"{ATOM}title").text,
            datetime.fromisoformat(entry.find(f"{ATOM}published").text),
            datetime.fromisoformat(entry.find(f"{ATOM}updated").text),
        )
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_feeds_date_an_embargoed_requests_letters_at_publication(
    client, demo, embargoed, monkeypatch
):
    request, _ = embargoed
    # Fewer entries than the demo's letters and events, all dated after the embargoed letters.
    monkeypatch.setattr(feeds, "FEED_ITEMS", 3)
    freeze(monkeypatch, request.publish_at + timedelta(hours=1))

    latest = feed_entries(client, "/feeds/latest/")
    assert len(latest) == 3
    assert all(MARKER in title for title, _published, _updated in latest)
    for _title, published, updated in latest:
        assert published == updated == request.publish_at

    own = feed_entries(client, reverse("campaigns:request-feed", args=[request.slug]))
    assert len(own) == 3
    assert {published for _title, published, _updated in own} == {request.publish_at}
    listed = feed_entries(client, f"/requests/feed/?q={MARKER}")
    assert [published for _title, published, _updated in listed] == [request.publish_at]


def test_feeds_date_entries_after_publication_by_their_own_date(client, demo):
    later = LetterFactory(
        request=demo, follow_up=True, date=timezone.localdate() + timedelta(days=3)
    )
    entries = feed_entries(client, reverse("campaigns:request-feed", args=[demo.slug]))
    assert entries[0][1] == as_datetime(later.date)


def test_feeds_of_an_old_request_published_now_date_it_now(client, demo):
    request = RequestFactory(is_published=False, title=f"Old {MARKER}")
    LetterFactory(request=request, date=date(2022, 4, 29))
    request.is_published = True
    request.save()
    request_refresh(request=request)  # as the admin's save does
    request.refresh_from_db()
    assert timezone.now() - request.published_at < timedelta(minutes=1)
    entries = feed_entries(client, f"/requests/feed/?q={MARKER}")
    assert [published for _title, published, _updated in entries] == [request.published_at]


@pytest.fixture
def private_parts(demo):
    """Private letters (one signed by an organisation named nowhere else) and an event, on the
    published demo request, marked everywhere."""
    signer = OrganisationFactory(name=f"Signer {MARKER}", slug=f"signer-{MARKER.lower()}")
    letter, reply, event = marked_letters(demo, is_private=True)
    letter.signatories.set([signer])
    return letter, reply, event, signer


def stored_facts(request):
    request.refresh_from_db()
    return {name: getattr(request, name) for name in FACT_FIELDS}


def test_private_letters_and_events_reach_no_public_url(client, demo, private_parts):
    letter, _reply, _event, signer = private_parts
    lists, _ = public_urls(demo, demo, letter)
    hidden = [
        reverse("campaigns:letter-attachment", args=[demo.slug, letter.pk]),
        file_url(letter),
        signer.get_absolute_url(),
        f"/api/organisations/{signer.slug}/",
    ]
    assert_nothing_shown(client, [*lists, "/organisations/?page=1"], hidden)


def test_private_letters_change_none_of_the_facts_the_public_sees(demo):
    before = stored_facts(demo)
    status = Request.objects.with_status().get(pk=demo.pk).status
    marked_letters(demo, is_private=True)
    LetterFactory(request=demo, follow_up=True, date=date(2023, 4, 3), is_private=True)

    assert stored_facts(demo) == before
    assert Request.objects.with_status().get(pk=demo.pk).status == status
    demo.refresh_from_db()
    assert MARKER not in demo.search_document


def test_a_private_letter_made_public_shows_at_once(client, demo, private_parts):
    letter, reply, _event, _signer = private_parts
    letter_change(letter=letter, is_private=False)
    letter_change(letter=Letter.objects.get(pk=reply.pk), is_private=False)

    page = client.get(demo.get_absolute_url()).content.decode()
    assert f"{MARKER} body" in page and f"{MARKER} reply" in page
    assert f"{MARKER} event" not in page  # still private
    assert MARKER in client.get(f"/requests/?q={MARKER}").content.decode()
    assert client.get(file_url(letter)).status_code == HTTPStatus.OK
    demo = Request.objects.with_status().get(pk=demo.pk)
    assert demo.latest_reply_id == reply.pk
    assert demo.status == RequestStatus.MET


def test_search_text_leaves_out_private_letters_and_events():
    request = SimpleNamespace(title="Title", summary="Ask")
    shown = SimpleNamespace(pk=1, subject="Shown", body="", is_private=False)
    hidden = SimpleNamespace(pk=2, subject="Hidden", body="", is_private=True)
    event = SimpleNamespace(title="Hidden event", outlet="", description="", is_private=True)
    text = request_search_text(request, [shown, hidden], [event], {2: ["Hidden file"]})
    assert "Shown" in text.body
    assert "Hidden" not in text.body


NOW = datetime(2024, 5, 1, 9, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("is_published", "publish_at", "published_at", "expected"),
    [
        (False, None, None, None),
        (True, None, None, NOW),
        (True, NOW + timedelta(days=1), None, NOW + timedelta(days=1)),
        (True, NOW - timedelta(days=1), None, NOW - timedelta(days=1)),
        # Moving an embargo that has not ended moves the publication with it.
        (True, NOW + timedelta(days=2), NOW + timedelta(days=1), NOW + timedelta(days=2)),
        # Once public, a request keeps the moment it first became so.
        (True, None, NOW - timedelta(days=9), NOW - timedelta(days=9)),
        (False, None, NOW - timedelta(days=9), NOW - timedelta(days=9)),
        # Withdrawn before its embargo ended, it was never public.
        (False, NOW + timedelta(days=1), NOW + timedelta(days=1), None),
    ],
)
def test_publication_moment(is_published, publish_at, published_at, expected):
    moment = publication_moment(
        is_published=is_published, publish_at=publish_at, published_at=published_at, now=NOW
    )
    assert moment == expected


def test_migration_dates_published_requests_by_their_last_change():
    published, draft = RequestFactory(), RequestFactory(is_published=False)
    Request.objects.update(published_at=None)
    migration = importlib.import_module("campaigns.migrations.0010_publishing")
    migration.fill_published_at(apps, None)
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.published_at == published.updated_at
    assert draft.published_at is None


def feed_dates():
    return {
        (model.__name__, pk): dated
        for model in (Letter, Event)
        for pk, dated in model.objects.values_list("pk", "feed_dated_at")
    }


def test_the_write_path_dates_entries_for_the_feeds_and_moves_them_with_publication(
    demo, embargoed
):
    request, letter = embargoed
    letter.refresh_from_db()
    assert letter.feed_dated_at == request.publish_at  # dated before the embargo ends
    demo_letter = demo.letters.order_by("date").first()
    assert demo_letter.feed_dated_at == max(as_datetime(demo_letter.date), demo.published_at)
    later = timezone.now().replace(microsecond=0) + timedelta(days=5)
    request.publish_at = later
    request.save()
    request_refresh(request=request)  # as the admin's save does
    letter.refresh_from_db()
    assert letter.feed_dated_at == later


def test_the_migration_dates_entries_for_the_feeds_as_the_write_path_does(demo, embargoed):
    stored = feed_dates()
    assert len(stored) == 10 and all(stored.values())  # the demo's and the embargoed request's
    Letter.objects.update(feed_dated_at=None)
    Event.objects.update(feed_dated_at=None)
    migration = importlib.import_module("campaigns.migrations.0033_feed_dated_at")
    editor = SimpleNamespace(
        connection=connection, execute=lambda sql, params: connection.cursor().execute(sql, params)
    )
    migration.date_entries_for_feeds(apps, editor)
    assert feed_dates() == stored


def test_a_feed_reads_its_entries_in_two_queries(
    client, demo, embargoed, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the newest letters and events by when the feeds date them
        client.get("/feeds/latest/")
    with django_assert_num_queries(3):  # and the request
        client.get(reverse("campaigns:request-feed", args=[demo.slug]))


# Previews


@pytest.fixture
def campaigner_without_rights(django_user_model):
    user = django_user_model.objects.create_user("nobody", "n@example.org", "x-long-pw-2")
    user.is_staff = True
    user.save()
    browser = Client()
    browser.force_login(user)
    return browser


def test_preview_shows_a_draft_to_a_campaigner_and_404s_for_everyone_else(
    client, staff_client, campaigner_without_rights, demo
):
    draft = RequestFactory(is_published=False, title=f"Draft {MARKER} title")
    LetterFactory(request=draft, subject=f"{MARKER} private", is_private=True)
    url = draft.get_absolute_url()

    response = staff_client.get(url)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Draft: not public" in page
    assert f"{MARKER} private" in page
    assert 'class="tag tag-private">Private<' in page
    assert response["Cache-Control"] == "private, no-store"

    assert Client().get(url).status_code == HTTPStatus.NOT_FOUND
    assert campaigner_without_rights.get(url).status_code == HTTPStatus.NOT_FOUND


def test_the_admin_links_a_draft_to_its_preview(staff_client, demo):
    draft = RequestFactory(is_published=False)
    change = staff_client.get(reverse("admin:campaigns_request_change", args=[draft.pk]))
    assert f'href="{draft.get_absolute_url()}" class="viewsitelink"' in change.content.decode()
    assert staff_client.get(draft.get_absolute_url()).status_code == HTTPStatus.OK


def test_preview_says_when_an_embargo_ends(staff_client, demo):
    embargoed = RequestFactory(publish_at=datetime(2030, 6, 1, 10, tzinfo=LONDON))
    page = staff_client.get(embargoed.get_absolute_url()).content.decode()
    assert "Embargoed until 1 June 2030, 10:00" in page


def test_preview_of_a_public_request_marks_private_letters(staff_client, demo, private_parts):
    letter, *_ = private_parts
    response = staff_client.get(demo.get_absolute_url())
    page = response.content.decode()
    assert "Draft: not public" not in page and "Embargoed" not in page
    assert f"{MARKER} body" in page and "Private</span>" in page
    assert response["Cache-Control"] == "private, no-store"
    served = staff_client.get(file_url(letter))
    assert served.status_code == HTTPStatus.OK
    assert served["Cache-Control"] == "private, no-store"


def test_a_private_file_of_a_public_letter_reaches_no_public_url(staff_client, demo):
    client = Client()
    letter = demo.letters.first()
    attach(letter, pdf(f"{MARKER} attachment"), "marked.pdf", is_private=True)
    lists, _ = public_urls(demo, demo, letter)
    assert_nothing_shown(client, lists, [file_url(letter)])
    preview = staff_client.get(demo.get_absolute_url()).content.decode()
    assert "marked.pdf" in preview and "Private</span>" in preview
    assert staff_client.get(file_url(letter)).status_code == HTTPStatus.OK

    attachments_save(letter=letter, private=[])
    request_refresh(request=demo)
    assert "marked.pdf" in client.get(demo.get_absolute_url()).content.decode()
    assert client.get(file_url(letter)).status_code == HTTPStatus.OK
    assert demo.get_absolute_url() in client.get(f"/requests/?q={MARKER}").content.decode()


def file_url(letter):
    """Return the address of a letter's one file."""
    return reverse("campaigns:attachment", args=[letter.request.slug, letter.attachments.get().pk])


@pytest.fixture
def page_cache_on(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "publishing-tests",
        }
    }
    settings.PAGE_CACHE_SECONDS = 300
    settings.FIGURES_CACHE_SECONDS = 300
    caches["default"].clear()


def test_a_preview_is_never_served_from_the_page_cache(page_cache_on, staff_client, demo):
    LetterFactory(request=demo, subject=f"{MARKER} private", is_private=True)
    assert MARKER in staff_client.get(demo.get_absolute_url()).content.decode()
    visitor = Client()
    for _ in range(2):
        assert MARKER not in visitor.get(demo.get_absolute_url()).content.decode()
    assert visitor.get(demo.get_absolute_url())["X-Cache"] == "hit"


def test_a_cached_page_shows_the_request_right_after_its_embargo(page_cache_on, demo):
    # The cache's own clock is the real one, so the embargo really passes here.
    ends = timezone.now() + timedelta(seconds=2)
    RequestFactory(publish_at=ends, title=f"Embargoed {MARKER}")
    visitor = Client()
    for url in ("/requests/", "/"):
        assert MARKER not in visitor.get(url).content.decode()
        assert visitor.get(url)["X-Cache"] == "hit"
    clock.sleep(max(0, (ends - timezone.now()).total_seconds()) + 0.1)
    assert MARKER in visitor.get("/requests/").content.decode()
    assert "Browse all 2 requests" in visitor.get("/").content.decode()
