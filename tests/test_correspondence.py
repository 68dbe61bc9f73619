"""Pure rules about letters: what a reply answers, how long it took, impossible orders."""

from dataclasses import dataclass
from datetime import date

from campaigns.choices import DatePrecision, Direction, LetterKind
from campaigns.correspondence import letter_answered, replies_before_first_sent, reply_timing
from campaigns.deadlines import reply_due
from campaigns.partial_dates import format_partial_date, iso_partial_date
from campaigns.timeline import build_timeline


@dataclass
class FakeLetter:
    direction: str
    kind: str
    date: date
    pk: int = 0

    @property
    def due_on(self):
        return reply_due(self.date) if self.direction == Direction.SENT else None


def sent(day, kind=LetterKind.INITIAL, pk=0):
    return FakeLetter(Direction.SENT, kind, day, pk)


def received(day, kind=LetterKind.SUBSTANTIVE, pk=0):
    return FakeLetter(Direction.RECEIVED, kind, day, pk)


def test_case_reply_took_31_days_and_20_working_days_on_time():
    letters = [sent(date(2022, 4, 29)), received(date(2022, 5, 30))]
    timing = reply_timing(letters, letters[1])
    assert (timing.calendar_days, timing.working_days, timing.on_time) == (31, 20, True)
    assert timing.due_on == date(2022, 5, 30)


def test_reply_a_day_after_the_deadline_is_late():
    letters = [sent(date(2022, 4, 29)), received(date(2022, 5, 31))]
    assert reply_timing(letters, letters[1]).on_time is False


def test_reminder_does_not_restart_the_clock():
    letters = [
        sent(date(2022, 4, 29)),
        sent(date(2022, 6, 10), LetterKind.REMINDER),
        received(date(2022, 6, 20)),
    ]
    assert letter_answered(letters, letters[2]) is letters[0]
    assert reply_timing(letters, letters[2]).on_time is False


def test_reply_to_a_follow_up_is_measured_from_the_follow_up():
    letters = [
        sent(date(2022, 4, 29)),
        received(date(2022, 5, 30)),
        sent(date(2022, 6, 10), LetterKind.FOLLOW_UP),
        received(date(2022, 6, 15)),
    ]
    assert letter_answered(letters, letters[3]) is letters[2]
    assert reply_timing(letters, letters[3]).calendar_days == 5


def test_replies_before_the_first_sent_letter_are_found():
    early = received(date(2022, 4, 1))
    letters = [early, sent(date(2022, 4, 29)), received(date(2022, 5, 30))]
    assert replies_before_first_sent(letters) == [early]
    assert replies_before_first_sent([early]) == [early]


def test_timeline_puts_letters_before_events_on_the_same_day():
    @dataclass
    class FakeEvent:
        date: date
        pk: int = 1

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
