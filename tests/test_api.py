"""The read-only JSON API and the CSV download share the list's filters and public data."""

from http import HTTPStatus

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.factories import CoalitionFactory, LetterFactory, RequestFactory
from tracker.wsgi import application

pytestmark = pytest.mark.django_db

CASE = "panel-48-incidents-analysis-2022"


def get_json(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == HTTPStatus.OK, response.content
    return response.json()


def test_request_list_has_status_dates_and_days_taken(client, demo):
    data = get_json(client, "/api/requests/")
    assert data["count"] == 1
    row = data["results"][0]
    assert row["slug"] == CASE
    assert row["status"] == "refused"
    assert row["status_label"] == "Refused"
    assert (row["sent_on"], row["open_round"]) == ("2022-04-29", None)
    reply = row["latest_reply"]
    assert (reply["date"], reply["was_due_on"], reply["answers_letter_sent_on"]) == (
        "2022-05-30",
        "2022-05-30",
        "2022-04-29",
    )
    assert (reply["days_taken"], reply["working_days_taken"], reply["on_time"]) == (31, 20, True)
    assert row["outcome"] == reply["outcome"] == "refused"
    assert row["recipient"]["name"] == "Child Safeguarding Practice Review Panel"
    assert row["page_url"] == f"http://testserver/requests/{CASE}/"


def test_request_detail_has_the_timeline_in_order(client, demo):
    data = get_json(client, f"/api/requests/{CASE}/")
    assert [entry["type"] for entry in data["timeline"]] == [
        "letter",
        "event",
        "event",
        "letter",
    ] + ["event"] * 3
    reply = data["timeline"][3]["letter"]
    assert (reply["direction"], reply["outcome"], reply["days_taken"]) == (
        "received",
        "refused",
        31,
    )
    assert len(data["coalition"]["members"]) == 7
    assert data["recipient_person"] == {"name": "Annie Hudson", "role_title": "Chair"}


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"q": "48 incidents"}, True),
        ({"q": "zebra"}, False),
        ({"status": "refused"}, True),
        ({"status": "overdue"}, False),
        ({"year": "2022"}, True),
        ({"year": "2019"}, False),
        ({"year": "0"}, False),
        ({"year": "-40000"}, False),
        ({"recipient": "child-safeguarding-practice-review-panel"}, True),
    ],
)
def test_api_filters_are_the_lists_filters(client, demo, params, found):
    data = get_json(client, "/api/requests/", **params)
    assert (data["count"] == 1) is found


def test_unknown_api_address_gets_a_json_404(client, settings):
    settings.DEBUG = False
    response = client.get("/api/requests/.no-such-slug!/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json() == {"detail": "Not found."}


def test_bad_api_filter_is_a_400_naming_the_field(client, demo):
    response = client.get("/api/requests/", {"status": "bogus"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "status" in response.json()


def test_api_is_paginated(client):
    for _ in range(23):
        RequestFactory()
    data = get_json(client, "/api/requests/")
    assert (data["count"], len(data["results"])) == (23, 20)
    assert data["next"].endswith("/api/requests/?page=2")


def test_drafts_are_absent_from_the_api(client):
    draft = RequestFactory(is_published=False)
    assert get_json(client, "/api/requests/")["count"] == 0
    assert client.get(f"/api/requests/{draft.slug}/").status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    ("params", "queries"),
    [
        # The count, the page's rows, their open rounds' letters; their commitments only where a
        # request of the page has some (as it stores), so none here.
        ({}, 3),
        ({"page": "2"}, 3),
        # Stored columns, no subqueries; a status filter finds the page's ids first.
        ({"status": "overdue", "year": "2022"}, 4),
        ({"coalition": "coalition-shared"}, 4),  # and the filter's lookup of the coalition
    ],
)
def test_api_list_page_counts_the_requests_once_with_a_plain_count(
    client, django_assert_num_queries, params, queries
):
    coalition = CoalitionFactory(slug="coalition-shared")
    for _ in range(23):
        LetterFactory(request__coalition=coalition)
    with django_assert_num_queries(queries) as captured:
        get_json(client, "/api/requests/", **params)
    counts = [
        query["sql"]
        for query in captured.captured_queries
        if "COUNT(" in query["sql"] and '"campaigns_request"."title"' not in query["sql"]
    ]
    assert len(counts) == 1
    # No status or date subqueries: the count reads the request table (and the filter's join).
    assert counts[0].count("SELECT") == 1, counts[0]


@pytest.mark.parametrize("count", [2, 12])
def test_api_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    for _ in range(count):
        LetterFactory()
    # The count, the rows, their open rounds' letters, their commitments: never one a row.
    with django_assert_max_num_queries(4):
        get_json(client, "/api/requests/")


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/requests/{slug}/" in schema["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == HTTPStatus.OK
    assert b"swagger-ui" in docs.content


def test_list_page_links_the_csv_with_its_filters(client, demo):
    page = client.get(reverse("campaigns:request-list"), {"q": "48", "status": "refused"})
    assert 'href="/requests/export.csv?q=48&amp;status=refused"' in page.content.decode()


# Loaded when the tests are collected (the schema view reads no data); schemathesis's lazy
# fixture loader relies on a pytest internal that pytest 9 removed.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def wsgi_keeps_test_connection():
    """Keep the test's database connection open across WSGI calls, as Django's test client does."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails_and_matches_its_schema(case, demo, wsgi_keeps_test_connection):
    # All checks (no server error; status codes, content types and bodies as documented) but
    # two about strictness: an empty ?page= reads as page 1, as in DRF, and a coalition or
    # recipient slug that names nothing is a documented 400, as in the web form.
    case.call_and_validate(excluded_checks=[negative_data_rejection, positive_data_acceptance])


@pytest.mark.parametrize("version", ["\n", "1\r\nX-Injected: yes", "\u0100"])
def test_the_schema_ignores_a_version_parameter(client, version):
    response = client.get("/api/schema/", {"version": version})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"] == (
        'inline; filename="Campaign correspondence tracker API.yaml"'
    )


def test_the_list_counts_each_requests_public_commitments_by_where_they_stand(client, demo):
    from campaigns.models import Commitment

    private = LetterFactory(request=demo, reply=True, is_private=True)
    Commitment.objects.create(request=demo, letter=private, text="Said in private")

    (listed,) = get_json(client, "/api/requests/")["results"]

    # The annual report came; the practice briefings had no date; the private one is left out.
    assert listed["commitment_counts"] == {"open": 1, "kept": 1, "broken": 0}
    assert get_json(client, f"/api/requests/{demo.slug}/")["commitment_counts"]["open"] == 1
