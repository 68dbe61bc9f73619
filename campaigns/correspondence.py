"""Pure rules about a request's letters: which letter a reply answers, and how long it took.

They work on any objects with `direction`, `kind`, `date` and `due_on`, so the request page,
the admin and the tests share them without touching the database.
"""

from dataclasses import dataclass
from datetime import date

from campaigns.choices import Direction, LetterKind
from campaigns.deadlines import working_days_between


@dataclass(frozen=True)
class ReplyTiming:
    """How long a reply took to the letter it answers, and whether it met the deadline."""

    answered: object
    due_on: date
    calendar_days: int
    working_days: int
    on_time: bool


def is_substantive_reply(letter) -> bool:
    """Return whether a letter is a substantive reply from the recipient."""
    return letter.direction == Direction.RECEIVED and letter.kind == LetterKind.SUBSTANTIVE


def letter_answered(letters, reply):
    """Return the sent letter whose deadline a reply is measured against, or None.

    That is the first letter sent after the previous substantive reply, on or before the
    reply's date: acknowledgements and reminders do not restart the clock.
    """
    previous_replies = [
        letter.date
        for letter in letters
        if is_substantive_reply(letter) and letter.date < reply.date
    ]
    after = max(previous_replies, default=date.min)
    candidates = [
        letter
        for letter in letters
        if letter.direction == Direction.SENT and after < letter.date <= reply.date
    ]
    return min(candidates, key=lambda letter: (letter.date, letter.pk or 0), default=None)


def reply_timing(letters, reply) -> ReplyTiming | None:
    """Return the timing of a received letter against the letter it answers, if any."""
    answered = letter_answered(letters, reply)
    if answered is None:
        return None
    return ReplyTiming(
        answered=answered,
        due_on=answered.due_on,
        calendar_days=(reply.date - answered.date).days,
        working_days=working_days_between(answered.date, reply.date),
        on_time=reply.date <= answered.due_on,
    )


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
