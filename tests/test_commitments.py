"""Commitments: what a body promised in a reply, open, kept or broken by the date."""

from datetime import date
from http import HTTPStatus

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.choices import CommitmentStatus, DatePrecision
from campaigns.commitments import commitment_status_of, last_day_due
from campaigns.models import Commitment
from campaigns.services import event_change
from tests.admin_forms import inline_data
from tests.factories import EventFactory, LetterFactory, RequestFactory
from tests.test_admin_queries import change_form_data

OPEN, KEPT, BROKEN = CommitmentStatus.OPEN, CommitmentStatus.KEPT, CommitmentStatus.BROKEN


@pytest.mark.parametrize(
    ("due_on", "precision", "last_day"),
    [
        (date(2022, 7, 14), DatePrecision.DAY, date(2022, 7, 14)),
        (date(2022, 2, 1), DatePrecision.MONTH, date(2022, 2, 28)),
        (date(2024, 2, 10), DatePrecision.MONTH, date(2024, 2, 29)),
        (date(2022, 5, 30), DatePrecision.YEAR, date(2022, 12, 31)),
        (None, DatePrecision.YEAR, None),
    ],
)
def test_a_commitment_is_due_by_the_end_of_the_day_month_or_year_given(due_on, precision, last_day):
    assert last_day_due(due_on, precision) == last_day


@pytest.fixture
def reply(db):
    request = RequestFactory()
    LetterFactory(request=request, date=date(2022, 4, 29))
    return LetterFactory(request=request, reply=True, date=date(2022, 5, 30))


def commitment(reply, **fields):
    made = Commitment(request=reply.request, letter=reply, text="Publish the report", **fields)
    made.full_clean()
    made.save()
    return made


def status_on(made, day):
    return Commitment.objects.with_status(today=day).get(pk=made.pk).status


def test_python_and_sql_decide_every_commitment_alike(reply):
    days = [date(2022, 12, 31), date(2023, 1, 1)]
    public = EventFactory(request=reply.request, date=date(2022, 9, 1))
    private = EventFactory(request=reply.request, date=date(2022, 9, 1), is_private=True)
    for due_on in (None, date(2022, 12, 31), date(2023, 1, 1)):
        for kept_by in (None, public, private):
            commitment(reply, due_on=due_on, kept_by=kept_by)
    for day in days:
        in_sql = dict(Commitment.objects.with_status(today=day).values_list("pk", "status"))
        for made in Commitment.objects.select_related("kept_by"):
            assert commitment_status_of(made, day) == in_sql[made.pk], (made.pk, day)
    assert set(in_sql.values()) == {OPEN, KEPT, BROKEN}
    # A page reads each commitment with its keeping event and no status in SQL.
    with CaptureQueriesContext(connection) as queries:
        statuses = [made.status for made in Commitment.objects.select_related("kept_by")]
    assert len(queries) == 1 and len(statuses) == 9


def test_a_commitment_turns_broken_on_the_day_after_its_date(reply):
    made = commitment(reply, due_on=date(2022, 1, 1), due_precision=DatePrecision.YEAR)

    assert status_on(made, date(2022, 12, 31)) == OPEN
    assert status_on(made, date(2023, 1, 1)) == BROKEN
    assert list(Commitment.objects.in_status(BROKEN, today=date(2023, 1, 1))) == [made]
    assert not Commitment.objects.in_status(BROKEN, today=date(2022, 12, 31)).exists()


def test_a_commitment_without_a_date_stays_open(reply):
    made = commitment(reply)

    assert status_on(made, date(2040, 1, 1)) == OPEN


def test_a_commitment_is_kept_once_the_event_that_keeps_it_is_recorded(reply):
    made = commitment(reply, due_on=date(2022, 12, 31))
    report = EventFactory(request=reply.request, date=date(2023, 2, 1))
    made.kept_by = report
    made.save()

    assert status_on(made, date(2023, 3, 1)) == KEPT
    # A private event is not shown, so it keeps nothing in public.
    event_change(event=report, is_private=True)
    assert status_on(made, date(2023, 3, 1)) == BROKEN


def test_a_commitment_names_only_its_own_requests_parts(reply):
    other = RequestFactory()
    other_reply = LetterFactory(request=other, reply=True, date=date(2022, 5, 30))
    sent = reply.request.letters.get(direction="sent")
    with pytest.raises(ValidationError) as refused:
        commitment(reply, kept_by=EventFactory(request=other))
    assert "kept_by" in refused.value.message_dict

    made = Commitment(request=reply.request, letter=other_reply, text="x")
    with pytest.raises(ValidationError) as refused:
        made.full_clean()
    assert "letter" in refused.value.message_dict

    made = Commitment(request=reply.request, letter=sent, text="x")
    with pytest.raises(ValidationError) as refused:
        made.full_clean()
    assert refused.value.message_dict["letter"] == [
        "A commitment is made in a letter received from the body."
    ]


def test_the_page_and_api_show_commitments_of_public_letters_only(client, reply):
    commitment(reply, due_on=date(2022, 12, 31), due_precision=DatePrecision.YEAR)
    private_reply = LetterFactory(
        request=reply.request, reply=True, date=date(2022, 6, 1), is_private=True
    )
    Commitment.objects.create(request=reply.request, letter=private_reply, text="A secret promise")

    page = client.get(reply.request.get_absolute_url()).content.decode()
    assert "Publish the report, by the end of 2022." in page
    assert "A secret promise" not in page

    data = client.get(reverse("api:request-detail", args=[reply.request.slug])).json()
    assert [(c["text"], c["due_by"], c["status"]) for c in data["commitments"]] == [
        ("Publish the report", "2022-12-31", "broken")
    ]


def test_the_admin_records_a_commitment_choosing_among_the_requests_own_parts(staff_client, reply):
    other_event = EventFactory(title="Another request's event")
    event = EventFactory(request=reply.request, title="Report published")
    url = reverse("admin:campaigns_request_change", args=[reply.request.pk])
    page = staff_client.get(url).content.decode()
    assert "Report published" in page
    assert "Another request&#x27;s event" not in page

    data = change_form_data(reply.request) | inline_data(
        "commitments",
        [
            {
                "text": "Publish its annual report later this year",
                "letter": str(reply.pk),
                "due_on": "30/05/2022",
                "due_precision": "year",
                "kept_by": str(event.pk),
            }
        ],
        ("text", "letter", "ask", "due_on", "due_precision", "kept_by"),
    )
    response = staff_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    made = Commitment.objects.with_status().get()
    assert (made.due_by, made.status) == (date(2022, 12, 31), KEPT)

    data["commitments-0-kept_by"] = str(other_event.pk)
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert Commitment.objects.count() == 1


def test_the_change_page_queries_do_not_grow_with_commitments(staff_client, reply):
    url = reverse("admin:campaigns_request_change", args=[reply.request.pk])
    counts = []
    for count in (1, 10):
        Commitment.objects.bulk_create(
            Commitment(request=reply.request, letter=reply, text=f"Promise {n}")
            for n in range(count)
        )
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url).status_code == HTTPStatus.OK
        counts.append(len(queries))
        Commitment.objects.all().delete()
    assert counts[0] == counts[1], counts
