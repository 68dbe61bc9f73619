"""The round rule, as pure functions: which sent letter each reply answers, which round is open.

A round opens with the first letter the coalition sends after the previous substantive reply
(or with the first letter of all). Reminders, further letters and acknowledgements sent or
received before the next substantive reply belong to the same round and do not restart the
clock; that substantive reply closes the round. On one day, letters sent come before letters
received, so a reply by email on the day of sending answers that day's letter.

The functions work on any objects with `pk`, `direction`, `kind`, `date`, `due_on` (and
optionally `original_due_on`) and `outcome`, so the write path, the admin's checks and the
tests share them without a database.
The write path (`campaigns.services.request_refresh`) stores what they decide; pages read that.
"""

from dataclasses import dataclass, field
from datetime import date

from campaigns.asks import request_outcome
from campaigns.choices import DatePrecision, Direction, LetterKind
from campaigns.deadlines import working_days_between


@dataclass(frozen=True)
class ReplyTiming:
    """How long a received letter took after the letter that opened its round."""

    answered: object
    due_on: date
    calendar_days: int
    working_days: int
    # None for an acknowledgement: it never meets the ask, so it is never "on time".
    on_time: bool | None
    # Against the first due date, before any change in the deadline ledger.
    on_time_original: bool | None = None


@dataclass
class Round:
    """One exchange: the letter that opened it, what followed, and the reply that closed it."""

    opened_by: object
    letters: list = field(default_factory=list)
    reply: object = None

    @property
    def due_on(self):
        return self.opened_by.due_on

    @property
    def is_open(self):
        return self.reply is None

    @property
    def acknowledgements(self):
        return [letter for letter in self.letters if is_acknowledgement(letter)]


@dataclass(frozen=True)
class RequestFacts:
    """What a request's letters and events imply, stored on the request by the write path."""

    first_sent_on: date | None = None
    open_letter: object = None
    open_due_on: date | None = None
    latest_reply: object = None
    latest_reply_on: date | None = None
    latest_reply_outcome: str = ""
    latest_reply_working_days: int | None = None
    latest_reply_on_time: bool | None = None
    latest_reply_on_time_original: bool | None = None
    latest_reply_after_reminder: bool = False
    last_activity_on: date | None = None
    last_activity_precision: str = DatePrecision.DAY


def is_substantive_reply(letter) -> bool:
    """Return whether a letter is a substantive reply from the recipient."""
    return letter.direction == Direction.RECEIVED and letter.kind == LetterKind.SUBSTANTIVE


def is_acknowledgement(letter) -> bool:
    """Return whether a letter is an acknowledgement or holding reply from the recipient."""
    return letter.direction == Direction.RECEIVED and letter.kind == LetterKind.ACKNOWLEDGEMENT


def in_order(letters):
    """Return letters in the order the round rule reads them: by date, sent first, then entry."""
    return sorted(
        letters,
        key=lambda letter: (letter.date, letter.direction != Direction.SENT, letter.pk or 0),
    )


def rounds(letters) -> list[Round]:
    """Return the request's rounds in order; received letters before any sent one are left out."""
    found = []
    for letter in in_order(letters):
        current = found[-1] if found else None
        if letter.direction == Direction.SENT:
            if current is None or not current.is_open:
                found.append(Round(opened_by=letter))
            else:
                current.letters.append(letter)
        elif current is not None:
            current.letters.append(letter)
            if is_substantive_reply(letter) and current.is_open:
                current.reply = letter
    return found


def open_round(letters) -> Round | None:
    """Return the round still waiting for a substantive reply, if any."""
    found = rounds(letters)
    return found[-1] if found and found[-1].is_open else None


def reply_timings(letters) -> dict:
    """Return, by letter pk, the timing of each received letter against its round's letter.

    A further substantive reply in a round already answered has no timing: nothing was asked
    since the reply before it.
    """
    timings = {}
    for exchange in rounds(letters):
        for letter in exchange.letters:
            if letter.direction != Direction.RECEIVED:
                continue
            if is_substantive_reply(letter) and letter is not exchange.reply:
                continue
            timings[letter.pk] = timing_against(exchange.opened_by, letter)
    return timings


def timing_against(sent, received) -> ReplyTiming:
    """Return how long a received letter came after a sent one, and whether it met the due date
    (as changed, and as first set: a letter with no `original_due_on` was never changed)."""
    substantive = is_substantive_reply(received)
    first_due = getattr(sent, "original_due_on", None) or sent.due_on
    return ReplyTiming(
        answered=sent,
        due_on=sent.due_on,
        calendar_days=(received.date - sent.date).days,
        working_days=working_days_between(sent.date, received.date),
        on_time=received.date <= sent.due_on if substantive else None,
        on_time_original=received.date <= first_due if substantive else None,
    )


def request_facts(letters, events=(), asks=(), answers=()) -> RequestFacts:
    """Return the facts that status, lists and statistics read, from letters and events, and
    the request's asks and their answers (campaigns.asks), which give the outcome so far."""
    letters = in_order(letters)
    sent = [letter for letter in letters if letter.direction == Direction.SENT]
    replies = [letter for letter in letters if is_substantive_reply(letter)]
    still_open = open_round(letters)
    latest = replies[-1] if replies else None
    latest_timing = reply_timings(letters).get(latest.pk) if latest else None
    activity_on, precision = last_activity(letters, events)
    return RequestFacts(
        first_sent_on=sent[0].date if sent else None,
        open_letter=still_open.opened_by if still_open else None,
        open_due_on=still_open.due_on if still_open else None,
        latest_reply=latest,
        latest_reply_on=latest.date if latest else None,
        latest_reply_outcome=request_outcome(asks, replies, answers),
        latest_reply_working_days=latest_timing.working_days if latest_timing else None,
        latest_reply_on_time=latest_timing.on_time if latest_timing else None,
        latest_reply_on_time_original=latest_timing.on_time_original if latest_timing else None,
        latest_reply_after_reminder=came_after_reminder(sent, latest, latest_timing),
        last_activity_on=activity_on,
        last_activity_precision=precision,
    )


def came_after_reminder(sent, reply, timing) -> bool:
    """Return whether a reply came only after a reminder or follow-up: a letter sent after the
    one it answers, by the reply's date. A reply with no timing answers nothing new."""
    if reply is None or timing is None:
        return False
    answered = timing.answered
    return any(
        letter is not answered and answered.date <= letter.date <= reply.date for letter in sent
    )


def last_activity(letters, events):
    """Return the date of the latest letter or event and how precisely it is known.

    A letter's date is exact; an event known only to the month or year counts from its
    earliest possible day, and keeps its precision so it is shown no more precisely.
    """
    dated = [(letter.date, DatePrecision.DAY) for letter in letters]
    dated += [(event.date, event.date_precision) for event in events]
    # On the same day an exact letter wins over an event known only roughly.
    latest = max(dated, key=lambda item: (item[0], item[1] == DatePrecision.DAY), default=None)
    return latest if latest else (None, DatePrecision.DAY)


def replies_before_first_sent(letters):
    """Return the received letters dated before the first letter sent, which cannot be."""
    sent_dates = [letter.date for letter in letters if letter.direction == Direction.SENT]
    first_sent = min(sent_dates, default=None)
    return [
        letter
        for letter in letters
        if letter.direction == Direction.RECEIVED
        and (first_sent is None or letter.date < first_sent)
    ]
