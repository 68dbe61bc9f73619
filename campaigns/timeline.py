"""A request's timeline: its letters and events in date order, with each reply's timing."""

from dataclasses import dataclass

from campaigns.choices import Direction
from campaigns.correspondence import ReplyTiming, is_substantive_reply, reply_timing


@dataclass(frozen=True)
class TimelineEntry:
    """One dated item on a request's timeline: a letter or an event."""

    date: object
    letter: object = None
    event: object = None
    timing: ReplyTiming | None = None

    @property
    def is_letter(self):
        return self.letter is not None


def build_timeline(letters, events) -> list[TimelineEntry]:
    """Return letters and events merged in date order, letters first on the same day."""
    letters = list(letters)
    entries = [
        TimelineEntry(
            date=letter.date,
            letter=letter,
            timing=reply_timing(letters, letter)
            if letter.direction == Direction.RECEIVED
            else None,
        )
        for letter in letters
    ]
    entries += [TimelineEntry(date=event.date, event=event) for event in events]

    def order(entry):
        item = entry.letter or entry.event
        return (entry.date, 0 if entry.is_letter else 1, item.pk or 0)

    return sorted(entries, key=order)


@dataclass(frozen=True)
class KeyDates:
    """The dates a reader looks for first: sent, due, replied, and how long the reply took."""

    sent_on: object
    due_on: object
    replied_on: object
    timing: ReplyTiming | None


def key_dates(request, timeline) -> KeyDates:
    """Return a request's key dates from its timeline and its `with_status()` annotations."""
    sent = [entry.letter for entry in timeline if entry.is_letter and entry.letter.is_sent]
    replies = [
        entry for entry in timeline if entry.is_letter and is_substantive_reply(entry.letter)
    ]
    latest = replies[-1] if replies else None
    timing = latest.timing if latest else None
    return KeyDates(
        sent_on=sent[0].date if sent else None,
        due_on=request.round_due_on or (timing.due_on if timing else None),
        replied_on=latest.date if latest else None,
        timing=timing,
    )
