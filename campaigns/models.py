"""The tracker's data: organisations, people, coalitions, requests, letters and events."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from campaigns.attachments import (
    ATTACHMENT_NAME_MAX_CHARS,
    delete_after_commit,
    file_label,
    note_stored,
    validate_attachment,
)
from campaigns.choices import (
    RECEIVED_KINDS,
    SENT_KINDS,
    Channel,
    ClosedResult,
    CommitmentStatus,
    DatePrecision,
    DeadlineChangeKind,
    Direction,
    EscalationStage,
    EventKind,
    LetterKind,
    MembershipRole,
    OrganisationKind,
    Outcome,
    RequestStatus,
)
from campaigns.commitments import (
    commitment_status_expression,
    commitment_status_filter,
    commitment_status_of,
    last_day_due,
)
from campaigns.conditions import DecidedStatus
from campaigns.deadlines import due_date_reached, reply_due
from campaigns.names import longest_word, split_other_names, validate_other_names
from campaigns.partial_dates import format_partial_date
from campaigns.paths import entry_path, slug_path
from campaigns.status import status_expression, status_filter, status_of
from campaigns.validators import validate_plausible_date


class OrganisationQuerySet(models.QuerySet):
    def mentioning(self, text):
        """Return those whose name or other names hold the longest word of `text`.

        A cheap first sift: callers then match the names themselves (see campaigns.names).
        """
        if not (word := longest_word(text)):
            return self.none()
        return self.filter(Q(name__icontains=word) | Q(other_names__icontains=word))


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("short description"), blank=True, help_text=_("One or two sentences for the public.")
    )
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_(
            "Abbreviations and other names it is known by, one per line, e.g. DfE. "
            "Searching for any of them finds it."
        ),
    )

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_path("campaigns:organisation-detail", self.slug)

    def clean(self):
        names = split_other_names(self.other_names, self.name)
        try:
            validate_other_names(names)
        except ValidationError as error:
            raise ValidationError({"other_names": error}) from error
        self.other_names = "\n".join(names)

    @property
    def also_known_as(self):
        """Return its other names, as a list."""
        return self.other_names.splitlines()


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

    history = HistoricalRecords()

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
        return slug_path("campaigns:coalition-detail", self.slug)


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
    joined_on = models.DateField(
        _("joined"), null=True, blank=True, validators=[validate_plausible_date]
    )

    history = HistoricalRecords()

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


class TimeOfQuery(models.Expression):
    """The time a query is run, read from the site's clock when its SQL is made.

    Querysets built once at import (the API's, the filters' choices) still follow the clock.
    """

    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection):
        return models.Value(timezone.now(), output_field=self.output_field).as_sql(
            compiler, connection
        )


class RequestQuerySet(models.QuerySet):
    def published(self, now=None):
        """Return what the public may see: published requests whose embargo, if any, has passed."""
        now = now or TimeOfQuery()
        return self.filter(PUBLISHED, Q(publish_at__isnull=True) | Q(publish_at__lte=now))

    def next_embargo_end(self, now=None):
        """Return the earliest embargo still to end on a published request, or None."""
        now = now or TimeOfQuery()
        return (
            self.filter(PUBLISHED, publish_at__gt=now)
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )

    def with_status(self, today=None):
        """Annotate each request with its status in SQL, to count or sort by it.

        A row read without it decides its status in Python from the same rule (`Request.status`).
        """
        if "status" in self.query.annotations:
            return self
        return self.annotate(status=status_expression(today or timezone.localdate()))

    def in_status(self, *statuses, today=None):
        """Return the requests whose status is one of those given (on `today`, if given)."""
        if today is None:
            return self.filter(status_filter(statuses, timezone.localdate()))
        return self.filter(status_filter(statuses, today)).with_status(today=today)

    def overdue(self, today=None):
        """Return the requests whose reply is overdue."""
        return self.in_status(RequestStatus.OVERDUE, today=today)

    def with_chain_of(self, slug):
        """Return the request at `slug` with the other stages of its chain, first sent first."""
        # Its chain's root, or itself outside a chain: one value, so both lookups use an index.
        root = (
            Request.objects.filter(slug=slug).order_by().values(root=Coalesce("chain_root", "pk"))
        )
        root = Subquery(root[:1])
        return self.filter(Q(chain_root=root) | Q(pk=root)).order_by(*CHAIN_ORDER)

    def newest_first(self):
        """Order by the date first sent, unsent requests first, then by creation."""
        return self.order_by(*NEWEST_FIRST)

    def with_parties(self):
        """Fetch the coalition, recipient and named recipient person in the same query."""
        return self.select_related("coalition", "recipient", "recipient_person")

    def with_rounds(self, *, joined=False):
        """Fetch the open round's letter and the latest reply (not their texts) for the rows read.

        By default two small queries by primary key rather than three more joins: planning a
        seven-table join cost PostgreSQL 6 ms, more than reading a page of rows. `joined` reads
        them in the same query, for streaming every row, where one plan serves them all.
        """
        if joined:
            texts = [
                f"{letter}__{field}"
                for letter in ("open_letter", "latest_reply", "latest_reply__answers")
                for field in LETTER_TEXT_FIELDS
            ]
            return self.select_related("open_letter", "latest_reply__answers").defer(*texts)
        letters = Letter.objects.defer(*LETTER_TEXT_FIELDS)
        return self.prefetch_related(
            models.Prefetch("open_letter", queryset=letters),
            models.Prefetch(
                "latest_reply",
                queryset=letters.select_related("answers").defer(
                    *(f"answers__{field}" for field in LETTER_TEXT_FIELDS)
                ),
            ),
        )


# The letters of a request's stored rounds, which `with_rounds()` reads.
ROUND_LETTERS = ("open_letter", "latest_reply")
# The order of every public list of requests; indexes serve it (see Request.Meta.indexes).
NEWEST_FIRST = (F("first_sent_on").desc(nulls_first=True), F("created_at").desc(), F("id").desc())
# PostgreSQL's DESC puts NULLs first, as NEWEST_FIRST asks; SQLite cannot say so in an index.
NEWEST_FIRST_INDEXED = (F("first_sent_on").desc(), F("created_at").desc(), F("id").desc())
CHAIN_ORDER = (F("first_sent_on").asc(nulls_last=True), F("id"))
PUBLISHED = Q(is_published=True)
# Indexes of public requests carry the embargo, so that published() is decided from the index
# alone: reading each row's embargo from the table made page 2,000 of the list ten times slower.
EMBARGO = ["publish_at"]
# The stored facts a status is decided from (campaigns.status), carried by the indexes of the
# public lists too: a page filtered by status finds its ids in the index alone, skipping the
# rows in other statuses without reading the table (6 ms for the first page of overdue requests).
STATUS_FACTS = ["closed_result", "open_due_on", "latest_reply_on", "latest_reply_outcome"]


# The longest chain of escalations a request can be part of.
CHAIN_STAGES_MAX = 10

# Request fields that store the round rule's facts, written by campaigns.services.
FACT_FIELDS = (
    "first_sent_on",
    "open_letter",
    "open_due_on",
    "latest_reply",
    "latest_reply_on",
    "latest_reply_outcome",
    "latest_reply_working_days",
    "latest_reply_on_time",
    "latest_reply_on_time_original",
    "latest_reply_after_reminder",
    "last_activity_on",
    "last_activity_precision",
)
# Request fields that say which optional parts it has, so its page reads only those.
PART_FIELDS = (
    "has_attachments",
    "has_deadline_changes",
    "has_commitments",
    "ask_count",
    "has_events",
)
# Request fields the write path stores: the round rule's facts, its parts and the moment it
# became public.
STORED_FIELDS = (*FACT_FIELDS, *PART_FIELDS, "published_at")
# A letter's long texts, read only where the letter itself is shown.
LETTER_TEXT_FIELDS = ("body",)
# A request's stored search text: long, and read only by the search itself.
SEARCH_TEXT_FIELDS = ("search_document", "search_vector")
# Computed by the write path or on save, and recomputed on restore, so kept out of history.
HISTORY_EXCLUDED_REQUEST_FIELDS = [
    *STORED_FIELDS,
    *SEARCH_TEXT_FIELDS,
    "updated_at",
    "chain_root",
]
HISTORY_EXCLUDED_LETTER_FIELDS = [
    "shown_since",
    "feed_dated_at",
    "message_id",
    "original_due_on",
    "due_on",
    "answers",
    "days_taken",
    "working_days_taken",
    "on_time",
    "on_time_original",
]


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
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_(
            "Optional embargo, for example to match a press release: a published request stays "
            "hidden until this date and time (UK time)."
        ),
    )
    # Stored by the write path (campaigns.services) when the request first becomes public.
    published_at = models.DateTimeField(_("made public"), null=True, editable=False)
    escalated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalations",
        verbose_name=_("escalated from"),
        help_text=_("The request this one takes further, to another stage or body."),
    )
    stage = models.CharField(
        _("stage"),
        max_length=25,
        choices=EscalationStage,
        default=EscalationStage.FIRST,
        blank=True,
        help_text=_("For an escalation: internal review, minister, regulator and so on."),
    )
    # The first request of its chain of escalations, if it is in one (the first request too):
    # the whole chain is read in one query, and none for a request never escalated. Kept by
    # save().
    chain_root = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    closed_result = models.CharField(
        _("closed with result"),
        max_length=12,
        choices=ClosedResult,
        blank=True,
        help_text=_("Set only when the campaign on this request is over."),
    )
    closed_on = models.DateField(
        _("closed on"), null=True, blank=True, validators=[validate_plausible_date]
    )
    # Facts stored by the write path (campaigns.services.request_refresh) from the round rule
    # in campaigns.correspondence; the status rule in campaigns.status reads them.
    first_sent_on = models.DateField(_("first sent"), null=True, editable=False)
    open_letter = models.ForeignKey(
        "Letter",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("letter awaiting a reply"),
    )
    open_due_on = models.DateField(_("reply due"), null=True, editable=False)
    latest_reply = models.ForeignKey(
        "Letter",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("latest substantive reply"),
    )
    latest_reply_on = models.DateField(_("latest reply"), null=True, editable=False)
    latest_reply_outcome = models.CharField(
        _("latest outcome"), max_length=12, choices=Outcome, blank=True, editable=False
    )
    latest_reply_working_days = models.PositiveIntegerField(null=True, editable=False)
    latest_reply_on_time = models.BooleanField(null=True, editable=False)
    # Against the first due date, before any extension (Letter.original_due_on).
    latest_reply_on_time_original = models.BooleanField(null=True, editable=False)
    # Only after a reminder or follow-up sent in its round (campaigns.correspondence).
    latest_reply_after_reminder = models.BooleanField(default=False, editable=False)
    last_activity_on = models.DateField(_("last activity"), null=True, editable=False)
    last_activity_precision = models.CharField(
        max_length=5, choices=DatePrecision, default=DatePrecision.DAY, editable=False
    )
    # Which optional parts it has, private ones included (PART_FIELDS).
    has_attachments = models.BooleanField(default=False, editable=False)
    has_deadline_changes = models.BooleanField(default=False, editable=False)
    has_commitments = models.BooleanField(default=False, editable=False)
    ask_count = models.PositiveSmallIntegerField(default=0, editable=False)
    has_events = models.BooleanField(default=False, editable=False)
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

    # Derived columns the write path stores with raw UPDATEs have no history of their own.
    history = HistoricalRecords(excluded_fields=HISTORY_EXCLUDED_REQUEST_FIELDS)

    objects = RequestQuerySet.as_manager()
    # Today's status, from its stored facts (campaigns.status).
    status = DecidedStatus(status_of)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            models.Index(
                *NEWEST_FIRST_INDEXED,
                condition=PUBLISHED,
                include=[*EMBARGO, *STATUS_FACTS],
                name="request_public_newest",
            ),
            models.Index(
                "coalition",
                *NEWEST_FIRST_INDEXED,
                condition=PUBLISHED,
                include=[*EMBARGO, *STATUS_FACTS],
                name="request_public_coalition",
            ),
            models.Index(
                "recipient",
                *NEWEST_FIRST_INDEXED,
                condition=PUBLISHED,
                include=[*EMBARGO, *STATUS_FACTS],
                name="request_public_recipient",
            ),
            # The statuses that follow today's date: overdue, awaiting, follow-up sent.
            models.Index(
                "open_due_on", condition=PUBLISHED & Q(closed_result=""), name="request_public_due"
            ),
            models.Index(
                "latest_reply_outcome",
                condition=PUBLISHED & Q(closed_result="", open_due_on__isnull=True),
                name="request_public_answered",
            ),
            # The requests a published later stage escalates ("escalated" on the scorecards): the
            # stages alone, a few in a hundred requests, not every request's empty link.
            models.Index(
                fields=["escalated_from"],
                condition=PUBLISHED & Q(escalated_from__isnull=False),
                include=EMBARGO,
                name="request_public_escalations",
            ),
            models.Index(F("last_activity_on").desc(), F("id").desc(), name="request_activity"),
            # The next embargo to end, which caps how long pages may be cached.
            models.Index(
                "publish_at",
                condition=PUBLISHED & Q(publish_at__isnull=False),
                name="request_embargo",
            ),
            # The sitemap's newest change.
            models.Index(
                F("updated_at").desc(), condition=PUBLISHED, name="request_public_updated"
            ),
            # Feeds' entries of the requests made public last.
            models.Index(F("published_at").desc(), condition=PUBLISHED, name="request_made_public"),
            # The admin lists drafts too: newest first, and by the statuses that follow the date.
            models.Index(F("created_at").desc(), F("id").desc(), name="request_created"),
            # A campaigner's drafts, newest first (the admin home): few at any size.
            models.Index(
                F("created_at").desc(),
                F("id").desc(),
                condition=Q(is_published=False),
                name="request_drafts_newest",
            ),
            models.Index("open_due_on", condition=Q(closed_result=""), name="request_open_due"),
            # Every stored fact that status and statistics read, so counts by status and
            # figures by recipient are read from this index alone, not the wide table.
            models.Index(
                fields=[
                    "recipient",
                    "closed_result",
                    "first_sent_on",
                    "open_due_on",
                    "latest_reply_on",
                    "latest_reply_outcome",
                    "latest_reply_on_time",
                    "latest_reply_working_days",
                    "latest_reply_on_time_original",
                    "latest_reply_after_reminder",
                ],
                condition=PUBLISHED,
                include=EMBARGO,
                name="request_public_facts",
            ),
        ]
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

    def save(self, *args, **kwargs):
        earlier = self.escalated_from if self.escalated_from_id else None
        if earlier is not None:
            if earlier.chain_root_id is None:  # it heads a chain from now on
                Request.objects.filter(pk=earlier.pk).update(chain_root=earlier.pk)
                earlier.chain_root_id = earlier.pk
            self.chain_root_id = earlier.chain_root_id
        elif self.chain_root_id != self.pk:
            self.chain_root_id = None
        super().save(*args, **kwargs)
        # Later stages follow a stage moved into or out of a chain.
        later_stages = Request.objects.filter(escalated_from=self).exclude(
            chain_root=self.chain_root_id or self.pk
        )
        for later in later_stages:
            later.save(update_fields=["chain_root"])
        if later_stages and self.chain_root_id is None:
            self.chain_root_id = self.pk  # as the later stages' saves stored

    def get_absolute_url(self):
        return slug_path("campaigns:request-detail", self.slug)

    @classmethod
    def from_db(cls, db, field_names, values):
        """Read a row, knowing that an unset round letter is none, as reading it would find.

        Prefetching the rounds (`with_rounds`) then skips such rows: for a page of unsent
        requests, building the two queries that could find nothing cost 2 ms.
        """
        request = super().from_db(db, field_names, values)
        for name in ROUND_LETTERS:
            field = cls._meta.get_field(name)
            if request.__dict__.get(field.attname, False) is None:
                field.set_cached_value(request, None)
        return request

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
        errors |= self.escalation_errors()
        if self.closed_result and not self.closed_on:
            errors["closed_on"] = _("Give the date the request was closed.")
        if self.closed_on and not self.closed_result:
            errors["closed_result"] = _("Choose the result the request was closed with.")
        if errors:
            raise ValidationError(errors)

    def escalation_errors(self) -> dict:
        """Return what is wrong with its place in a chain of escalations, by field."""
        if not self.escalated_from_id:
            if self.stage:
                return {"escalated_from": _("Choose the request this stage escalates.")}
            return {}
        if not self.stage:
            return {"stage": _("Choose the stage this escalation goes to.")}
        earlier = self.escalated_from
        for _step in range(CHAIN_STAGES_MAX):
            if earlier is None:
                return {}
            if self.pk and earlier.pk == self.pk:
                return {"escalated_from": _("A request cannot escalate itself or a later stage.")}
            earlier = earlier.escalated_from
        return {"escalated_from": _("A chain can have at most %d stages.") % CHAIN_STAGES_MAX}

    def chain(self, requests=None):
        """Return every stage of its chain of escalations, itself too, first sent first."""
        if self.chain_root_id is None:
            return [self]
        requests = Request.objects.all() if requests is None else requests
        return list(requests.filter(chain_root=self.chain_root_id).order_by(*CHAIN_ORDER))

    @cached_property
    def asks_listed(self):
        """Return its asks in order, read once."""
        return list(self.asks.all())

    @property
    def status_label(self):
        """Return the status in words."""
        return RequestStatus(self.status).label

    @property
    def outcome_so_far(self):
        """Return the latest outcome while a later round is open, as in "Overdue, after Met"."""
        if self.closed_result or self.open_due_on is None:
            return ""
        return self.get_latest_reply_outcome_display()


class Ask(models.Model):
    """One thing a request asks of its recipient; a request holds one or more."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="asks", verbose_name=_("request")
    )
    text = models.TextField(_("ask"), help_text=_("One thing asked for, in a sentence."))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("ask")
        verbose_name_plural = _("asks")
        indexes = [models.Index(fields=["request", "position", "id"], name="ask_request_order")]

    def __str__(self):
        return Truncator(self.text).words(12)


class ShownSince(models.Model):
    """When a letter or event was recorded as public, or made public after being private.

    A reader sees it from the later of this and its request's publication (`following`): a
    letter logged today but dated last week, or made public today, is news today.
    """

    shown_since = models.DateTimeField(_("shown since"), default=timezone.now, editable=False)
    # When the public feeds date it: noon on its own date, or its request's publication if later
    # (campaigns.public.feed_moment), stored by the write path.
    feed_dated_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if getattr(self, "_stored_private", False) and not self.is_private:
            self.shown_since = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "shown_since"}
        super().save(*args, **kwargs)
        self._stored_private = self.is_private

    @classmethod
    def from_db(cls, db, field_names, values):
        part = super().from_db(db, field_names, values)
        part._stored_private = part.__dict__.get("is_private")
        return part


class LetterSignaturesHistory(models.Model):
    """Who signed a letter, by name, as each version of it records: its many-to-many fields are
    not versioned, so their names are kept beside the fields that are."""

    signed_by = models.TextField(_("signed by"), blank=True, default="")
    signatory_organisations = models.TextField(_("signatory organisations"), blank=True, default="")

    # Compared between versions as the versioned fields are (workspace/history.py).
    names_kept = ("signed_by", "signatory_organisations")

    class Meta:
        abstract = True


class Letter(ShownSince, models.Model):
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="letters", verbose_name=_("request")
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction)
    date = models.DateField(
        _("date"),
        validators=[validate_plausible_date],
        help_text=_("The date it was sent or received."),
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel, default=Channel.NOT_RECORDED, blank=True
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=LetterKind,
        help_text=_(
            "Sent: initial letter, reminder or follow-up. Received: acknowledgement or "
            "substantive reply."
        ),
    )
    signers = models.ManyToManyField(
        Person,
        blank=True,
        related_name="signed_letters",
        verbose_name=_("signed by"),
        help_text=_("Everyone who signed it, e.g. the director of each organisation that signed."),
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
        through="LetterSignatory",
        blank=True,
        related_name="letters_signed",
        verbose_name=_("signatory organisations"),
        help_text=_("The organisations on whose behalf it was signed, for a joint letter."),
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("full text"), blank=True)
    reply_requested_by = models.DateField(
        _("reply requested by"),
        null=True,
        blank=True,
        validators=[validate_plausible_date],
        help_text=_("Sent letters only. Left empty, a reply is due 20 working days after sending."),
    )
    # The due date the rule gives (campaigns.deadlines); `due_on` is it, or the latest change
    # recorded in the letter's deadline ledger (DeadlineChange), stored by the write path.
    original_due_on = models.DateField(_("reply first due"), null=True, editable=False)
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
    on_time_original = models.BooleanField(null=True, editable=False)
    is_private = models.BooleanField(
        _("private"),
        default=False,
        help_text=_(
            "Kept off every public page, feed and export, even when the request is published."
        ),
    )
    # The Message-ID of the e-mail it was imported from, by which a second import is recognised.
    message_id = models.CharField(
        _("e-mail message ID"), max_length=255, blank=True, default="", editable=False
    )

    history = HistoricalRecords(
        excluded_fields=HISTORY_EXCLUDED_LETTER_FIELDS, bases=[LetterSignaturesHistory]
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        indexes = [
            models.Index(fields=["request", "date", "id"], name="letter_request_date"),
            models.Index(F("date").desc(), F("id").desc(), name="letter_newest"),
            models.Index(
                F("feed_dated_at").desc(),
                F("id").desc(),
                name="letter_public_feed",
                condition=Q(is_private=False, feed_dated_at__isnull=False),
            ),
            models.Index(
                fields=["request", "message_id"],
                name="letter_imported_message",
                condition=~Q(message_id=""),
            ),
        ]
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
        # The write path's refresh then applies the letter's deadline ledger, if it has one.
        self.original_due_on = self.due_on = self.compute_due_on()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return entry_path(self.request.slug, "letter", self.pk)

    def due_date_reached(self):
        """Return how its first due date was reached (campaigns.deadlines), if it was sent."""
        if self.direction != Direction.SENT or self.date is None:
            return None
        return due_date_reached(self.date, self.reply_requested_by)

    def get_constraints(self):
        # clean() makes each check constraint's test in Python with a message for the
        # campaigner; validating them in the database too would cost four queries per letter
        # on every admin save. The database still enforces them on write.
        return [
            (model, [c for c in constraints if not isinstance(c, models.CheckConstraint)])
            for model, constraints in super().get_constraints()
        ]

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


def signature_names(letter) -> dict:
    """Return who signed a letter, by name, as its versions record it."""
    people = letter.signers.order_by("name").values_list("name", flat=True)
    organisations = letter.signatories.order_by("name").values_list("name", flat=True)
    return {"signed_by": "; ".join(people), "signatory_organisations": "; ".join(organisations)}


@receiver(pre_create_historical_record, sender=Letter.history.model)
def letter_version_names_signatures(sender, instance, history_instance, **kwargs):
    """Give each new version of a letter the names of who signs it now.

    A save that changes who signed changes them after the letter's own row, so it records
    them again once they are set (`campaigns.services.signatures_record`).
    """
    if history_instance.history_type != "+":  # A new letter has no signatures yet.
        for name, value in signature_names(instance).items():
            setattr(history_instance, name, value)


def parts_of_other_requests(record, names) -> list[str]:
    """Return which of a record's chosen parts (its letter, ask, event) are another request's."""
    return [
        name
        for name in names
        if getattr(record, f"{name}_id")
        and record.request_id
        and getattr(record, name).request_id != record.request_id
    ]


class DeadlineChange(models.Model):
    """A change to when a reply to a sent letter is due: who moved it, why, and to when."""

    request = models.ForeignKey(
        Request,
        on_delete=models.CASCADE,
        related_name="deadline_changes",
        verbose_name=_("request"),
    )
    letter = models.ForeignKey(
        Letter,
        on_delete=models.CASCADE,
        related_name="deadline_changes",
        verbose_name=_("letter sent"),
        help_text=_("The letter whose reply is now due on another day."),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=DeadlineChangeKind)
    new_due_on = models.DateField(_("new due date"), validators=[validate_plausible_date])
    reason = models.CharField(
        _("reason"), max_length=500, help_text=_("As the body or the coalition gave it.")
    )
    brought_by = models.ForeignKey(
        Letter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deadline_changes_brought",
        verbose_name=_("brought by"),
        help_text=_("Optional: the letter that brought the change, e.g. a holding reply."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        indexes = [models.Index(fields=["request", "id"], name="deadline_change_request")]

    def __str__(self):
        return f"{self.get_kind_display()}: {date_format(self.new_due_on)}"

    def clean(self):
        errors = {
            name: _("Choose one of this request's own letters.")
            for name in parts_of_other_requests(self, ("letter", "brought_by"))
        }
        if self.letter_id and self.letter.direction != Direction.SENT:
            errors["letter"] = _("Only a letter the coalition sent awaits a reply.")
        elif self.letter_id and self.new_due_on and self.new_due_on < self.letter.date:
            errors["new_due_on"] = _("A reply cannot be due before the letter was sent.")
        if errors:
            raise ValidationError(errors)


class LetterSignatory(models.Model):
    """An organisation that signed a letter, which is kept while the letter is."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("letter")
    )
    # Protected, as a letter's recipient and a coalition's members are: deleting an organisation
    # must not silently take its name off the letters it signed.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("organisation"),
    )

    history = HistoricalRecords()

    class Meta:
        # The table and unique index Django made for the signatories before this model existed.
        db_table = "campaigns_letter_signatories"
        unique_together = [("letter", "organisation")]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self):
        return f"{self.organisation}: {self.letter}, on “{self.letter.request}”"


class AskAnswer(models.Model):
    """How far a substantive reply met one ask, where a reply answers its asks differently."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="ask_answers", verbose_name=_("reply")
    )
    ask = models.ForeignKey(
        Ask, on_delete=models.CASCADE, related_name="answers", verbose_name=_("ask")
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer to an ask")
        verbose_name_plural = _("answers to asks")
        constraints = [
            models.UniqueConstraint(fields=["letter", "ask"], name="ask_answer_once_per_reply")
        ]

    def __str__(self):
        return f"{self.ask}: {self.get_outcome_display()}"


class CommitmentQuerySet(models.QuerySet):
    def with_status(self, today=None):
        """Annotate each commitment with its status, which follows today's date."""
        return self.annotate(status=commitment_status_expression(today or timezone.localdate()))

    def in_status(self, *statuses, today=None):
        """Return the commitments whose status is one of those given."""
        today = today or timezone.localdate()
        return self.filter(commitment_status_filter(statuses, today)).with_status(today=today)


class Commitment(models.Model):
    """Something a body promised in a reply, by a date or not, and the event that kept it."""

    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("request")
    )
    letter = models.ForeignKey(
        Letter,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("made in"),
        help_text=_("The reply that made it."),
    )
    ask = models.ForeignKey(
        Ask,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("ask"),
        help_text=_("Optional: the ask it answers."),
    )
    text = models.CharField(
        _("what was promised"),
        max_length=300,
        help_text=_('In a sentence, e.g. "Publish its next annual report later this year".'),
    )
    due_on = models.DateField(
        _("due by"),
        null=True,
        blank=True,
        validators=[validate_plausible_date],
        help_text=_("Leave empty if no date was given."),
    )
    due_precision = models.CharField(
        _("due by the end of"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_('"Year only" with any day of 2022 means "by the end of 2022".'),
    )
    # The last day it can be kept on time, from the date and its precision; broken after it.
    due_by = models.DateField(null=True, editable=False)
    kept_by = models.ForeignKey(
        "Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments_kept",
        verbose_name=_("kept by"),
        help_text=_("The event that kept it, e.g. the publication of the report promised."),
    )

    objects = CommitmentQuerySet.as_manager()
    # Today's status, from its dates and the keeping event read with it, as `kept_by`.
    status = DecidedStatus(commitment_status_of)
    history = HistoricalRecords(excluded_fields=["due_by"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["request", "id"], name="commitment_request"),
            models.Index(
                fields=["due_by"], condition=Q(kept_by__isnull=True), name="commitment_due"
            ),
        ]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.due_by = last_day_due(self.due_on, self.due_precision)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {
            name: _("Choose one of this request's own.")
            for name in parts_of_other_requests(self, ("letter", "ask", "kept_by"))
        }
        if self.letter_id and self.letter.direction != Direction.RECEIVED:
            errors["letter"] = _("A commitment is made in a letter received from the body.")
        if errors:
            raise ValidationError(errors)

    @property
    def status_label(self):
        """Return the status in words."""
        return CommitmentStatus(self.status).label

    def display_due(self):
        """Say when it is due, as precisely as it was given: "by 2022", "no date given"."""
        if self.due_on is None:
            return _("no date given")
        shown = format_partial_date(self.due_on, self.due_precision)
        if self.due_precision == DatePrecision.DAY:
            return _("by %(date)s") % {"date": shown}
        return _("by the end of %(date)s") % {"date": shown}


class Attachment(models.Model):
    """A file kept with a letter: the original as sent or received, or something enclosed."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("letter")
    )
    file = models.FileField(
        _("file"), upload_to="attachments/%Y/%m/", max_length=255, validators=[validate_attachment]
    )
    name = models.CharField(
        _("name"),
        max_length=ATTACHMENT_NAME_MAX_CHARS,
        help_text=_("As uploaded; shown to readers."),
    )
    content_type = models.CharField(_("type"), max_length=40, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    text = models.TextField(_("text"), blank=True, editable=False)
    is_private = models.BooleanField(
        _("private"),
        default=False,
        help_text=_("Kept off every public page and the API, even when the letter is public."),
    )

    # The text is read from the file again on restore, and is too long to keep in every version.
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        uploaded = not self.file._committed
        super().save(*args, **kwargs)
        if uploaded:
            note_stored(self.file.storage, self.file.name)

    def get_absolute_url(self):
        return reverse("campaigns:attachment", args=[self.letter.request.slug, self.pk])

    @property
    def label(self):
        """Say what the file is beside its link: "PDF, 240 KB"."""
        return file_label(self.content_type, self.size)


@receiver(post_delete, sender=Attachment)
def attachment_file_delete(sender, instance, **kwargs):
    """Delete a deleted attachment's file once the deletion commits.

    A signal rather than the write path: deleting a letter or request deletes its attachments by
    cascade, which never calls Attachment.delete().
    """
    name = instance.file.name
    if name:
        delete_after_commit(
            instance.file.storage, name, unless=Attachment.objects.filter(file=name)
        )


class Event(ShownSince, models.Model):
    request = models.ForeignKey(
        Request, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(
        _("date"),
        validators=[validate_plausible_date],
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
    is_private = models.BooleanField(
        _("private"),
        default=False,
        help_text=_(
            "Kept off every public page, feed and export, even when the request is published."
        ),
    )

    history = HistoricalRecords(excluded_fields=["shown_since", "feed_dated_at"])

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["request", "date", "id"], name="event_request_date"),
            models.Index(F("date").desc(), F("id").desc(), name="event_newest"),
            models.Index(
                F("feed_dated_at").desc(),
                F("id").desc(),
                name="event_public_feed",
                condition=Q(is_private=False, feed_dated_at__isnull=False),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return entry_path(self.request.slug, "event", self.pk)

    def display_date(self):
        """Return the date as precisely as it is known, with its note: "2022 (after 30 May)"."""
        shown = format_partial_date(self.date, self.date_precision)
        return f"{shown} ({self.date_note})" if self.date_note else shown
