"""Pages of requests: deep pages, counts taken from the status counts, capped search counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import pagination, search
from campaigns.models import Request
from campaigns.pagination import RequestPaginator
from campaigns.public import public_requests
from tests.factories import LetterFactory, RequestFactory

pytestmark = pytest.mark.django_db


def titles(page):
    return [req.title for req in page.object_list]


def test_a_deep_page_found_by_ids_first_holds_the_same_rows_in_the_same_order(monkeypatch):
    for day in range(7):
        LetterFactory(date=date(2022, 1, 3) + timedelta(days=day % 3))
    RequestFactory()  # not sent yet: listed first
    plain = [titles(RequestPaginator(public_requests(), 3).page(n)) for n in (1, 2, 3)]
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 0)
    by_ids = [titles(RequestPaginator(public_requests(), 3).page(n)) for n in (1, 2, 3)]
    assert by_ids == plain
    assert sum(plain, []) == [req.title for req in public_requests()]
    deep_row = RequestPaginator(public_requests(), 3).page(3).object_list[0]
    assert deep_row.status  # rows keep their annotations


def test_list_counts_come_from_the_counts_by_status(client):
    overdue = LetterFactory(date=date(2021, 1, 4)).request
    LetterFactory(request=overdue, reply=True, date=date(2021, 1, 20))
    LetterFactory(date=date(2021, 2, 1))
    page = client.get(reverse("campaigns:request-list"), {"status": "overdue"}).content.decode()
    assert "1 request matches" in page
    page = client.get(reverse("campaigns:request-list")).content.decode()
    assert "2 requests" in page


def test_api_pages_take_their_count_from_the_counts_by_status(client, settings):
    settings.FIGURES_CACHE_SECONDS = 300
    overdue = LetterFactory(date=date(2021, 1, 4)).request
    LetterFactory(request=overdue, reply=True, date=date(2021, 1, 20))
    LetterFactory(date=date(2021, 2, 1))
    url = reverse("api:request-list")
    assert client.get(url, {"status": "overdue"}).json()["count"] == 1
    assert client.get(url).json()["count"] == 2
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json()["count"] == 2
    # None counts the requests; the page's rows count each one's commitments in subqueries.
    assert not [
        q for q in queries if "COUNT(" in q["sql"] and '"campaigns_request"."title"' not in q["sql"]
    ]


def test_a_search_with_more_matches_than_the_limit_says_so(client, monkeypatch):
    monkeypatch.setattr("campaigns.pagination.SEARCH_COUNT_LIMIT", 2)
    for _ in range(3):
        LetterFactory(body="The bilby census.")
    page = client.get(reverse("campaigns:request-list"), {"q": "bilby"}).content.decode()
    assert "More than 2 requests match, newest first." in page
    monkeypatch.setattr("campaigns.pagination.SEARCH_COUNT_LIMIT", 3)
    page = client.get(reverse("campaigns:request-list"), {"q": "bilby"}).content.decode()
    assert "3 requests match" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL's")
def test_many_matches_keep_the_lists_order_and_few_are_ranked(client, monkeypatch):
    best = LetterFactory(date=date(2020, 1, 6), body="kiwi kiwi kiwi kiwi").request
    newest = LetterFactory(date=date(2023, 1, 6), body="A kiwi.").request
    Request.objects.filter(pk=best.pk).update(title="Kiwi kiwi")
    from campaigns.services import request_refresh

    request_refresh(request=Request.objects.get(pk=best.pk))
    matches = search.search(public_requests(), "kiwi")
    assert list(search.best_first(matches, all_counted=True)) == [best, newest]
    assert list(search.best_first(matches, all_counted=False)) == [newest, best]
    url = reverse("campaigns:request-list")
    assert list(client.get(url, {"q": "kiwi"}).context["page_obj"]) == [best, newest]
    monkeypatch.setattr("campaigns.pagination.SEARCH_COUNT_LIMIT", 1)
    assert list(client.get(url, {"q": "kiwi"}).context["page_obj"]) == [newest, best]
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"q": "kiwi"})
    assert len([q for q in queries if "COUNT(" in q["sql"].upper()]) == 1
