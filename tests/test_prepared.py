"""Prepared statements: kept on PostgreSQL for reads by key, never for lists planned per value."""

from datetime import date

import pytest
from django.db import connection
from django.db.models import Value
from django.urls import reverse

from campaigns.choices import RequestStatus
from campaigns.models import Request
from campaigns.pagination import SEARCH_COUNT_LIMIT
from campaigns.prepared import prepared_statements
from campaigns.public import public_requests
from tests.factories import LetterFactory, RequestFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Prepared statements are PostgreSQL's; set DATABASE_URL to a PostgreSQL database.",
)


def prepared(fragment):
    """Return how many statements prepared on this connection contain `fragment`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{fragment}%"],
        )
        return cursor.fetchone()[0]


@on_postgresql
def test_a_query_run_twice_inside_is_prepared_and_never_outside():
    RequestFactory(title="Kept plan")
    marker = "kept_plan_marker"  # a column name, so that the statement is this test's alone
    query = Request.objects.filter(title="Kept plan").annotate(**{marker: Value(1)})

    for _ in range(3):
        assert [r.title for r in query.all()] == ["Kept plan"]
    assert prepared(marker) == 0

    with prepared_statements():
        list(query.all())
        assert prepared(marker) == 0  # once is not enough to keep it
        assert [r.title for r in query.all()] == ["Kept plan"]
        assert prepared(marker) == 1
    assert connection.connection.prepare_threshold is None


@on_postgresql
def test_preparing_stops_when_the_block_fails():
    with pytest.raises(ZeroDivisionError), prepared_statements():
        assert connection.connection.prepare_threshold == 1
        1 / 0  # noqa: B018
    assert connection.connection.prepare_threshold is None


@on_postgresql
def test_a_block_inside_another_leaves_the_outer_one_preparing():
    with prepared_statements():
        with prepared_statements():
            pass
        assert connection.connection.prepare_threshold == 1
    assert connection.connection.prepare_threshold is None


@on_postgresql
def test_the_request_page_keeps_the_plans_of_its_queries_and_the_list_does_not(client):
    req = RequestFactory(title="A request read by key")
    LetterFactory(request=req, subject="The first letter")
    url = reverse("campaigns:request-detail", kwargs={"slug": req.slug})

    pages = [client.get(url).content for _ in range(2)]

    assert pages[0] == pages[1]
    assert "The first letter" in pages[1].decode()
    assert prepared('FROM "campaigns_letter"') >= 1
    assert prepared('"campaigns_request"."slug"') >= 1
    for _ in range(3):
        client.get(reverse("campaigns:request-list"), {"recipient": req.recipient.slug})
    assert prepared('"campaigns_request"."recipient_id" = $') == 0


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has nothing to prepare.")
def test_on_sqlite_the_block_changes_nothing():
    req = RequestFactory(title="Read either way")
    with prepared_statements():
        assert Request.objects.get(pk=req.pk).title == "Read either way"


@on_postgresql
def test_a_status_page_reads_its_rows_by_key_with_a_kept_plan_and_counts_none(client):
    for number in range(3):
        LetterFactory(request=RequestFactory(title=f"Awaiting {number}"), date=date.today())
    assert {req.status for req in public_requests()} == {RequestStatus.AWAITING}
    url = reverse("campaigns:request-list")

    pages = [client.get(url, {"status": "awaiting"}).content.decode() for _ in range(2)]

    assert pages[0] == pages[1]
    assert all(f"Awaiting {number}" in pages[1] for number in range(3))
    # The rows of the page, by primary key (in_bulk), with the status the list filters on.
    assert prepared('"campaigns_request"."id" IN ($') >= 1
    # The ids of the page, in the status's order, are planned for the status asked.
    assert prepared('SELECT "campaigns_request"."id" AS "pk" FROM') == 0


@on_postgresql
def test_a_search_plans_its_matches_for_the_words_searched(client):
    RequestFactory(title="Dyscalculia support", summary="Children with dyscalculia wait.")
    url = reverse("campaigns:request-list")

    pages = [client.get(url, {"q": "dyscalculia"}).content.decode() for _ in range(3)]

    assert pages[0] == pages[2]
    assert "<mark>dyscalculia</mark>" in pages[2]
    # A common word and a rare one need different plans to find their matches (counted and
    # ranked up to the limit); the page's rows are then read by id, which one plan suits.
    assert prepared(f"LIMIT {SEARCH_COUNT_LIMIT + 1}") == 0
    assert prepared("websearch_to_tsquery") == 1
    assert prepared('AND "campaigns_request"."id" IN (') == 1
