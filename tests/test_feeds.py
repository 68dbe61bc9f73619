"""Atom feeds, sitemap, robots.txt and the links that make pages discoverable."""

from datetime import date
from http import HTTPStatus

import feedparser
import pytest
from django.urls import reverse

from campaigns.choices import DeadlineChangeKind
from campaigns.services import deadline_change_record
from tests.factories import EventFactory, LetterFactory, RequestFactory

pytestmark = pytest.mark.django_db

CASE_SLUG = "panel-48-incidents-analysis-2022"


def parse(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize(
    "url",
    [
        reverse("campaigns:latest-feed"),
        reverse("campaigns:request-feed", args=[CASE_SLUG]),
        reverse("campaigns:coalition-feed", args=["publish-the-48-incidents-analysis"]),
        reverse("campaigns:organisation-feed", args=["nagalro"]),
        reverse("campaigns:organisation-feed", args=["child-safeguarding-practice-review-panel"]),
    ],
)
def test_activity_feeds_hold_the_case_timeline_newest_first(client, demo, url):
    feed = parse(client, url)
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 7
    assert titles[0].startswith("Related publication: Panel's fourth annual report")
    assert "Substantive reply received (Refused): Publish the Panel's analysis" in titles[3]
    assert titles[-1].startswith("Initial letter sent")
    assert all(entry.link.startswith("http://testserver/requests/") for entry in feed.entries)


def test_a_feeds_source_reads_as_written_with_markup_escaped(client, demo):
    LetterFactory(request=demo, reply=True, body='Said "no" <b>twice</b> & left.')
    source = client.get(reverse("campaigns:request-feed", args=[CASE_SLUG])).content.decode()
    assert "Publish the Panel's analysis" in source  # no &#39; for an apostrophe
    assert "Said &#34;no&#34; &lt;b&gt;twice&lt;/b&gt; &amp; left." in source


def test_a_sent_letters_entry_says_when_its_reply_is_due_as_extended(client, demo):
    def initial_letters_summary():
        feed = parse(client, reverse("campaigns:request-feed", args=[CASE_SLUG]))
        (entry,) = [e for e in feed.entries if e.title.startswith("Initial letter sent")]
        return entry.summary

    assert initial_letters_summary().startswith("Reply due 30 May 2022.\n")
    sent = demo.letters.get(direction="sent")
    deadline_change_record(
        letter=sent,
        kind=DeadlineChangeKind.EXTENSION,
        new_due_on=date(2022, 6, 15),
        reason="More time asked for.",
    )

    assert initial_letters_summary().startswith("Reply due 15 June 2022, first due 30 May 2022.")


def test_entries_that_became_news_together_are_the_later_first_events_before_letters(client):
    # Published today, every entry of this request became news at the same moment.
    request = RequestFactory(slug="together")
    sent = LetterFactory(request=request, date=date(2022, 4, 29), kind="initial")
    reply = LetterFactory(request=request, reply=True, date=date(2022, 5, 30))
    event = EventFactory(request=request, date=date(2022, 5, 30), title="Same day as the reply")
    earlier_event = EventFactory(request=request, date=date(2022, 4, 29), title="First day")
    feed = parse(client, reverse("campaigns:request-feed", args=["together"]))
    assert [entry.link.rsplit("#", 1)[1] for entry in feed.entries] == [
        f"event-{event.pk}",
        f"letter-{reply.pk}",
        f"event-{earlier_event.pk}",
        f"letter-{sent.pk}",
    ]
    assert len({entry.updated for entry in feed.entries}) == 1


def test_search_feed_lists_the_matching_requests(client, demo):
    RequestFactory(title="Unrelated")
    feed = parse(client, reverse("campaigns:request-list-feed") + "?q=48+incidents")
    assert [entry.title for entry in feed.entries] == [
        "Publish the Panel's analysis of 48 incidents involving children in care (Refused)"
    ]


def test_a_search_feed_names_itself_with_its_query_and_says_what_it_holds(client, demo):
    feed = parse(client, reverse("campaigns:request-list-feed") + "?q=48+incidents")
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == "http://testserver/requests/feed/?q=48+incidents"
    assert links["alternate"] == "http://testserver/requests/?q=48+incidents"
    assert feed.feed.subtitle == "Public requests matching the chosen search and filters."
    case = parse(client, reverse("campaigns:request-feed", args=[CASE_SLUG]))
    assert case.feed.subtitle == demo.summary


def test_feed_with_bad_filters_is_empty_not_an_error(client, demo):
    feed = parse(client, reverse("campaigns:request-list-feed") + "?status=bogus")
    assert feed.entries == []


def test_drafts_are_absent_from_feeds_and_their_feed_is_404(client):
    draft = LetterFactory(request=RequestFactory(is_published=False, title="Draft tapir")).request
    feed = parse(client, reverse("campaigns:latest-feed"))
    assert feed.entries == []
    response = client.get(reverse("campaigns:request-feed", args=[draft.slug]))
    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    ("url", "feed"),
    [
        ("/", "/feeds/latest/"),
        (f"/requests/{CASE_SLUG}/", f"/requests/{CASE_SLUG}/feed/"),
        (
            "/coalitions/publish-the-48-incidents-analysis/",
            "/coalitions/publish-the-48-incidents-analysis/feed/",
        ),
        ("/organisations/nagalro/", "/organisations/nagalro/feed/"),
        ("/requests/?q=48", "/requests/feed/?q=48"),
    ],
)
def test_each_page_links_its_feed(client, demo, url, feed):
    page = client.get(url).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert f'href="{feed}"' in page


def test_request_page_has_canonical_link_and_open_graph_preview(client, demo):
    page = client.get(f"/requests/{CASE_SLUG}/").content.decode()
    assert f'<link rel="canonical" href="http://testserver/requests/{CASE_SLUG}/">' in page
    assert '<meta property="og:title" content="Publish the Panel&#39;s analysis' in page
    assert '<meta property="og:description" content="Refused. Publish the Panel' in page


def test_robots_points_at_the_sitemap_and_keeps_out_of_the_admin(client):
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in robots.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
