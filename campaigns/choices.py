"""The fixed vocabularies of the tracker, shared by models, filters and templates."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    CHARITY = "charity", _("Charity or campaign group")
    PROFESSIONAL = "professional", _("Professional association")
    PUBLIC_BODY = "public_body", _("Public body")
    GOVERNMENT = "government", _("Government department")
    PARLIAMENT = "parliament", _("Parliament")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")


class Direction(models.TextChoices):
    SENT = "sent", _("Sent by the coalition")
    RECEIVED = "received", _("Received from the recipient")


class Channel(models.TextChoices):
    # The default: nobody chose it, so nothing is published about it.
    NOT_RECORDED = "", _("Not recorded")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    HAND = "hand", _("Hand delivered")
    OTHER = "other", _("Other")


class LetterKind(models.TextChoices):
    INITIAL = "initial", _("Initial letter")
    REMINDER = "reminder", _("Reminder")
    FOLLOW_UP = "follow_up", _("Follow-up")
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement or holding reply")
    SUBSTANTIVE = "substantive", _("Substantive reply")


SENT_KINDS = (LetterKind.INITIAL, LetterKind.REMINDER, LetterKind.FOLLOW_UP)
RECEIVED_KINDS = (LetterKind.ACKNOWLEDGEMENT, LetterKind.SUBSTANTIVE)


class Outcome(models.TextChoices):
    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    REFUSED = "refused", _("Refused")
    NO_ANSWER = "no_answer", _("No substantive answer")


class ClosedResult(models.TextChoices):
    WON = "won", _("Won")
    PARTLY_WON = "partly_won", _("Partly won")
    LOST = "lost", _("Lost")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RequestStatus(models.TextChoices):
    NOT_SENT = "not_sent", _("Not sent yet")
    AWAITING = "awaiting", _("Awaiting reply")
    OVERDUE = "overdue", _("Overdue")
    FOLLOW_UP_SENT = "follow_up_sent", _("Follow-up sent")
    MET = Outcome.MET.value, Outcome.MET.label
    PARTLY_MET = Outcome.PARTLY_MET.value, Outcome.PARTLY_MET.label
    REFUSED = Outcome.REFUSED.value, Outcome.REFUSED.label
    NO_ANSWER = Outcome.NO_ANSWER.value, Outcome.NO_ANSWER.label
    CLOSED = "closed", _("Closed")


class EventKind(models.TextChoices):
    PUBLICATION = "publication", _("Related publication")
    PRESS = "press", _("Press coverage")
    MEETING = "meeting", _("Meeting")
    PARLIAMENTARY_QUESTION = "parliamentary_question", _("Parliamentary question")
    NOTE = "note", _("Note")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")


class DeadlineChangeKind(models.TextChoices):
    EXTENSION = "extension", _("Extension granted by the body")
    CLARIFICATION = "clarification", _("Paused for clarification")
    HOLDING = "holding", _("Holding reply promising a date")
    AGREED = "agreed", _("Agreed by the coalition")


class EscalationStage(models.TextChoices):
    FIRST = "", _("First request")
    INTERNAL_REVIEW = "internal_review", _("Internal review")
    MINISTER = "minister", _("Minister")
    REGULATOR = "regulator", _("Regulator or ombudsman")
    SELECT_COMMITTEE = "select_committee", _("Select committee")
    PARLIAMENTARY_QUESTION = "parliamentary_question", _("Parliamentary question")
    PRE_ACTION = "pre_action", _("Pre-action letter")
