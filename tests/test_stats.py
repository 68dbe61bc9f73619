"""Recipient scorecards and the statistics page, figures computed in the database."""

from datetime import date, timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone

from campaigns.charts import reply_time_chart
from campaigns.stats import recipient_figures, scorecard_for, scorecards, status_by_year
from campaigns.templating import decimal_places
from tests.factories import LetterFactory, PublicBodyFactory, RequestFactory

pytestmark = pytest.mark.django_db


def exchange(recipient, sent, replied=None, outcome="refused"):
    """Create a public request to `recipient`, sent on `sent`, replied `replied` days later."""
    request = RequestFactory(recipient=recipient)
    LetterFactory(request=request, date=sent)
    if replied is not None:
        LetterFactory(
            request=request, reply=True, outcome=outcome, date=sent + timedelta(days=replied)
        )
    return request


def figures(card, *names):
    return tuple(card.counts[name] for name in names)


def test_case_scorecard_for_the_panel(demo):
    card = scorecard_for(demo.recipient)
    assert (card.received, *figures(card, "replied", "replied_on_time", "overdue")) == (1, 1, 1, 0)
    assert card.median_working_days == 20
    assert card.outcomes == {"Met": 0, "Partly met": 0, "Refused": 1, "No substantive answer": 0}


def test_figures_count_replies_on_time_medians_outcomes_and_overdue():
    body = PublicBodyFactory()
    monday = date(2022, 3, 7)
    exchange(body, monday, replied=7, outcome="met")  # 5 working days, on time
    exchange(body, monday, replied=14, outcome="refused")  # 10 working days, on time
    exchange(body, monday, replied=42, outcome="refused")  # 30 working days, late
    exchange(body, timezone.localdate() - timedelta(days=90))  # no reply: overdue
    RequestFactory(recipient=body, is_published=False)  # a draft never counts

    card = scorecard_for(body)
    assert (card.received, *figures(card, "replied", "replied_on_time", "overdue")) == (4, 3, 2, 1)
    # Three replied and one overdue could each have been on time: two were.
    assert (card.on_time_rate.count, card.on_time_rate.total) == (2, 4)
    assert card.median_working_days == 10
    assert card.outcomes["Met"] == 1 and card.outcomes["Refused"] == 2


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    body = PublicBodyFactory()
    monday = date(2022, 3, 7)
    exchange(body, monday, replied=7)  # 5 working days
    exchange(body, monday, replied=14)  # 10 working days
    assert scorecard_for(body).median_working_days == 7.5


def test_only_bodies_with_enough_requests_are_ranked_best_first(settings):
    settings.STATS_MIN_REQUESTS_TO_RANK = 2
    prompt, slow, small = PublicBodyFactory(), PublicBodyFactory(), PublicBodyFactory()
    monday = date(2022, 3, 7)
    for _ in range(2):
        exchange(prompt, monday, replied=7)
        exchange(slow, monday, replied=60)
    exchange(small, monday, replied=1)

    cards = scorecards()
    assert [card.name for card in cards] == [prompt.name, slow.name, small.name]
    assert [card.ranked for card in cards] == [True, True, False]


def test_figures_are_one_query_whatever_the_number_of_bodies(django_assert_num_queries):
    for _ in range(5):
        exchange(PublicBodyFactory(), date(2022, 3, 7), replied=10)
    with django_assert_num_queries(1):
        assert len(list(recipient_figures())) == 5


def test_status_breakdown_by_year_sent(demo):
    exchange(PublicBodyFactory(), date(2021, 3, 1), replied=5, outcome="met")
    years, rows = status_by_year()
    assert years == [2021, 2022]
    assert [(status.value, counts) for status, counts in rows] == [
        ("met", [1, 0]),
        ("refused", [0, 1]),
    ]


def test_chart_draws_a_bar_per_measured_body_against_the_deadline(demo):
    chart = reply_time_chart(scorecards())
    assert [(bar.label, bar.value) for bar in chart.bars] == [
        ("Child Safeguarding Practice Review Panel", 20)
    ]
    assert chart.bars[0].width == pytest.approx(chart.deadline_x - chart.label_width)
    assert reply_time_chart([]) is None


def test_stats_page_shows_figures_chart_and_text_alternative(client, demo):
    response = client.get(reverse("campaigns:stats"))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Child Safeguarding Practice Review Panel" in page
    assert "Not ranked (fewer than 3)" in page
    assert '<svg role="img" aria-labelledby="chart-title chart-desc"' in page
    assert "Child Safeguarding Practice Review Panel: 20 working days." in page
    assert '<td data-label="Median working days to reply">20</td>' in page


@pytest.mark.parametrize("count", [1, 6])
def test_stats_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    for _ in range(count):
        exchange(PublicBodyFactory(), date(2022, 3, 7), replied=10)
    # The figures, acknowledgement times, commitments, and statuses by year.
    with django_assert_max_num_queries(4):
        assert client.get(reverse("campaigns:stats")).status_code == HTTPStatus.OK


def test_organisation_page_shows_its_scorecard(client, demo):
    page = client.get(demo.recipient.get_absolute_url()).content.decode()
    assert 'id="scorecard">As a recipient</h2>' in page
    assert '<td data-label="On time"><a href="/requests/?recipient=' in page
    assert 'counted=replied_on_time">1</a> of' in page


@pytest.mark.parametrize("kept_seconds", [0, 300])  # figures computed each time, or kept
def test_stats_page_shows_a_page_of_bodies_with_ranks_running_on(client, settings, kept_seconds):
    settings.FIGURES_CACHE_SECONDS = kept_seconds
    settings.PARTIES_PER_PAGE = 2
    settings.STATS_MIN_REQUESTS_TO_RANK = 1
    bodies = [PublicBodyFactory(name=f"Body {letter}") for letter in "ABC"]
    for days, body in zip((5, 10, 30), bodies, strict=True):
        exchange(body, date(2022, 3, 7), replied=days)
    first = client.get(reverse("campaigns:stats")).content.decode()
    second = client.get(reverse("campaigns:stats"), {"page": 2}).content.decode()
    assert "Body A" in first and "Body B" in first and "Body C" not in first
    assert "Body C" in second and '<td data-label="Rank">3</td>' in second
    assert "Page 2 of 2" in second
    assert client.get(reverse("campaigns:stats"), {"page": "x"}).status_code == HTTPStatus.OK
    beyond = client.get(reverse("campaigns:stats"), {"page": 99}).content.decode()
    assert "Body C" in beyond and "Page 2 of 2" in beyond


@pytest.mark.parametrize("places", [-1, "-1", 1, 0, -2, 2])
def test_numbers_read_as_djangos_floatformat_writes_them(places):
    numbers = [0, 0.04, -0.04, 2.25, 2.5, 12.0, 12.05, 99.95, 187.3333, 1234.5, 7, Decimal("3.45")]
    assert [decimal_places(n, places) for n in numbers] == [
        str(floatformat(n, places)) for n in numbers
    ]
