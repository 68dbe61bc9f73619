"""A request's timeline: its letters and events in date order, with each reply's timing."""

from dataclasses import dataclass

from campaigns.choices import Direction
from campaigns.correspondence import ReplyTiming, reply_timing


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
