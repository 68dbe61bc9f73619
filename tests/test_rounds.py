"""Rounds as readers see them: the open round apart from each earlier round's reply and timing."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.choices import LetterKind, Outcome
from campaigns.deadlines import working_days_between
from campaigns.rounds import Countdown
from tests.factories import LetterFactory

pytestmark = pytest.mark.django_db

FOLLOW_UP_DUE = date(2022, 8, 17)


@pytest.fixture
def partly_met_late_then_follow_up():
    """The case that once showed the follow-up's deadline beside the first round's reply."""
    request = LetterFactory(date=date(2022, 5, 3)).request
    LetterFactory(request=request, reply=True, outcome=Outcome.PARTLY_MET, date=date(2022, 7, 8))
    LetterFactory(request=request, follow_up=True, date=date(2022, 7, 20))
    return request


def overdue_by():
    today = timezone.localdate()
    return (today - FOLLOW_UP_DUE).days, working_days_between(FOLLOW_UP_DUE, today)


def test_page_shows_the_open_follow_up_apart_from_the_earlier_late_reply(
    client, partly_met_late_then_follow_up
):
    page = client.get(partly_met_late_then_follow_up.get_absolute_url()).content.decode()
    days, working = overdue_by()

    assert 'Status: <span class="status status-overdue">Overdue</span>' in page
    assert '<span class="after-outcome">, after Partly met</span>' in page
    assert (
        '<dt>Reply due</dt><dd><time datetime="2022-08-17">17 August 2022</time>'
        f'<span class="countdown">Overdue by {working:,} working days ({days:,} days)</span>'
        '<span class="detail">to the follow-up of 20 July 2022</span>'
    ) in page
    assert (
        '<dt>Earlier reply</dt><dd><time datetime="2022-07-08">8 July 2022</time>'
        '<span class="detail">Partly met, 66 days (46 working days) after the letter of '
        '3 May 2022, due 31 May 2022: <span class="timing late">late</span>'
    ) in page
    assert "<dt>Replied</dt>" not in page  # no reply is claimed for the open round
    assert "Initial letter of 3 May 2022</a>, reply due 31 May 2022." in page
    assert "Follow-up of 20 July 2022</a>, reply due 17 August 2022." in page
    assert f"Awaiting a reply: overdue by {working:,} working days ({days:,} days)." in page


def test_embed_card_says_the_same(client, partly_met_late_then_follow_up):
    url = reverse("campaigns:request-embed", args=[partly_met_late_then_follow_up.slug])
    page = client.get(url).content.decode()
    assert '<time datetime="2022-08-17">17 August 2022</time>' in page
    assert "to the follow-up of 20 July 2022" in page
    assert "Partly met, 66 days (46 working days) after the letter of 3 May 2022" in page


def test_list_shows_the_status_with_the_latest_outcome(client, partly_met_late_then_follow_up):
    page = client.get(reverse("campaigns:request-list")).content.decode()
    assert (
        '<span class="status status-overdue">Overdue</span>'
        '<span class="after-outcome">, after Partly met</span>'
    ) in page


def test_csv_keeps_the_open_round_and_the_latest_reply_in_their_own_columns(
    client, partly_met_late_then_follow_up
):
    response = client.get(reverse("campaigns:request-list-csv"))
    content = b"".join(response.streaming_content)
    [row] = csv.DictReader(io.StringIO(content.decode()))
    days, working = overdue_by()
    assert row["status"] == "Overdue"
    assert (row["awaiting_reply_to_letter_of"], row["reply_due_on"]) == ("2022-07-20", "2022-08-17")
    assert (row["days_overdue"], row["working_days_overdue"]) == (str(days), str(working))
    assert (row["replied_on"], row["outcome"], row["reply_was_due_on"]) == (
        "2022-07-08",
        "partly_met",
        "2022-05-31",
    )
    assert (row["days_taken"], row["working_days_taken"], row["replied_on_time"]) == (
        "66",
        "46",
        "no",
    )


def test_api_gives_the_open_round_the_latest_reply_and_every_round(
    client, partly_met_late_then_follow_up
):
    slug = partly_met_late_then_follow_up.slug
    row = client.get(f"/api/requests/{slug}/").json()
    assert row["open_round"]["due_on"] == "2022-08-17"
    assert row["open_round"]["letter_kind"] == LetterKind.FOLLOW_UP
    assert row["open_round"]["is_overdue"] is True
    assert (row["latest_reply"]["was_due_on"], row["latest_reply"]["on_time"]) == (
        "2022-05-31",
        False,
    )
    first, follow_up = row["rounds"]
    assert (first["sent_on"], first["due_on"], first["is_open"]) == (
        "2022-05-03",
        "2022-05-31",
        False,
    )
    assert first["reply"]["outcome"] == Outcome.PARTLY_MET
    assert (follow_up["due_on"], follow_up["is_open"], follow_up["reply"]) == (
        "2022-08-17",
        True,
        None,
    )


def test_acknowledgement_shows_how_soon_it_came_never_on_time(client):
    request = LetterFactory(date=date(2022, 4, 29)).request
    LetterFactory(request=request, acknowledgement=True, date=date(2022, 5, 3))
    page = client.get(request.get_absolute_url()).content.decode()
    assert "<dt>Came</dt><dd>4 days (1 working day) after the letter of 29 April 2022</dd>" in page
    assert "on-time" not in page
    assert "Acknowledged" in page


def test_demo_case_reads_as_one_answered_round(client, demo):
    data = client.get(f"/api/requests/{demo.slug}/").json()
    [only] = data["rounds"]
    assert (only["sent_on"], only["due_on"], only["reply"]["date"]) == (
        "2022-04-29",
        "2022-05-30",
        "2022-05-30",
    )
    assert data["open_round"] is None
    page = client.get(demo.get_absolute_url()).content.decode()
    assert "Each round of letters" not in page  # one round needs no list


@pytest.mark.parametrize(
    ("today", "text"),
    [
        (date(2022, 5, 30), "due today"),
        (date(2022, 5, 27), "1 working day left (3 days)"),
        (date(2022, 5, 31), "overdue by 1 working day (1 day)"),
        (date(2022, 6, 6), "overdue by 3 working days (7 days)"),  # 2 and 3 June were holidays
    ],
)
def test_countdown_counts_working_days_to_or_past_the_due_date(today, text):
    assert str(Countdown(due_on=date(2022, 5, 30), today=today)) == text
