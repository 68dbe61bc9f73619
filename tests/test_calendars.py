"""iCalendar feeds of due dates, per coalition and per recipient, read by the icalendar package."""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from icalendar import Calendar

from campaigns.choices import DeadlineChangeKind
from campaigns.models import Commitment
from campaigns.services import deadline_change_record
from tests.factories import EventFactory, LetterFactory, RequestFactory

pytestmark = pytest.mark.django_db


def events(response):
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["uid"]).split("@")[0]: (event.decoded("dtstart"), str(event["summary"]))
        for event in calendar.walk("VEVENT")
    }


@pytest.fixture
def awaited(settings):
    settings.SITE_URL = "https://tracker.example.org"
    today = date.today()
    request = RequestFactory(title="Publish the analysis")
    sent = LetterFactory(request=request, date=today, reply_requested_by=today + timedelta(30))
    return request, sent


def test_a_coalitions_calendar_has_its_replies_awaited_and_commitments(client, awaited):
    request, sent = awaited
    answered = RequestFactory(coalition=request.coalition, title="Answered")
    LetterFactory(request=answered, date=date(2022, 4, 29))
    reply = LetterFactory(request=answered, reply=True, date=date(2022, 5, 30))
    due = date.today() + timedelta(days=60)
    promise = Commitment.objects.create(
        request=answered, letter=reply, text="Publish the annual report", due_on=due
    )
    Commitment.objects.create(request=answered, letter=reply, text="No date given")
    hidden = RequestFactory(coalition=request.coalition, is_published=False)
    LetterFactory(request=hidden, date=date.today())

    url = reverse("campaigns:coalition-calendar", args=[request.coalition.slug])
    found = events(client.get(url))

    assert found == {
        f"request-{request.pk}-reply": (
            sent.date + timedelta(30),
            f"Reply due from {request.recipient.name}: Publish the analysis",
        ),
        f"commitment-{promise.pk}": (due, "Commitment due: Publish the annual report"),
    }


def test_an_extension_moves_the_same_calendar_event(client, awaited):
    request, sent = awaited
    url = reverse("campaigns:organisation-calendar", args=[request.recipient.slug])
    before = events(client.get(url))
    deadline_change_record(
        letter=sent,
        kind=DeadlineChangeKind.EXTENSION,
        new_due_on=sent.date + timedelta(45),
        reason="More time",
    )

    after = events(client.get(url))

    assert before.keys() == after.keys()
    assert after[f"request-{request.pk}-reply"][0] == sent.date + timedelta(45)


def test_a_kept_commitment_says_so_and_a_private_one_is_left_out(client, awaited):
    request, _sent = awaited
    reply = LetterFactory(request=request, reply=True, date=date.today())
    kept = Commitment.objects.create(
        request=request,
        letter=reply,
        text="Publish",
        due_on=date.today(),
        kept_by=EventFactory(request=request),
    )
    private = LetterFactory(request=request, reply=True, date=date.today(), is_private=True)
    Commitment.objects.create(request=request, letter=private, text="Secret", due_on=date.today())

    found = events(
        client.get(reverse("campaigns:coalition-calendar", args=[request.coalition.slug]))
    )

    assert found[f"commitment-{kept.pk}"][1] == "Commitment due (Kept): Publish"
    assert not any("Secret" in summary for _day, summary in found.values())


def test_a_draft_coalitions_calendar_is_not_found(client, db):
    draft = RequestFactory(is_published=False)

    url = reverse("campaigns:coalition-calendar", args=[draft.coalition.slug])
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
