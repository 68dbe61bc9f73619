import random
from datetime import date, timedelta

import pytest

from campaigns.deadlines import add_working_days, is_working_day, reply_due, working_days_between


def test_case_letter_sent_29_april_2022_is_due_30_may_2022():
    assert reply_due(date(2022, 4, 29)) == date(2022, 5, 30)


def test_requested_reply_date_overrides_the_default_deadline():
    assert reply_due(date(2022, 4, 29), requested_by=date(2022, 5, 13)) == date(2022, 5, 13)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2022, 5, 2), False),  # Early May bank holiday
        (date(2022, 6, 3), False),  # Platinum Jubilee
        (date(2022, 4, 30), False),  # Saturday
        (date(2022, 5, 1), False),  # Sunday
        (date(2022, 5, 3), True),
        (date(2022, 12, 27), False),  # Christmas Day observed
    ],
)
def test_weekends_and_england_and_wales_bank_holidays_are_not_working_days(day, working):
    assert is_working_day(day) is working


def test_add_working_days_skips_the_jubilee_weekend():
    # Wednesday 1 June 2022, then Thursday 2 and Friday 3 June were bank holidays.
    assert add_working_days(date(2022, 6, 1), 1) == date(2022, 6, 6)


def test_working_days_between_counts_days_after_start_up_to_end():
    assert working_days_between(date(2022, 4, 29), date(2022, 5, 30)) == 20
    assert working_days_between(date(2022, 5, 30), date(2022, 5, 30)) == 0
    assert working_days_between(date(2022, 5, 30), date(2022, 5, 1)) == 0


def test_working_days_between_agrees_with_counting_day_by_day():
    rng = random.Random(6)
    for _ in range(300):
        start = date(2019, 1, 1) + timedelta(days=rng.randrange(2500))
        end = start + timedelta(days=rng.randrange(800))
        one_by_one = sum(
            1
            for offset in range(1, (end - start).days + 1)
            if is_working_day(start + timedelta(offset))
        )
        assert working_days_between(start, end) == one_by_one, (start, end)
