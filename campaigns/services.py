"""Writes that span several models."""

from campaigns.choices import Direction


def letter_sign_by_members(*, letter):
    """Make every coalition member a signatory of a sent letter that names none."""
    if letter.direction != Direction.SENT or letter.signatories.exists():
        return
    letter.signatories.set(letter.request.coalition.members.all())
