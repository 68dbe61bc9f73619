"""The deadline ledger: how a due date was reached, and changes that move it, with reasons."""

from datetime import date
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.choices import DeadlineChangeKind, RequestStatus
from campaigns.deadlines import due_date_reached
from campaigns.models import DeadlineChange, Request
from campaigns.services import deadline_change_delete, deadline_change_record
from campaigns.stats import scorecard_for
from tests.admin_forms import inline_data
from tests.factories import LetterFactory, RequestFactory
from tests.test_admin_queries import change_form_data

SENT, DUE, EXTENDED = date(2022, 4, 29), date(2022, 5, 30), date(2022, 6, 15)


def test_the_due_date_is_20_working_days_with_the_bank_holidays_named():
    reached = due_date_reached(SENT)

    assert (reached.due_on, reached.asked_for, reached.working_days) == (DUE, False, 20)
    assert reached.bank_holidays == ((date(2022, 5, 2), "May Day"),)


def test_a_date_asked_for_is_the_due_date_with_nothing_counted():
    reached = due_date_reached(SENT, date(2022, 5, 13))

    assert (reached.due_on, reached.asked_for, reached.bank_holidays) == (
        date(2022, 5, 13),
        True,
        (),
    )


@pytest.fixture
def sent(db):
    request = RequestFactory()
    return LetterFactory(request=request, date=SENT)


def status_on(request, day):
    return Request.objects.with_status(today=day).get(pk=request.pk).status


def extend(sent, **fields):
    fields = {
        "kind": DeadlineChangeKind.EXTENSION,
        "new_due_on": EXTENDED,
        "reason": "The Panel asked for more time to consult its members.",
    } | fields
    return deadline_change_record(letter=sent, **fields)


def test_an_extension_moves_overdue_and_on_time_both_ways(sent):
    request = sent.request
    assert status_on(request, date(2022, 6, 1)) == RequestStatus.OVERDUE

    change = extend(sent)
    sent.refresh_from_db()
    assert (sent.original_due_on, sent.due_on) == (DUE, EXTENDED)
    assert status_on(request, date(2022, 6, 1)) == RequestStatus.AWAITING
    assert status_on(request, date(2022, 6, 16)) == RequestStatus.OVERDUE

    reply = LetterFactory(request=request, reply=True, date=date(2022, 6, 10))
    reply.refresh_from_db()
    assert (reply.on_time, reply.on_time_original) == (True, False)
    card = scorecard_for(request.recipient)
    assert (card.counts["replied_on_time"], card.counts["replied_on_time_original"]) == (1, 0)

    deadline_change_delete(change=change)
    reply.refresh_from_db()
    sent.refresh_from_db()
    assert sent.due_on == DUE
    assert (reply.on_time, reply.on_time_original) == (False, False)
    assert scorecard_for(request.recipient).counts["replied_on_time"] == 0


def test_the_latest_change_sets_the_due_date(sent):
    extend(sent)
    deadline_change_record(
        letter=sent,
        kind=DeadlineChangeKind.AGREED,
        new_due_on=date(2022, 6, 30),
        reason="Agreed at the meeting of 14 June.",
    )

    sent.refresh_from_db()
    assert sent.due_on == date(2022, 6, 30)
    assert Request.objects.get(pk=sent.request_id).open_due_on == date(2022, 6, 30)


def test_only_a_sent_letter_of_the_request_can_be_moved(sent):
    reply = LetterFactory(request=sent.request, reply=True, date=date(2022, 5, 20))
    with pytest.raises(ValidationError) as refused:
        extend(reply)
    assert "Only a letter the coalition sent awaits a reply." in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        extend(sent, brought_by=LetterFactory(date=SENT))
    assert "Choose one of this request's own letters." in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        extend(sent, new_due_on=date(2022, 4, 1))
    assert "A reply cannot be due before the letter was sent." in str(refused.value)
    assert not DeadlineChange.objects.exists()


def test_the_page_explains_how_the_due_date_was_reached(client, sent):
    holding = LetterFactory(
        request=sent.request, acknowledgement=True, date=date(2022, 5, 27), subject="Holding"
    )
    extend(sent, kind=DeadlineChangeKind.HOLDING, brought_by=holding)

    page = client.get(sent.request.get_absolute_url()).content.decode()

    assert "How this date was reached" in page
    assert (
        "20 working days after 29 April 2022, counting Monday to Friday and leaving out the bank "
        "holiday of 2 May 2022 (May Day): 30 May 2022." in page
    )
    assert "Holding reply promising a date: due 15 June 2022 instead, in " in page
    assert f'<a href="#letter-{holding.pk}">the acknowledgement or holding reply of 27 May' in page
    assert "The Panel asked for more time to consult its members." in page

    data = client.get(reverse("api:request-detail", args=[sent.request.slug])).json()
    (letter,) = [entry["letter"] for entry in data["timeline"] if entry["type"] == "letter"][:1]
    assert (letter["original_due_on"], letter["due_on"]) == ("2022-05-30", "2022-06-15")
    assert letter["deadline_changes"] == [
        {
            "kind": "holding",
            "new_due_on": "2022-06-15",
            "reason": "The Panel asked for more time to consult its members.",
            "brought_by_letter_id": holding.pk,
        }
    ]


def test_the_admin_records_a_change_among_the_requests_sent_letters(staff_client, sent):
    url = reverse("admin:campaigns_request_change", args=[sent.request.pk])
    fields = ("letter", "kind", "new_due_on", "brought_by", "reason")
    row = {
        "letter": str(sent.pk),
        "kind": "extension",
        "new_due_on": "15/06/2022",
        "reason": "More time asked for.",
    }
    data = change_form_data(sent.request) | inline_data("deadline_changes", [row], fields)

    response = staff_client.post(url, data)

    assert response.status_code == HTTPStatus.FOUND
    assert Request.objects.get(pk=sent.request_id).open_due_on == EXTENDED

    other = LetterFactory(date=SENT)
    data |= inline_data("deadline_changes", [row | {"letter": str(other.pk)}], fields)
    response = staff_client.post(url, data)
    assert response.status_code == HTTPStatus.OK
    assert DeadlineChange.objects.count() == 1
