"""Working-day arithmetic and the reply deadline rule, as pure functions."""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays

REPLY_WORKING_DAYS = 20


@cache
def _bank_holiday_names(year: int) -> dict[date, str]:
    """Return the bank holidays of England and Wales in a year, with their names."""
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    """Return the bank holidays of England and Wales in a year."""
    return frozenset(_bank_holiday_names(year))


def is_working_day(day: date) -> bool:
    """Return whether a day is neither a weekend nor a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """Return the day that is `count` working days after `start`."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Return how many working days fall after `start`, up to and including `end`."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    weekdays = weeks * 5 + sum(
        1 for offset in range(1, extra + 1) if (start + timedelta(offset)).weekday() < 5
    )
    holidays_on_weekdays = sum(
        1
        for year in range(start.year, end.year + 1)
        for holiday in _bank_holidays(year)
        if start < holiday <= end and holiday.weekday() < 5
    )
    return weekdays - holidays_on_weekdays


def reply_due(sent_on: date, requested_by: date | None = None) -> date:
    """Return the day a reply is due: the date asked for, else 20 working days after sending."""
    if requested_by is not None:
        return requested_by
    return add_working_days(sent_on, REPLY_WORKING_DAYS)


@dataclass(frozen=True)
class DueDateReached:
    """How a reply's first due date was reached, for a reader to check."""

    due_on: date
    asked_for: bool  # the letter named the date; nothing was counted
    working_days: int
    bank_holidays: tuple[tuple[date, str], ...]  # weekdays skipped in the count, with their names


@cache  # Shown for every sent letter of a request page; the same dates recur across requests.
def due_date_reached(sent_on: date, requested_by: date | None = None) -> DueDateReached:
    """Return the due date `reply_due` gives and how: the date asked for, or the working days
    counted and the bank holidays skipped on the way."""
    due_on = reply_due(sent_on, requested_by)
    if requested_by is not None:
        return DueDateReached(due_on, True, working_days_between(sent_on, due_on), ())
    skipped = tuple(
        (day, name)
        for year in range(sent_on.year, due_on.year + 1)
        for day, name in sorted(_bank_holiday_names(year).items())
        if sent_on < day <= due_on and day.weekday() < 5
    )
    return DueDateReached(due_on, False, REPLY_WORKING_DAYS, skipped)
