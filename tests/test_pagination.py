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
from campaigns.stats import FIGURES
from tests.factories import LetterFactory, PublicBodyFactory, RequestFactory

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


@pytest.mark.parametrize("status", ["", "awaiting"])
def test_deep_pages_from_bookmarks_hold_the_rows_an_offset_reads(monkeypatch, settings, status):
    settings.FIGURES_CACHE_SECONDS = 300
    monkeypatch.setattr(pagination, "DEEP_OFFSET", 0)
    monkeypatch.setattr(pagination, "BOOKMARK_EVERY", 3)
    # Ties on the date sent, and on the moment created, and requests not sent yet (listed
    # first, where no bookmark can start a page).
    for day in range(9):
        LetterFactory(date=date.today() - timedelta(days=day % 3))
    for _ in range(4):
        RequestFactory()
    Request.objects.filter(pk__in=list(Request.objects.values_list("pk", flat=True)[:6])).update(
        created_at=Request.objects.first().created_at
    )
    listed = public_requests().filter(**({"open_due_on__isnull": False} if status else {}))
    expected = [req.title for req in listed]
    assert len(expected) == (9 if status else 13)
    marks = pagination.bookmarks(listed)
    assert len(marks) == len(expected) // 3
    assert marks[0][0] is None if not status else marks[0][0] is not None

    def listed_on_pages():
        shown = []
        for number in range(1, len(expected) // 2 + 2):
            paginator = pagination.request_paginator(listed, 2, chosen={"status": status})
            shown += titles(paginator.page(number))
        return shown

    assert listed_on_pages() == expected
    with CaptureQueriesContext(connection) as queries:
        assert listed_on_pages() == expected  # the bookmarks kept
    assert not [q for q in queries if "ROW_NUMBER" in q["sql"].upper()]
    assert [q for q in queries if ") < (" in q["sql"]]
    # Figures not kept: the same pages by the offset, no bookmarks made for each.
    settings.FIGURES_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        assert listed_on_pages() == expected
    assert not [q for q in queries if "ROW_NUMBER" in q["sql"].upper() or ") < (" in q["sql"]]


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
    assert search.best_first(matches, 2) == ([best.pk, newest.pk], 2)
    assert search.best_first(matches, 1) == (None, 2)
    url = reverse("campaigns:request-list")
    assert list(client.get(url, {"q": "kiwi"}).context["page_obj"]) == [best, newest]
    monkeypatch.setattr("campaigns.pagination.SEARCH_COUNT_LIMIT", 1)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, {"q": "kiwi"})
    assert list(page.context["page_obj"]) == [newest, best]
    assert page.context["paginator"].count_is_capped
    # The matches are read once to count them, and the page once.
    assert len([q for q in queries if "@@" in q["sql"]]) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL's")
def test_each_page_of_ranked_matches_continues_best_first_with_its_passages(client, monkeypatch):
    from campaigns.views import RequestListView

    monkeypatch.setattr(RequestListView, "paginate_by", 2)
    # The more often the word, the better the match; the newest is the weakest.
    made = [
        LetterFactory(date=date(2020, 1, 6) + timedelta(days=n), body="wombat " * (5 - n)).request
        for n in range(5)
    ]
    url = reverse("campaigns:request-list")
    pages = [client.get(url, {"q": "wombat", "page": number}) for number in (1, 2, 3)]
    assert [list(page.context["page_obj"]) for page in pages] == [made[:2], made[2:4], made[4:]]
    assert all("<mark>wombat</mark>" in row.snippet_html for row in pages[1].context["requests"])
    with CaptureQueriesContext(connection) as queries:
        client.get(url, {"q": "wombat", "page": 2})
    ranks, rows = [q["sql"] for q in queries if "ts_rank" in q["sql"]]
    # The matches are counted and ranked by their ids alone, in one read; then only the
    # page's two rows are read whole, by id.
    assert "LEFT(" not in ranks and "COUNT(" not in ranks
    # In the order the requests were made, which PostgreSQL reads through the primary key.
    assert ranks.endswith("ORDER BY 2 ASC LIMIT 201")
    assert "LEFT(" in rows and f"IN ({made[2].pk}, {made[3].pk})" in rows


@pytest.mark.parametrize("api", [False, True])
def test_a_bodys_lists_are_counted_once_per_data_version(
    client, settings, django_capture_on_commit_callbacks, api
):
    settings.FIGURES_CACHE_SECONDS = 300
    body = PublicBodyFactory()
    LetterFactory(request=RequestFactory(recipient=body), date=date(2021, 1, 4))  # overdue
    answered = LetterFactory(request=RequestFactory(recipient=body), date=date(2021, 1, 4))
    LetterFactory(request=answered.request, reply=True, date=date(2021, 1, 20))
    LetterFactory(date=date(2021, 1, 4))  # another body's
    url = reverse("api:request-list" if api else "campaigns:request-list")

    def counted(**filters):
        response = client.get(url, {"recipient": body.slug, **filters})
        if api:
            return response.json()["count"], len(response.json()["results"])
        return response.context["paginator"].count, len(response.context["requests"])

    for figure in FIGURES:
        count, listed = counted(counted=figure)
        assert count == listed, figure  # every figure's list fits one page here
    assert counted() == (2, 2)
    assert counted(counted="overdue") == (1, 1)
    assert counted(counted="replied") == (1, 1)
    with CaptureQueriesContext(connection) as queries:
        assert counted(counted="replied") == (1, 1)
    assert not [q for q in queries if "COUNT(" in q["sql"] and "title" not in q["sql"]]

    with django_capture_on_commit_callbacks(execute=True):  # a write starts a new data version
        LetterFactory(request=RequestFactory(recipient=body), date=date(2021, 2, 1))
    assert counted() == (3, 3)
    assert counted(counted="overdue") == (2, 2)


def test_a_bodys_list_is_counted_afresh_where_no_figures_are_kept(client, settings):
    settings.FIGURES_CACHE_SECONDS = 0
    body = PublicBodyFactory()
    LetterFactory(request=RequestFactory(recipient=body), date=date(2021, 1, 4))
    url = reverse("campaigns:request-list")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"recipient": body.slug}).context["paginator"].count == 1
    assert len([q for q in queries if "COUNT(" in q["sql"]]) == 1
