"""Hardening of what the tracker hands out: search bounds, feeds, CSV cells and HTTP methods."""

import csv
import io
import xml.etree.ElementTree as ET
from http import HTTPStatus

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from campaigns import exports, search
from campaigns.models import Request
from campaigns.search import (
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    passage_html,
    search_passages,
    words_pattern,
)
from tests.factories import CoalitionFactory, EventFactory, LetterFactory, RequestFactory

pytestmark = pytest.mark.django_db

LIST = reverse("campaigns:request-list")
API_LIST = reverse("api:request-list")
CSV = reverse("campaigns:request-list-csv")
LIST_FEED = reverse("campaigns:request-list-feed")
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '<img src=x onerror="alert(1)">'

TOO_LONG = "x" * 50_000
THOUSAND_WORDS = " ".join(f"word{number}" for number in range(1000))
TOO_MANY_WORDS = " ".join(f"w{number}" for number in range(MAX_QUERY_TERMS + 10))
OVERSIZED = [TOO_LONG, THOUSAND_WORDS, TOO_MANY_WORDS]


def csv_rows(response):
    assert response.status_code == HTTPStatus.OK
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


# Defect 1: a search is bounded in length and words, with a message naming the limit.


@pytest.mark.parametrize(
    ("query", "limit"),
    [
        (TOO_LONG, f"at most {MAX_QUERY_CHARS} characters long; this one has 50,000"),
        (
            THOUSAND_WORDS,
            f"at most {MAX_QUERY_CHARS} characters long; this one has {len(THOUSAND_WORDS):,}",
        ),
        (TOO_MANY_WORDS, f"at most {MAX_QUERY_TERMS} words; this one has {MAX_QUERY_TERMS + 10}"),
    ],
)
def test_list_page_refuses_an_oversized_search_naming_the_limit_and_keeps_it(client, query, limit):
    LetterFactory(body="word1 word2 " + "x" * 20)
    response = client.get(LIST, {"q": query})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert limit in page
    assert "0 requests listed: correct the search or filters above" in page
    assert f'value="{query}"' in page  # what was typed is still in the box


def test_a_long_search_is_shortened_in_the_heading_and_title(client):
    page = client.get(LIST, {"q": "x" * 150}).content.decode()
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    for shown in (heading, title):
        assert "x" * 79 + "…" in shown and "x" * 80 not in shown


@pytest.mark.parametrize("query", OVERSIZED)
def test_api_refuses_an_oversized_search_with_a_json_400_naming_the_limit(client, query):
    response = client.get(API_LIST, {"q": query})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    [message] = response.json()["q"]
    assert "A search can" in message and "at most" in message


@pytest.mark.parametrize("query", OVERSIZED)
def test_csv_refuses_an_oversized_search_naming_the_limit(client, query):
    response = client.get(CSV, {"q": query})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "nothing was exported" in response.content.decode()
    assert "q: A search can" in response.content.decode()


@pytest.mark.parametrize("query", OVERSIZED)
def test_list_feed_of_an_oversized_search_is_empty_not_an_error(client, query):
    LetterFactory(body="word1 word2 " + "x" * 20)
    response = client.get(LIST_FEED, {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert feedparser.parse(response.content).entries == []


def test_a_search_at_both_limits_still_runs(client):
    words = [f"w{number}" for number in range(MAX_QUERY_TERMS)]
    request = LetterFactory(body=" ".join(words)).request
    at_limit = " ".join(words).ljust(MAX_QUERY_CHARS)
    assert len(at_limit) == MAX_QUERY_CHARS
    page = client.get(LIST, {"q": at_limit}).content.decode()
    assert request.get_absolute_url() in page
    assert "<mark>w0</mark>" in page


@pytest.mark.parametrize("query", OVERSIZED)
def test_search_and_its_passages_never_run_an_oversized_query(django_assert_num_queries, query):
    LetterFactory(body="word1 word2")
    with django_assert_num_queries(0):
        assert list(search.search(Request.objects.all(), query)) == []
    requests = search.with_passage_sources(Request.objects.all(), query)
    assert "passage_source" not in requests.query.annotations
    with django_assert_num_queries(1):  # the rows alone
        assert search_passages(requests, query) == {}


def test_passages_read_only_the_start_of_a_long_text(client, monkeypatch):
    monkeypatch.setattr(search, "PASSAGE_SOURCE_CHARS", 2000)
    near = LetterFactory(
        request=RequestFactory(summary="An ask."),
        body="The quokka census. " + "filler words " * 1000,
    ).request
    far = LetterFactory(
        request=RequestFactory(summary="An ask."),
        body="filler words " * 1000 + "The quokka census.",
    ).request

    requests = search.with_passage_sources(
        Request.objects.filter(pk__in=[near.pk, far.pk]), "quokka"
    )
    passages = search_passages(requests, "quokka")

    assert "<mark>quokka</mark>" in passages[near.pk]
    # Still found, but its passage is the start: the match lies beyond the text read.
    assert far.pk in passages and "quokka" not in passages[far.pk]
    assert passages[far.pk].startswith("An ask. ")


# Defect 11: characters stored in the text never become markup in a passage.


def test_private_use_characters_in_stored_text_never_become_mark_tags(client):
    LetterFactory(body="Before \ue000evil\ue001 and \ue001</b> then the quokka census.")
    page = client.get(LIST, {"q": "quokka"}).content.decode()
    assert "<mark>quokka</mark>" in page
    assert "<mark>evil" not in page
    assert page.count("<mark>") == page.count("</mark>") == 1


def test_snippets_strip_the_highlighters_markers_from_any_text():
    html = passage_html("\ue001</p>\ue000 <b>wombat</b> \ue000", words_pattern(["wombat"]))
    assert html == "&lt;/p&gt; &lt;b&gt;<mark>wombat</mark>&lt;/b&gt;"


# Defect 4: feed summaries are plain text, so markup in a letter shows as typed.


@pytest.fixture
def hostile_request():
    request = RequestFactory(summary=f"Please publish. {HOSTILE}")
    LetterFactory(request=request, body=f"Dear Panel, {HOSTILE} yours.")
    EventFactory(request=request, description=f"Covered by {HOSTILE}.")
    return request


def hostile_feeds(request):
    return [
        reverse("campaigns:latest-feed"),
        reverse("campaigns:request-feed", args=[request.slug]),
        reverse("campaigns:coalition-feed", args=[request.coalition.slug]),
        reverse("campaigns:organisation-feed", args=[request.recipient.slug]),
        LIST_FEED,
    ]


def test_feed_summaries_are_plain_text_so_markup_is_never_rendered(client, hostile_request):
    for url in hostile_feeds(hostile_request):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
        root = ET.fromstring(response.content)
        summaries = root.findall(f"{ATOM}entry/{ATOM}summary")
        assert summaries, url
        for summary in summaries:
            assert summary.get("type") == "text", url
            assert list(summary) == [], url  # no element inside, only text
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        for entry in feed.entries:
            assert entry.summary_detail.type == "text/plain", url
        # A reader shows the markup as the letter's own words.
        assert any(HOSTILE in entry.summary for entry in feed.entries), url


def test_control_characters_in_stored_text_do_not_break_feeds(client):
    request = RequestFactory(title="Vertical\x0btab title", summary="Bell\x07 in the ask")
    LetterFactory(request=request, body="Pasted\x0bfrom a word processor\x01.")
    for url in hostile_feeds(request):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feedparser.parse(client.get(LIST_FEED).content).entries]
    assert titles[0].startswith("Vertical tab title (")


# Defect 5: CSV cells that a spreadsheet would run as a formula are neutralised.


@pytest.mark.parametrize(
    "title",
    ['=HYPERLINK("http://evil","x")', "+1+2", "-1+2", "@SUM(A1:A2)", "\t=1+2", "\r=1+2"],
)
def test_csv_prefixes_cells_a_spreadsheet_would_read_as_formulas(client, title):
    RequestFactory(title=title, coalition=CoalitionFactory(name=f"{title} coalition"))
    [row] = csv_rows(client.get(CSV))
    assert row["title"] == f"'{title}"
    assert row["coalition"] == f"'{title} coalition"


def test_csv_keeps_ordinary_text_and_numbers_as_they_are():
    assert exports.csv_value("Publish the analysis") == "Publish the analysis"
    assert exports.csv_value("48 incidents") == "48 incidents"
    assert exports.csv_value(-3) == -3  # a number, never read as a formula
    assert exports.csv_value(31) == 31
    assert exports.csv_value(None) == ""
    assert exports.csv_value(True) == "yes"


# Defect 11: read-only outputs answer GET and HEAD only; OPTIONS on the API docs is no 500.


def read_only_urls(request):
    sitemaps = [reverse("sitemap"), reverse("sitemap-section", args=["requests"])]
    return [*hostile_feeds(request), CSV, reverse("robots"), *sitemaps]


def attachment_url(request):
    return reverse("campaigns:letter-attachment", args=[request.slug, request.letters.get().pk])


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only_outputs_refuse_writing_methods(method, hostile_request):
    client = Client()  # CSRF not enforced, as for a client that sends no cookie
    for url in [*read_only_urls(hostile_request), attachment_url(hostile_request)]:
        response = getattr(client, method)(url)
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED, url
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}


@pytest.mark.parametrize("method", ["get", "head"])
def test_read_only_outputs_still_answer_get_and_head(client, method, hostile_request):
    for url in read_only_urls(hostile_request):
        assert getattr(client, method)(url).status_code == HTTPStatus.OK, url


def test_options_on_the_api_docs_lists_the_methods(client):
    response = client.options(reverse("api:docs"))
    assert response.status_code == HTTPStatus.OK
    assert {"GET", "HEAD"} <= set(response["Allow"].split(", "))
    assert client.get(reverse("api:docs")).status_code == HTTPStatus.OK


@pytest.mark.parametrize("route", ["api:request-detail", "api:coalition-detail"])
def test_api_item_addresses_that_are_not_slugs_are_json_404s(client, route):
    RequestFactory()
    prefix = reverse(route, args=["x"]).removesuffix("x/")
    response = client.get(f"{prefix}a%00b/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "Not found."}


def test_api_items_are_still_found_by_slug(client):
    request = RequestFactory(slug="publish-the-analysis_2022")
    assert reverse("api:request-detail", args=[request.slug]).endswith("_2022/")
    response = client.get(reverse("api:request-detail", args=[request.slug]))
    assert response.status_code == HTTPStatus.OK
    assert response.json()["title"] == request.title
