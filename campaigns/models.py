"""The tracker's data: organisations, people, coalitions, requests, letters and events."""

from datetime import date

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from campaigns.attachments import extract_pdf_text, validate_attachment
from campaigns.choices import (
    RECEIVED_KINDS,
    SENT_KINDS,
    Channel,
    ClosedResult,
    DatePrecision,
    Direction,
    EventKind,
    LetterKind,
    MembershipRole,
    OrganisationKind,
    Outcome,
    RequestStatus,
)
from campaigns.deadlines import reply_due
from campaigns.partial_dates import format_partial_date
from campaigns.status import status_expression


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("short description"), blank=True, help_text=_("One or two sentences for the public.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:organisation-detail", kwargs={"slug": self.slug})


class Person(models.Model):
    name = models.CharField(_("name"), max_length=200)
    role_title = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_('For example "Chair" or "Director".')
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        role = f"{self.role_title}, " if self.role_title else ""
        return f"{self.name} ({role}{self.organisation.name})"


class Coalition(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Organisation, through="Membership", related_name="coalitions", verbose_name=_("members")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("coalition")
        verbose_name_plural = _("coalitions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:coalition-detail", kwargs={"slug": self.slug})


class Membership(models.Model):
    coalition = models.ForeignKey(
        Coalition, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("coalition")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole, default=MembershipRole.MEMBER
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True)

    class Meta:
        ordering = ["coalition", "role", "organisation__name"]  # "lead" sorts before "member"
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["coalition", "organisation"], name="membership_unique_organisation"
            ),
            models.UniqueConstraint(
                fields=["coalition"],
                condition=Q(role=MembershipRole.LEAD),
                name="membership_one_lead_per_coalition",
                violation_error_message=_("A coalition can have only one lead."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.coalition} ({self.get_role_display()})"

    @property
    def is_lead(self):
        return self.role == MembershipRole.LEAD


class RequestQuerySet(models.QuerySet):
    def published(self):
        """Return what the public may see: published requests only."""
        return self.filter(is_published=True)

    def with_status(self, today=None):
        """Annotate each request with its key dates and its status, computed in SQL."""
        if "status" in self.query.annotations:
            return self
        today = today or timezone.localdate()
        letters = Letter.objects.filter(request=OuterRef("pk"))
        sent = letters.filter(direction=Direction.SENT).order_by("date", "pk")
        replies = letters.filter(
            direction=Direction.RECEIVED, kind=LetterKind.SUBSTANTIVE
        ).order_by("-date", "-pk")
        last_letter_on = letters.order_by("-date").values("date")[:1]
        last_event_on = Event.objects.filter(request=OuterRef("pk")).order_by("-date")
        return (
            self.annotate(
                first_sent_on=Subquery(sent.values("date")[:1]),
                latest_reply_on=Subquery(replies.values("date")[:1]),
                latest_reply_outcome=Subquery(replies.values("outcome")[:1]),
                last_letter_on=Subquery(last_letter_on),
                last_event_on=Subquery(last_event_on.values("date")[:1]),
                last_event_precision=Subquery(last_event_on.values("date_precision")[:1]),
            )
            .annotate(
                round_due_on=Subquery(
                    sent.filter(
                        date__gt=Coalesce(OuterRef("latest_reply_on"), Value(date.min))
                    ).values("due_on")[:1]
                ),
                # Greatest() of a NULL is NULL on SQLite, so each side falls back on the other.
                last_activity_on=Greatest(
                    Coalesce("last_letter_on", "last_event_on"),
                    Coalesce("last_event_on", "last_letter_on"),
                ),
                last_activity_precision=Case(
                    When(
                        Q(last_event_on__gt=F("last_letter_on"))
                        | Q(last_event_on__isnull=False, last_letter_on__isnull=True),
                        then=F("last_event_precision"),
                    ),
                    default=Value(DatePrecision.DAY),
                ),
            )
            .annotate(status=status_expression(today))
        )

    def with_reply_figures(self):
        """Annotate the latest substantive reply's stored timing: days taken, on time, due date."""
        replies = Letter.objects.filter(
            request=OuterRef("pk"), direction=Direction.RECEIVED, kind=LetterKind.SUBSTANTIVE
        ).order_by("-date", "-pk")
        return (
            self.with_status()
            .annotate(
                reply_days_taken=Subquery(replies.values("days_taken")[:1]),
                reply_working_days_taken=Subquery(replies.values("working_days_taken")[:1]),
                reply_on_time=Subquery(replies.values("on_time")[:1]),
                reply_due_on=Subquery(replies.values("answers__due_on")[:1]),
            )
            # The deadline that matters now: the open round's, else the one last replied to.
            .annotate(current_due_on=Coalesce("round_due_on", "reply_due_on"))
        )

    def in_status(self, *statuses, today=None):
        """Return the requests whose status is one of those given."""
        return self.with_status(today=today).filter(status__in=statuses)

    def overdue(self, today=None):
        """Return the requests whose reply is overdue."""
        return self.in_status(RequestStatus.OVERDUE, today=today)

    def newest_first(self):
        """Order by the date first sent, unsent requests first, then by creation."""
        return self.with_status().order_by(
            models.F("first_sent_on").desc(nulls_first=True), "-created_at", "-pk"
        )

    def with_parties(self):
        """Fetch the coalition, recipient and named recipient person in the same query."""
        return self.select_related("coalition", "recipient", "recipient_person")


class Request(models.Model):
    title = models.CharField(_("title"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    summary = models.TextField(
        _("the ask"), help_text=_("What the coalition asked for, in a few plain sentences.")
    )
    coalition = models.ForeignKey(
        Coalition, on_delete=models.PROTECT, related_name="requests", verbose_name=_("coalition")
    )
    recipient = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="requests_received",
        verbose_name=_("recipient"),
        help_text=_("The organisation the request was made to."),
    )
    recipient_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_received",
        verbose_name=_("addressed to"),
        help_text=_("Optional: the person at the recipient the request was addressed to."),
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Unpublished requests are drafts: nothing about them is shown to the public."),
    )
    closed_result = models.CharField(
        _("closed with result"),
        max_length=12,
        choices=ClosedResult,
        blank=True,
        help_text=_("Set only when the campaign on this request is over."),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    search_document = models.TextField(_("search text"), blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_result="", closed_on__isnull=True)
                | (~Q(closed_result="") & Q(closed_on__isnull=False)),
                name="request_closed_result_with_date",
                violation_error_message=_("A closed request needs both a result and a date."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:request-detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if (
            self.recipient_person_id
            and self.recipient_id
            and self.recipient_person.organisation_id != self.recipient_id
        ):
            errors["recipient_person"] = _(
                "%(person)s is not at %(recipient)s. Choose someone at the recipient, or leave "
                "this empty."
            ) % {"person": self.recipient_person.name, "recipient": self.recipient}
        if self.closed_result and not self.closed_on:
            errors["closed_on"] = _("Give the date the request was closed.")
        if self.closed_on and not self.closed_result:
            errors["closed_result"] = _("Choose the result the request was closed with.")
        if errors:
            raise ValidationError(errors)

    @property
    def status_label(self):
        """Return the status in words, from the `with_status()` annotation."""
        return RequestStatus(self.status).label


class Letter(models.Model):
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="letters", verbose_name=_("request")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction)
    date = models.DateField(_("date"), help_text=_("The date it was sent or received."))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.LETTER)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=LetterKind,
        help_text=_(
            "Sent: initial letter, reminder or follow-up. Received: acknowledgement or "
            "substantive reply."
        ),
    )
    author = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters_written",
        verbose_name=_("signed by"),
    )
    addressee = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters_received",
        verbose_name=_("addressed to"),
    )
    signatories = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="letters_signed",
        verbose_name=_("signatory organisations"),
        help_text=_("For a joint letter. Left empty, a sent letter is signed by every member."),
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("full text"), blank=True)
    attachment = models.FileField(
        _("attachment"),
        upload_to="attachments/%Y/%m/",
        blank=True,
        validators=[validate_attachment],
        help_text=_("Optional: a PDF, PNG or JPEG of the original."),
    )
    reply_requested_by = models.DateField(
        _("reply requested by"),
        null=True,
        blank=True,
        help_text=_("Sent letters only. Left empty, a reply is due 20 working days after sending."),
    )
    attachment_text = models.TextField(_("attachment text"), blank=True, editable=False)
    due_on = models.DateField(_("reply due"), null=True, editable=False)
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=Outcome,
        blank=True,
        help_text=_("Substantive replies only: how far the reply met the ask."),
    )
    # Stored copies of campaigns.correspondence.reply_timing(), kept for statistics in SQL.
    answers = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    days_taken = models.PositiveIntegerField(null=True, editable=False)
    working_days_taken = models.PositiveIntegerField(null=True, editable=False)
    on_time = models.BooleanField(null=True, editable=False)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.CheckConstraint(
                condition=Q(direction=Direction.SENT, kind__in=SENT_KINDS)
                | Q(direction=Direction.RECEIVED, kind__in=RECEIVED_KINDS),
                name="letter_kind_matches_direction",
            ),
            models.CheckConstraint(
                condition=(
                    Q(direction=Direction.RECEIVED, kind=LetterKind.SUBSTANTIVE) & ~Q(outcome="")
                )
                | (~Q(direction=Direction.RECEIVED, kind=LetterKind.SUBSTANTIVE) & Q(outcome="")),
                name="letter_outcome_only_on_substantive_reply",
            ),
            models.CheckConstraint(
                condition=Q(direction=Direction.SENT) | Q(reply_requested_by__isnull=True),
                name="letter_reply_requested_only_when_sent",
            ),
            models.CheckConstraint(
                condition=Q(reply_requested_by__isnull=True)
                | Q(reply_requested_by__gte=models.F("date")),
                name="letter_reply_requested_after_sending",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}, {date_format(self.date)}"

    def save(self, *args, **kwargs):
        self.due_on = self.compute_due_on()
        if not self.attachment:
            self.attachment_text = ""
        elif not self.attachment._committed:
            self.attachment_text = extract_pdf_text(self.attachment)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.request.get_absolute_url()}#letter-{self.pk}"

    def clean(self):
        errors = {}
        if self.direction == Direction.SENT and self.kind not in SENT_KINDS:
            errors["kind"] = _(
                "A letter sent by the coalition is an initial letter, reminder or follow-up."
            )
        if self.direction == Direction.RECEIVED and self.kind not in RECEIVED_KINDS:
            errors["kind"] = _("A letter received is an acknowledgement or a substantive reply.")
        substantive = self.direction == Direction.RECEIVED and self.kind == LetterKind.SUBSTANTIVE
        if substantive and not self.outcome:
            errors["outcome"] = _("Choose how far this substantive reply met the ask.")
        if self.outcome and not substantive:
            errors["outcome"] = _("Only a substantive reply has an outcome; leave this empty.")
        if self.reply_requested_by and self.direction != Direction.SENT:
            errors["reply_requested_by"] = _("Only a letter the coalition sent asks for a reply.")
        elif self.reply_requested_by and self.date and self.reply_requested_by < self.date:
            errors["reply_requested_by"] = _(
                "The reply cannot be requested before the letter is sent."
            )
        if errors:
            raise ValidationError(errors)

    def compute_due_on(self):
        """Return when a reply to this letter is due, or None if it was not sent by us."""
        if self.direction != Direction.SENT or self.date is None:
            return None
        return reply_due(self.date, self.reply_requested_by)

    @property
    def is_sent(self):
        return self.direction == Direction.SENT


class Event(models.Model):
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(
        _("date"),
        help_text=_("If only the month or year is known, enter the earliest day it could be."),
    )
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    date_note = models.CharField(
        _("date note"),
        max_length=100,
        blank=True,
        help_text=_('Optional, shown after the date, for example "after 30 May".'),
    )
    description = models.TextField(_("description"), blank=True)
    outlet = models.CharField(
        _("outlet"), max_length=200, blank=True, help_text=_("Press coverage: the publication.")
    )
    url = models.URLField(_("link"), blank=True, max_length=500)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.request.get_absolute_url()}#event-{self.pk}"

    def display_date(self):
        """Return the date as precisely as it is known, with its note: "2022 (after 30 May)"."""
        shown = format_partial_date(self.date, self.date_precision)
        return f"{shown} ({self.date_note})" if self.date_note else shown
