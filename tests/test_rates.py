"""Statistics that survive challenge: Wilson intervals, ranking by them, and what each counts."""

from datetime import date, timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse

from campaigns.rates import Rate, wilson_interval
from campaigns.stats import scorecard_for, scorecards
from tests.factories import LetterFactory, PublicBodyFactory, RequestFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "total", "low", "high"),
    [
        # Worked values: Wilson (1927), as tabulated by Newcombe (1998), table I.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (29, 29, 0.8830, 1.0),
        (8, 10, 0.4902, 0.9433),
    ],
)
def test_wilson_intervals_match_worked_values(count, total, low, high):
    assert wilson_interval(count, total) == pytest.approx((low, high), abs=5e-5)


def test_a_rate_of_nothing_says_nothing():
    assert Rate(0, 0).share is None
    assert Rate(0, 0).interval == (0.0, 1.0)


MONDAY = date(2022, 3, 7)


def exchange(body, replied_after=None, *, reminded=False, acknowledged_after=None):
    request = RequestFactory(recipient=body)
    LetterFactory(request=request, date=MONDAY)
    if acknowledged_after is not None:
        LetterFactory(
            request=request, acknowledgement=True, date=MONDAY + timedelta(acknowledged_after)
        )
    if reminded:
        LetterFactory(request=request, kind="reminder", date=MONDAY + timedelta(days=30))
    if replied_after is not None:
        LetterFactory(request=request, reply=True, date=MONDAY + timedelta(replied_after))
    return request


def test_more_evidence_outranks_a_higher_share_from_few(settings):
    settings.STATS_MIN_REQUESTS_TO_RANK = 2
    few, many = PublicBodyFactory(name="Few"), PublicBodyFactory(name="Many")
    for _ in range(2):
        exchange(few, 7)
    for index in range(20):
        exchange(many, 7 if index else 60)  # 19 of 20 on time

    cards = scorecards()

    assert [card.name for card in cards] == ["Many", "Few"]
    assert cards[1].on_time_rate.share == 1.0
    assert cards[0].on_time_rate.low > cards[1].on_time_rate.low


def test_time_to_acknowledge_and_replies_after_a_reminder_are_counted_apart():
    body = PublicBodyFactory()
    exchange(body, 14, acknowledged_after=1)  # Tuesday: 1 working day
    exchange(body, 45, reminded=True, acknowledged_after=7)  # 5 working days
    exchange(body, 14)

    card = scorecard_for(body)

    assert card.median_acknowledgement_days == 3
    assert card.median_working_days == 10
    assert card.counts["replied_after_reminder"] == 1


def test_each_figure_links_to_the_requests_it_counts(client):
    body = PublicBodyFactory()
    on_time = exchange(body, 7)
    late = exchange(body, 60, reminded=True)
    card = scorecard_for(body)
    stats = client.get(reverse("campaigns:stats")).content.decode()

    for figure, expected in [
        ("replied_on_time", [on_time]),
        ("replied_after_reminder", [late]),
        ("replied", [late, on_time]),
    ]:
        url = f"/requests/?recipient={body.slug}&amp;counted={figure}"
        assert url in stats
        listed = client.get(
            reverse("campaigns:request-list"), {"recipient": body.slug, "counted": figure}
        )
        assert [req.pk for req in listed.context["requests"]] == [
            req.pk for req in sorted(expected, key=lambda r: -r.pk)
        ]
        assert len(expected) == card.counts[figure]


def test_an_unknown_figure_is_a_clear_error_not_a_500(client, db):
    response = client.get(reverse("campaigns:request-list"), {"counted": "everything"})
    assert response.status_code == HTTPStatus.OK
    assert "Select a valid choice" in response.content.decode()


def test_the_methods_page_says_how_each_figure_is_worked_out(client, db):
    page = client.get(reverse("campaigns:stats-methods")).content.decode()

    assert "Replied only after a reminder or follow-up" in page
    assert "95% Wilson score interval" in page
    assert (
        reverse("campaigns:stats-methods")
        in client.get(reverse("campaigns:stats")).content.decode()
    )


def test_a_reply_counts_after_a_reminder_only_when_one_was_sent_in_its_round_by_its_date():
    from campaigns.models import Request

    body = PublicBodyFactory()
    reminded = exchange(body, 45, reminded=True)
    unreminded = exchange(body, 14)
    late_reminder = exchange(body, 14)
    LetterFactory(request=late_reminder, kind="reminder", date=MONDAY + timedelta(days=20))
    private = exchange(body, 14)
    LetterFactory(request=private, kind="reminder", date=MONDAY + timedelta(7), is_private=True)

    stored = dict(Request.objects.values_list("pk", "latest_reply_after_reminder"))

    assert stored == {
        reminded.pk: True,
        unreminded.pk: False,
        late_reminder.pk: False,
        private.pk: False,
    }


def test_the_migration_stores_for_existing_requests_what_the_write_path_stores():
    from importlib import import_module

    from django.db import connection

    from campaigns.models import Request

    body = PublicBodyFactory()
    for reminded, after in [(True, 45), (False, 14), (True, None)]:
        exchange(body, after, reminded=reminded)
    written = dict(Request.objects.values_list("pk", "latest_reply_after_reminder"))
    assert sorted(written.values()) == [False, False, True]
    Request.objects.update(latest_reply_after_reminder=False)
    migration = import_module("campaigns.migrations.0030_request_latest_reply_after_reminder")
    (update,) = [op for op in migration.Migration.operations if hasattr(op, "sql")]
    with connection.cursor() as cursor:
        cursor.execute(update.sql)

    assert dict(Request.objects.values_list("pk", "latest_reply_after_reminder")) == written
