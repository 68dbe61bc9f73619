"""Every status, decided once in SQL, agrees on the query, the list filter and the page."""

import itertools
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.choices import ClosedResult, Outcome, RequestStatus
from campaigns.models import Request
from campaigns.status import status_of
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
    # A row read without the annotation decides it in Python, by the same conditions.
    assert Request.objects.get(pk=request.pk).status == expected


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


def written(sent, due, replied, outcome):
    """Return whether the write path can store these facts together."""
    if sent is None:
        return due is None and replied is None and not outcome
    return (replied is None) == (not outcome)


def test_python_and_sql_decide_every_combination_of_facts_alike():
    today = timezone.localdate()
    days = [None, today - timedelta(days=1), today, today + timedelta(days=1)]
    combinations = list(
        itertools.product(
            ["", ClosedResult.WITHDRAWN],  # closed_result
            [None, today - timedelta(days=30)],  # first_sent_on
            days,  # open_due_on
            [None, today - timedelta(days=2)],  # latest_reply_on
            ["", *Outcome.values],  # latest_reply_outcome
        )
    )
    base = RequestFactory()
    rows = []
    for number, (closed, sent, due, replied, outcome) in enumerate(combinations):
        rows.append(
            Request(
                title=base.title,
                slug=f"combination-{number}",
                summary=base.summary,
                coalition=base.coalition,
                recipient=base.recipient,
                closed_result=closed,
                closed_on=today if closed else None,
                first_sent_on=sent,
                open_due_on=due,
                latest_reply_on=replied,
                latest_reply_outcome=outcome,
            )
        )
        rows[-1].facts_tested = (sent, due, replied, outcome)
    Request.objects.bulk_create(rows)

    for day in days[1:]:
        in_sql = dict(Request.objects.with_status(today=day).values_list("slug", "status"))
        for row in Request.objects.filter(slug__startswith="combination-"):
            assert status_of(row, day) == in_sql[row.slug], (row.slug, day)
        # The filter's conditions hold one at a time for the facts the write path stores.
        stored = {row.slug for row in rows if written(*row.facts_tested)} | {base.slug}
        for status in RequestStatus:
            chosen = Request.objects.in_status(status, today=day).filter(slug__in=stored)
            shown = {slug for slug, shown in in_sql.items() if shown == status and slug in stored}
            assert shown == set(chosen.values_list("slug", flat=True)), (status, day)
    assert len(set(in_sql.values()) - {None}) == len(RequestStatus)


def test_overdue_follows_todays_date_without_any_job():
    request = LetterFactory(date=days_ago(10), reply_requested_by=days_ago(0)).request
    today = timezone.localdate()

    assert Request.objects.with_status(today=today).get().status == RequestStatus.AWAITING
    tomorrow = today + timedelta(days=1)
    assert Request.objects.overdue(today=tomorrow).get() == request


def test_case_reply_on_the_deadline_is_refused_not_overdue(demo):
    assert Request.objects.with_status().get(pk=demo.pk).status == RequestStatus.REFUSED
