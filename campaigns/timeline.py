"""A request's timeline: its letters and events in date order."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TimelineEntry:
    """One dated item on a request's timeline: a letter or an event."""

    date: object
    letter: object = None
    event: object = None

    @property
    def is_letter(self):
        return self.letter is not None


def link_answered_letters(letters):
    """Point each received letter's stored `answers` at the loaded letter, saving a query each."""
    by_pk = {letter.pk: letter for letter in letters}
    for letter in letters:
        if letter.answers_id in by_pk:
            letter.answers = by_pk[letter.answers_id]
    return letters


def link_round_letters(req, letters):
    """Point a request's stored open letter and latest reply at the loaded letters, if shown."""
    by_pk = {letter.pk: letter for letter in letters}
    for field in ("open_letter", "latest_reply"):
        if (letter := by_pk.get(getattr(req, f"{field}_id"))) is not None:
            setattr(req, field, letter)


def build_timeline(letters, events) -> list[TimelineEntry]:
    """Return letters and events merged in date order, letters first on the same day."""
    entries = [TimelineEntry(date=letter.date, letter=letter) for letter in letters]
    entries += [TimelineEntry(date=event.date, event=event) for event in events]

    def order(entry):
        item = entry.letter or entry.event
        return (entry.date, 0 if entry.is_letter else 1, item.pk or 0)

    return sorted(entries, key=order)
