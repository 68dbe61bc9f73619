"""The sitemap index and its sections: every public page listed once, drafts never."""

from collections import Counter
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.http import http_date

from campaigns import sitemaps
from campaigns.models import Request
from campaigns.sitemaps import RequestSitemap
from tests.factories import CoalitionFactory, RequestFactory

pytestmark = pytest.mark.django_db

SITEMAP_XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NS = {"sm": SITEMAP_XMLNS}
SERVER = "http://testserver"


def read_xml(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK, url
    assert response["Content-Type"] == "application/xml"
    return ElementTree.fromstring(response.content)


def index_locations(client):
    index = read_xml(client, reverse("sitemap"))
    assert index.tag == f"{{{SITEMAP_XMLNS}}}sitemapindex"
    return [loc.text.removeprefix(SERVER) for loc in index.findall("sm:sitemap/sm:loc", NS)]


def section_entries(client, url):
    urlset = read_xml(client, url)
    return [
        (entry.findtext("sm:loc", namespaces=NS), entry.findtext("sm:lastmod", namespaces=NS))
        for entry in urlset.findall("sm:url", NS)
    ]


@pytest.fixture
def pages_of_two(monkeypatch):
    """List two requests a page, so a few requests need several pages."""
    monkeypatch.setattr(RequestSitemap, "limit", 2)


def test_sitemap_urls_resolve_both_ways():
    assert reverse("sitemap") == "/sitemap.xml"
    # Each view is wrapped to answer GET and HEAD only.
    assert resolve("/sitemap.xml").func.__wrapped__ == sitemaps.index.__wrapped__
    assert reverse("sitemap-section", kwargs={"section": "requests"}) == "/sitemap-requests.xml"
    match = resolve("/sitemap-requests.xml")
    assert (match.func, match.kwargs["section"]) == (sitemaps.section, "requests")


def test_sections_answer_get_and_head_only(client):
    assert client.head("/sitemap-requests.xml").status_code == HTTPStatus.OK
    assert client.post("/sitemap-requests.xml").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_a_section_is_the_xml_that_djangos_sitemap_template_writes(client, rf):
    RequestFactory(title="Fish & chips <in> 'quotes'", slug="fish-chips")
    RequestFactory()
    RequestFactory(is_published=False)
    written = client.get("/sitemap-requests.xml").content
    urls = RequestSitemap().get_urls(page=1, site=get_current_site(rf.get("/")), protocol="http")
    by_django = render_to_string("sitemap.xml", {"urlset": urls})
    assert canonical(written) == canonical(by_django)
    assert len(ElementTree.fromstring(written).findall("sm:url", NS)) == 2


def canonical(xml):
    return ElementTree.canonicalize(xml, strip_text=True)


def test_robots_points_at_the_sitemap_index(client):
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {SERVER}/sitemap.xml" in robots
    assert index_locations(client)


def test_index_lists_each_section(client):
    RequestFactory()
    assert index_locations(client) == [
        "/sitemap-pages.xml",
        "/sitemap-requests.xml",
        "/sitemap-coalitions.xml",
        "/sitemap-organisations.xml",
    ]


def test_the_index_is_the_xml_that_djangos_index_view_writes(client, rf, pages_of_two):
    for _ in range(5):
        RequestFactory()
    CoalitionFactory()
    written = client.get("/sitemap.xml")
    by_django = sitemap_views.index(
        rf.get("/sitemap.xml"), sitemaps.SITEMAPS, sitemap_url_name="sitemap-section"
    ).render()
    assert canonical(written.content) == canonical(by_django.content)
    assert written.get("Last-Modified") == by_django.get("Last-Modified")
    assert client.head("/sitemap.xml").status_code == HTTPStatus.OK
    assert client.post("/sitemap.xml").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_index_lists_every_page_of_a_section_that_needs_several(client, pages_of_two):
    for _ in range(5):
        RequestFactory()
    locations = index_locations(client)
    assert [loc for loc in locations if loc.startswith("/sitemap-requests.xml")] == [
        "/sitemap-requests.xml",
        "/sitemap-requests.xml?p=2",
        "/sitemap-requests.xml?p=3",
    ]


def test_every_published_request_is_on_exactly_one_page_and_drafts_on_none(client, pages_of_two):
    published = [RequestFactory() for _ in range(5)]
    drafts = [RequestFactory(is_published=False) for _ in range(2)]

    listed = Counter(
        loc for page in index_locations(client) for loc, _ in section_entries(client, page)
    )

    for request in published:
        assert listed[SERVER + request.get_absolute_url()] == 1
    for request in drafts:
        assert SERVER + request.get_absolute_url() not in listed


def test_sections_list_the_public_pages_only(client, demo):
    RequestFactory(is_published=False, slug="draft-request")
    listed = {loc for page in index_locations(client) for loc, _ in section_entries(client, page)}
    assert f"{SERVER}/requests/{demo.slug}/" in listed
    assert f"{SERVER}/coalitions/publish-the-48-incidents-analysis/" in listed
    assert f"{SERVER}/requests/draft-request/" not in listed


def test_request_entries_carry_their_last_change(client):
    request = RequestFactory()
    entries = section_entries(client, "/sitemap-requests.xml")
    assert entries == [
        (SERVER + request.get_absolute_url(), timezone.localdate(request.updated_at).isoformat())
    ]
    # As Django's sitemap view sends them: the latest change, and no search listing of its own.
    response = client.get("/sitemap-requests.xml")
    assert response["Last-Modified"] == http_date(request.updated_at.timestamp())
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert "Last-Modified" not in client.get("/sitemap-coalitions.xml")


@pytest.mark.parametrize(
    ("changed", "day"),
    [
        # Half past midnight in London in summer is still the day before in UTC.
        (datetime(2022, 6, 30, 23, 30, 15, 250000, tzinfo=UTC), "2022-07-01"),
        (datetime(2022, 12, 31, 23, 30, tzinfo=UTC), "2022-12-31"),  # GMT: the same day
    ],
)
def test_a_requests_last_change_is_dated_by_the_sites_clock(client, changed, day):
    request, older = RequestFactory(), RequestFactory()
    Request.objects.filter(pk=request.pk).update(updated_at=changed)
    Request.objects.filter(pk=older.pk).update(updated_at=changed - timedelta(days=3))
    entries = dict(section_entries(client, "/sitemap-requests.xml"))
    assert entries[SERVER + request.get_absolute_url()] == day
    response = client.get("/sitemap-requests.xml")
    assert response["Last-Modified"] == http_date(changed.timestamp())


def test_coalitions_and_organisations_have_their_sections(client):
    coalition = CoalitionFactory()
    hidden = CoalitionFactory()
    RequestFactory(coalition=coalition)
    RequestFactory(coalition=hidden, is_published=False)
    assert (SERVER + hidden.get_absolute_url(), None) not in section_entries(
        client, "/sitemap-coalitions.xml"
    )
    assert (SERVER + coalition.get_absolute_url(), None) in section_entries(
        client, "/sitemap-coalitions.xml"
    )
    member = coalition.members.first()
    assert (SERVER + member.get_absolute_url(), None) in section_entries(
        client, "/sitemap-organisations.xml"
    )


@pytest.mark.parametrize("page", ["4", "0", "x"])
def test_a_page_beyond_the_last_or_not_a_number_is_not_found(client, pages_of_two, page):
    for _ in range(5):
        RequestFactory()
    response = client.get("/sitemap-requests.xml", {"p": page})
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_an_unknown_section_is_not_found(client):
    assert client.get("/sitemap-drafts.xml").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("count", [5, 50])
def test_each_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, monkeypatch, settings, count
):
    monkeypatch.setattr(RequestSitemap, "limit", 20)
    for _ in range(count):
        RequestFactory()
    # Each section's count (the parties' after their public ids), the requests' last change.
    with django_assert_max_num_queries(6):
        pages = index_locations(client)
    settings.FIGURES_CACHE_SECONDS = 300
    index_locations(client)
    with django_assert_max_num_queries(3):  # the requests' count and the parties' ids are kept
        assert index_locations(client) == pages
    for page in pages:
        with django_assert_max_num_queries(2):  # the count, then the page's rows
            section_entries(client, page)
