"""Every status, decided once in SQL, agrees on the query, the list filter and the page."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.choices import ClosedResult, Outcome, RequestStatus
from campaigns.models import Request
from tests.factories import EventFactory, LetterFactory, RequestFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def not_sent():
    request = RequestFactory()
    EventFactory(request=request, date=days_ago(3))
    return request


def awaiting():
    return LetterFactory(date=days_ago(1)).request


def awaiting_after_acknowledgement():
    request = awaiting()
    LetterFactory(request=request, acknowledgement=True, date=days_ago(0))
    return request


def awaiting_when_due_today():
    return LetterFactory(date=days_ago(5), reply_requested_by=days_ago(0)).request


def overdue():
    return LetterFactory(date=days_ago(60)).request


def overdue_a_day_after_the_requested_date():
    return LetterFactory(date=days_ago(5), reply_requested_by=days_ago(1)).request


def overdue_despite_acknowledgement():
    request = overdue()
    LetterFactory(request=request, acknowledgement=True, date=days_ago(50))
    return request


def overdue_despite_reminder():
    request = overdue()
    LetterFactory(request=request, kind="reminder", date=days_ago(10))
    return request


def replied(outcome):
    def scenario():
        request = LetterFactory(date=days_ago(60)).request
        LetterFactory(request=request, reply=True, outcome=outcome, date=days_ago(30))
        return request

    scenario.__name__ = f"replied_{outcome}"
    return scenario


def replied_by_email_the_same_day():
    request = LetterFactory(date=days_ago(60), channel="email").request
    LetterFactory(request=request, reply=True, outcome=Outcome.MET, date=days_ago(60))
    return request


def follow_up_sent():
    request = replied(Outcome.REFUSED)()
    LetterFactory(request=request, follow_up=True, date=days_ago(5))
    return request


def follow_up_overdue():
    request = LetterFactory(date=days_ago(150)).request
    LetterFactory(request=request, reply=True, date=days_ago(120))
    LetterFactory(request=request, follow_up=True, date=days_ago(60))
    return request


def later_reply_to_follow_up_decides():
    request = follow_up_overdue()
    LetterFactory(request=request, reply=True, outcome=Outcome.PARTLY_MET, date=days_ago(2))
    return request


def closed():
    request = overdue()
    request.closed_result = ClosedResult.LOST
    request.closed_on = days_ago(1)
    request.save()
    return request


SCENARIOS = [
    (not_sent, RequestStatus.NOT_SENT),
    (awaiting, RequestStatus.AWAITING),
    (awaiting_after_acknowledgement, RequestStatus.AWAITING),
    (awaiting_when_due_today, RequestStatus.AWAITING),
    (overdue, RequestStatus.OVERDUE),
    (overdue_a_day_after_the_requested_date, RequestStatus.OVERDUE),
    (overdue_despite_acknowledgement, RequestStatus.OVERDUE),
    (overdue_despite_reminder, RequestStatus.OVERDUE),
    (replied(Outcome.MET), RequestStatus.MET),
    (replied(Outcome.PARTLY_MET), RequestStatus.PARTLY_MET),
    (replied(Outcome.REFUSED), RequestStatus.REFUSED),
    (replied(Outcome.NO_ANSWER), RequestStatus.NO_ANSWER),
    (replied_by_email_the_same_day, RequestStatus.MET),
    (follow_up_sent, RequestStatus.FOLLOW_UP_SENT),
    (follow_up_overdue, RequestStatus.OVERDUE),
    (later_reply_to_follow_up_decides, RequestStatus.PARTLY_MET),
    (closed, RequestStatus.CLOSED),
]


@pytest.mark.parametrize(
    ("scenario", "expected"), SCENARIOS, ids=lambda s: getattr(s, "__name__", s)
)
def test_status_is_derived_from_the_letters(scenario, expected):
    request = scenario()

    assert Request.objects.with_status().get(pk=request.pk).status == expected
    assert list(Request.objects.in_status(expected)) == [request]


@pytest.mark.parametrize(
    ("scenario", "expected"), SCENARIOS, ids=lambda s: getattr(s, "__name__", s)
)
def test_list_filter_and_page_badge_agree_for_every_status(client, scenario, expected):
    request = scenario()

    for status in RequestStatus:
        response = client.get(reverse("campaigns:request-list"), {"status": status.value})
        assert response.status_code == HTTPStatus.OK
        listed = request.title in response.content.decode()
        assert listed is (status == expected), f"filtering by {status} listed={listed}"

    page = client.get(request.get_absolute_url()).content.decode()
    assert f'Status: <span class="status status-{expected.value}">{expected.label}</span>' in page


def test_overdue_follows_todays_date_without_any_job():
    request = LetterFactory(date=days_ago(10), reply_requested_by=days_ago(0)).request
    today = timezone.localdate()

    assert Request.objects.with_status(today=today).get().status == RequestStatus.AWAITING
    tomorrow = today + timedelta(days=1)
    assert Request.objects.overdue(today=tomorrow).get() == request


def test_case_reply_on_the_deadline_is_refused_not_overdue(demo):
    assert Request.objects.with_status().get(pk=demo.pk).status == RequestStatus.REFUSED
