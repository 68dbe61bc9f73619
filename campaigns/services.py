"""Writes that span several models."""

from campaigns.choices import Direction
from campaigns.correspondence import reply_timing
from campaigns.models import Letter, Request
from campaigns.search import request_reindex


def letter_sign_by_members(*, letter):
    """Make every coalition member a signatory of a sent letter that names none."""
    if letter.direction != Direction.SENT or letter.signatories.exists():
        return
    letter.signatories.set(letter.request.coalition.members.all())


def request_refresh(*, request_id):
    """Recompute what a request's letters and events imply: reply timings and search text."""
    request = Request.objects.prefetch_related("letters", "events").filter(pk=request_id).first()
    if request is None:
        return
    letters = list(request.letters.all())
    for letter in letters:
        if letter.direction != Direction.RECEIVED:
            continue
        timing = reply_timing(letters, letter)
        stored = {
            "answers_id": timing.answered.pk if timing else None,
            "days_taken": timing.calendar_days if timing else None,
            "working_days_taken": timing.working_days if timing else None,
            "on_time": timing.on_time if timing else None,
        }
        if any(getattr(letter, field) != value for field, value in stored.items()):
            Letter.objects.filter(pk=letter.pk).update(**stored)
    request_reindex(request)
