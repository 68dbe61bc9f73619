"""Pure rules about letters: what a reply answers, how long it took, impossible orders."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format

from campaigns.choices import DatePrecision, Direction, LetterKind, Outcome
from campaigns.correspondence import (
    replies_before_first_sent,
    reply_timings,
    request_facts,
    rounds,
)
from campaigns.deadlines import reply_due
from campaigns.partial_dates import format_partial_date, iso_partial_date
from campaigns.timeline import build_timeline


@dataclass
class FakeLetter:
    direction: str
    kind: str
    date: date
    pk: int = 0
    outcome: str = ""

    @property
    def due_on(self):
        return reply_due(self.date) if self.direction == Direction.SENT else None


@dataclass
class FakeEvent:
    date: date
    pk: int = 1
    date_precision: str = DatePrecision.DAY


def numbered(*letters):
    for pk, letter in enumerate(letters, start=1):
        letter.pk = pk
    return list(letters)


def sent(day, kind=LetterKind.INITIAL):
    return FakeLetter(Direction.SENT, kind, day)


def received(day, kind=LetterKind.SUBSTANTIVE, outcome=Outcome.REFUSED):
    outcome = outcome if kind == LetterKind.SUBSTANTIVE else ""
    return FakeLetter(Direction.RECEIVED, kind, day, outcome=outcome)


def timing(letters, letter):
    return reply_timings(letters).get(letter.pk)


def test_case_reply_took_31_days_and_20_working_days_on_time():
    letters = numbered(sent(date(2022, 4, 29)), received(date(2022, 5, 30)))
    reply = timing(letters, letters[1])
    assert (reply.calendar_days, reply.working_days, reply.on_time) == (31, 20, True)
    assert reply.due_on == date(2022, 5, 30)
    facts = request_facts(letters)
    assert facts.open_letter is None and facts.open_due_on is None
    assert (facts.latest_reply_on, facts.latest_reply_outcome) == (date(2022, 5, 30), "refused")
    assert (facts.latest_reply_working_days, facts.latest_reply_on_time) == (20, True)


def test_reply_a_day_after_the_deadline_is_late():
    letters = numbered(sent(date(2022, 4, 29)), received(date(2022, 5, 31)))
    assert timing(letters, letters[1]).on_time is False


def test_reminder_does_not_restart_the_clock():
    letters = numbered(
        sent(date(2022, 4, 29)),
        sent(date(2022, 6, 10), LetterKind.REMINDER),
        received(date(2022, 6, 20)),
    )
    assert timing(letters, letters[2]).answered is letters[0]
    assert timing(letters, letters[2]).on_time is False
    [only] = rounds(letters)
    assert (only.opened_by, only.reply) == (letters[0], letters[2])


def test_reply_to_a_follow_up_is_measured_from_the_follow_up():
    letters = numbered(
        sent(date(2022, 4, 29)),
        received(date(2022, 5, 30)),
        sent(date(2022, 6, 10), LetterKind.FOLLOW_UP),
        received(date(2022, 6, 15)),
    )
    assert timing(letters, letters[3]).answered is letters[2]
    assert timing(letters, letters[3]).calendar_days == 5
    assert [r.opened_by for r in rounds(letters)] == [letters[0], letters[2]]


def test_first_round_partly_met_late_then_follow_up_open():
    """The case that showed mixed dates: each round keeps its own letter, due date and reply."""
    letters = numbered(
        sent(date(2022, 5, 3)),
        received(date(2022, 7, 8), outcome=Outcome.PARTLY_MET),
        sent(date(2022, 7, 20), LetterKind.FOLLOW_UP),
    )
    first, follow_up = rounds(letters)
    assert first.reply is letters[1] and not first.is_open
    assert follow_up.is_open and follow_up.due_on == date(2022, 8, 17)
    late = timing(letters, letters[1])
    assert (late.due_on, late.calendar_days, late.on_time) == (date(2022, 5, 31), 66, False)
    facts = request_facts(letters)
    assert (facts.open_letter, facts.open_due_on) == (letters[2], date(2022, 8, 17))
    assert (facts.latest_reply, facts.latest_reply_outcome) == (letters[1], "partly_met")
    assert facts.latest_reply_on_time is False


def test_acknowledgement_is_timed_but_never_on_time_and_keeps_the_round_open():
    letters = numbered(
        sent(date(2022, 4, 29)),
        received(date(2022, 5, 3), LetterKind.ACKNOWLEDGEMENT),
    )
    ack = timing(letters, letters[1])
    assert (ack.calendar_days, ack.working_days, ack.on_time) == (4, 1, None)
    [only] = rounds(letters)
    assert only.is_open and only.acknowledgements == [letters[1]]
    assert request_facts(letters).open_due_on == date(2022, 5, 30)


def test_reply_by_email_the_same_day_answers_that_days_letter_whatever_the_entry_order():
    reply, letter = received(date(2022, 4, 29)), sent(date(2022, 4, 29))
    letters = numbered(reply, letter)  # the reply was typed in first
    assert timing(letters, reply).answered is letter
    assert request_facts(letters).open_letter is None


def test_a_second_substantive_reply_in_an_answered_round_has_no_timing():
    letters = numbered(
        sent(date(2022, 4, 29)),
        received(date(2022, 5, 30), outcome=Outcome.REFUSED),
        received(date(2022, 6, 30), outcome=Outcome.MET),
    )
    assert timing(letters, letters[2]) is None
    facts = request_facts(letters)
    assert (facts.latest_reply, facts.latest_reply_outcome) == (letters[2], "met")
    assert facts.latest_reply_on_time is None


def test_last_activity_keeps_an_events_precision_and_prefers_an_exact_letter_on_a_tie():
    letters = numbered(sent(date(2022, 4, 29)))
    later_event = FakeEvent(date(2023, 1, 1), date_precision=DatePrecision.YEAR)
    facts = request_facts(letters, [later_event])
    assert (facts.last_activity_on, facts.last_activity_precision) == (date(2023, 1, 1), "year")
    same_day = FakeEvent(date(2022, 4, 29), date_precision=DatePrecision.MONTH)
    facts = request_facts(letters, [same_day])
    assert facts.last_activity_precision == DatePrecision.DAY
    assert request_facts([], []).last_activity_on is None


def test_replies_before_the_first_sent_letter_are_found():
    early = received(date(2022, 4, 1))
    letters = [early, sent(date(2022, 4, 29)), received(date(2022, 5, 30))]
    assert replies_before_first_sent(letters) == [early]
    assert replies_before_first_sent([early]) == [early]


def test_timeline_puts_letters_before_events_on_the_same_day():
    event = FakeEvent(date(2022, 4, 29))
    letter = sent(date(2022, 4, 29))
    entries = build_timeline([letter], [event])
    assert [entry.letter or entry.event for entry in entries] == [letter, event]


def test_partial_dates_are_shown_no_more_precisely_than_known():
    day = date(2022, 5, 31)
    assert format_partial_date(day, DatePrecision.DAY) == "31 May 2022"
    assert format_partial_date(day, DatePrecision.MONTH) == "May 2022"
    assert format_partial_date(day, DatePrecision.YEAR) == "2022"
    assert iso_partial_date(day, DatePrecision.MONTH) == "2022-05"
    assert iso_partial_date(day, DatePrecision.YEAR) == "2022"


def test_partial_dates_are_written_as_the_sites_date_formats_write_them():
    for offset in range(366):
        day = date(2024, 1, 1) + timedelta(days=offset)
        assert format_partial_date(day, DatePrecision.DAY) == date_format(day)
        in_month = date_format(day, "YEAR_MONTH_FORMAT")
        assert format_partial_date(day, DatePrecision.MONTH) == in_month
