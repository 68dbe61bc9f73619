"""The CSV download: the API's rows, flattened, streamed in chunks with the list's filters."""

import csv
import io
from datetime import date
from http import HTTPStatus

import pytest
from django.urls import reverse

from campaigns import exports
from tests.factories import CoalitionFactory, LetterFactory, RequestFactory

pytestmark = pytest.mark.django_db

CASE = "panel-48-incidents-analysis-2022"
URL = reverse("campaigns:request-list-csv")


def read_csv(response):
    assert response.status_code == HTTPStatus.OK
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="requests-')
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def small_chunks(monkeypatch):
    """Read and send a few rows at a time, so a handful of requests spans several chunks."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 3)
    monkeypatch.setattr(exports, "ROWS_PER_WRITE", 2)


def test_csv_has_one_row_per_request_with_status_dates_and_outcome(client, demo):
    rows = read_csv(client.get(URL))
    assert rows == [
        {
            "title": "Publish the Panel's analysis of 48 incidents involving children in care",
            "url": f"http://testserver/requests/{CASE}/",
            "coalition": "Coalition for publication of the Panel's 48-incident analysis",
            "recipient": "Child Safeguarding Practice Review Panel",
            "status": "Refused",
            "sent_on": "2022-04-29",
            "awaiting_reply_to_letter_of": "",
            "reply_due_on": "",
            "days_overdue": "",
            "working_days_overdue": "",
            "replied_on": "2022-05-30",
            "outcome": "refused",
            "reply_was_due_on": "2022-05-30",
            "days_taken": "31",
            "working_days_taken": "20",
            "replied_on_time": "yes",
            "reply_was_first_due_on": "2022-05-30",
            "replied_on_time_for_first_due_date": "yes",
            "stage": "",
            # The Panel's annual report came; the practice briefings had no date.
            "commitments_open": "1",
            "commitments_kept": "1",
            "commitments_broken": "0",
            "closed_result": "",
            "last_activity_on": "2023-04-01",
        }
    ]


def test_csv_applies_the_same_search_and_filters(client, demo):
    LetterFactory(date=date(2021, 2, 1), body="numbat")
    assert len(read_csv(client.get(URL))) == 2
    rows = read_csv(client.get(URL, {"q": "numbat"}))
    assert [row["sent_on"] for row in rows] == ["2021-02-01"]
    rows = read_csv(client.get(URL, {"status": "refused"}))
    assert [row["status"] for row in rows] == ["Refused"]


def test_csv_with_bad_filters_says_why_before_streaming_anything(client):
    response = client.get(URL, {"status": "bogus"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not response.streaming
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "status: Select a valid choice" in response.content.decode()


def test_csv_sends_its_header_row_before_querying_the_requests(client, django_assert_num_queries):
    RequestFactory()
    response = client.get(URL)
    with django_assert_num_queries(0):
        first = next(iter(response.streaming_content))
    assert first.decode() == ",".join(exports.COLUMNS) + "\r\n"
    response.close()


def test_csv_rows_are_the_api_rows_flattened_in_the_lists_order(client, small_chunks):
    shared = CoalitionFactory()
    for day in range(1, 8):
        LetterFactory(date=date(2022, 3, day), request__coalition=shared)
    answered = LetterFactory(date=date(2022, 3, 1)).request
    LetterFactory(reply=True, date=date(2022, 3, 30), request=answered)
    RequestFactory(is_published=False)

    rows = read_csv(client.get(URL))

    api_rows = client.get("/api/requests/").json()["results"]
    assert len(rows) == len(api_rows) == 8
    assert rows == [
        dict(zip(exports.COLUMNS, map(str, exports.csv_row(api_row)), strict=True))
        for api_row in api_rows
    ]
    # Both an open round and a reply were read, not only empty cells.
    assert {row["reply_due_on"] != "" for row in rows} == {True, False}
    assert {row["replied_on"] != "" for row in rows} == {True, False}


def test_csv_lists_every_published_request_once_across_chunks(client, small_chunks):
    published = [RequestFactory() for _ in range(11)]
    draft = RequestFactory(is_published=False)

    urls = [row["url"] for row in read_csv(client.get(URL))]

    assert sorted(urls) == sorted(f"http://testserver{r.get_absolute_url()}" for r in published)
    assert f"http://testserver{draft.get_absolute_url()}" not in urls


@pytest.mark.parametrize("count", [5, 50])
def test_csv_runs_a_fixed_number_of_queries_however_many_rows(
    client, django_assert_max_num_queries, small_chunks, count
):
    coalitions = [CoalitionFactory() for _ in range(3)]
    for index in range(count):
        LetterFactory(request__coalition=coalitions[index % 3])
    with django_assert_max_num_queries(1):
        rows = read_csv(client.get(URL))
    assert len(rows) == count
