"""The read-only JSON API's representations of public data."""

from datetime import date

from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.choices import (
    ClosedResult,
    CommitmentStatus,
    LetterKind,
    Outcome,
    RequestStatus,
)
from campaigns.correspondence import rounds
from campaigns.models import (
    Attachment,
    Coalition,
    Commitment,
    DeadlineChange,
    Event,
    Letter,
    Membership,
    Organisation,
    Person,
    Request,
)
from campaigns.paths import slug_path
from campaigns.public import asks_answered, public_requests
from campaigns.rounds import open_round_of
from campaigns.timeline import build_timeline, link_answered_letters


@extend_schema_field(OpenApiTypes.URI)
class SlugUrlField(serializers.Field):
    """The absolute URL of an object's page in the API, by its slug: what
    HyperlinkedIdentityField gives, with the path resolved once (campaigns.paths)."""

    def __init__(self, view_name, **kwargs):
        self.view_name = view_name
        super().__init__(source="slug", read_only=True, **kwargs)

    def to_representation(self, slug):
        return self.context["request"].build_absolute_uri(slug_path(self.view_name, slug))


class PageUrlMixin(serializers.Serializer):
    page_url = serializers.SerializerMethodField(help_text="The public web page.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class OrganisationSummarySerializer(PageUrlMixin, serializers.ModelSerializer):
    url = SlugUrlField("api:organisation-detail")

    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind", "url", "page_url"]


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = ["name", "role_title"]


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer()

    class Meta:
        model = Membership
        fields = ["organisation", "role", "joined_on"]


class CoalitionSummarySerializer(PageUrlMixin, serializers.ModelSerializer):
    url = SlugUrlField("api:coalition-detail")

    class Meta:
        model = Coalition
        fields = ["slug", "name", "url", "page_url"]


class CoalitionSerializer(CoalitionSummarySerializer):
    members = MembershipSerializer(source="memberships", many=True)

    class Meta(CoalitionSummarySerializer.Meta):
        fields = [*CoalitionSummarySerializer.Meta.fields, "description", "members"]


class OpenRoundSerializer(serializers.Serializer):
    """The letter still waiting for a substantive reply, its due date and the countdown to today."""

    letter_id = serializers.IntegerField(source="letter.pk")
    letter_kind = serializers.ChoiceField(choices=LetterKind.choices, source="letter.kind")
    sent_on = serializers.DateField(source="letter.date")
    due_on = serializers.DateField()
    is_overdue = serializers.BooleanField(source="countdown.is_overdue")
    days_left = serializers.IntegerField(source="countdown.days_left")
    working_days_left = serializers.IntegerField(source="countdown.working_days_left")
    days_overdue = serializers.IntegerField(source="countdown.days_overdue")
    working_days_overdue = serializers.IntegerField(source="countdown.working_days_overdue")


class ReplySerializer(serializers.ModelSerializer):
    """A received letter with its timing against the letter that opened its round."""

    answers_letter_id = serializers.IntegerField(source="answers_id", allow_null=True)
    answers_letter_sent_on = serializers.DateField(source="answers.date", allow_null=True)
    was_due_on = serializers.DateField(source="answers.due_on", allow_null=True)
    was_first_due_on = serializers.DateField(
        source="answers.original_due_on",
        allow_null=True,
        help_text="The due date before any change in the deadline ledger.",
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True)

    class Meta:
        model = Letter
        fields = [
            "id",
            "kind",
            "date",
            "outcome",
            "answers_letter_id",
            "answers_letter_sent_on",
            "was_due_on",
            "was_first_due_on",
            "days_taken",
            "working_days_taken",
            "on_time",
            "on_time_original",
        ]


class CommitmentCountsSerializer(serializers.Serializer):
    """How many of a request's public commitments are open, kept and broken today."""

    open = serializers.IntegerField(source="commitments_open")
    kept = serializers.IntegerField(source="commitments_kept")
    broken = serializers.IntegerField(source="commitments_broken")


class RequestSerializer(PageUrlMixin, serializers.ModelSerializer):
    url = SlugUrlField("api:request-detail")
    coalition = CoalitionSummarySerializer()
    recipient = OrganisationSummarySerializer()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    status_label = serializers.CharField()
    sent_on = serializers.DateField(source="first_sent_on", allow_null=True)
    open_round = serializers.SerializerMethodField(
        help_text="The letter awaiting a substantive reply, if any, with its countdown."
    )
    latest_reply = ReplySerializer(
        allow_null=True, help_text="The latest substantive reply and how long it took."
    )
    outcome = serializers.ChoiceField(
        source="latest_reply_outcome",
        choices=Outcome.choices,
        allow_blank=True,
        help_text="The latest substantive reply's outcome; empty before any.",
    )
    closed_result = serializers.ChoiceField(choices=ClosedResult.choices, allow_blank=True)
    last_activity_on = serializers.DateField(allow_null=True)
    commitment_counts = CommitmentCountsSerializer(
        source="*", help_text="What the body promised in its replies, by where it stands today."
    )

    class Meta:
        model = Request
        fields = [
            "slug",
            "title",
            "url",
            "page_url",
            "coalition",
            "recipient",
            "status",
            "status_label",
            "sent_on",
            "open_round",
            "latest_reply",
            "outcome",
            "closed_result",
            "closed_on",
            "last_activity_on",
            "stage",
            "commitment_counts",
        ]

    @extend_schema_field(OpenRoundSerializer(allow_null=True))
    def get_open_round(self, req):
        current = open_round_of(req)
        return self.open_round_serializer.to_representation(current) if current else None

    @cached_property
    def open_round_serializer(self):
        """Bind the open round's serializer once, not per row: binding copies its fields."""
        return OpenRoundSerializer(context=self.context)


class DeadlineChangeSerializer(serializers.ModelSerializer):
    """A change to when a reply is due, with its reason and the letter that brought it."""

    brought_by_letter_id = serializers.SerializerMethodField()

    class Meta:
        model = DeadlineChange
        fields = ["kind", "new_due_on", "reason", "brought_by_letter_id"]

    def get_brought_by_letter_id(self, change) -> int | None:
        brought_by = change.brought_by
        return brought_by.pk if brought_by and not brought_by.is_private else None


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    size = serializers.IntegerField(help_text="In bytes.")
    label = serializers.CharField(help_text='What the file is, as the page says: "PDF, 240 KB".')

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "label", "url"]

    @extend_schema_field(serializers.URLField())
    def get_url(self, attachment):
        return self.context["request"].build_absolute_uri(attachment.get_absolute_url())


class LetterSerializer(serializers.ModelSerializer):
    signed_by = PersonSerializer(source="signers", many=True)
    addressee = PersonSerializer(allow_null=True)
    signatories = OrganisationSummarySerializer(many=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True)
    attachments = AttachmentSerializer(many=True)
    attachment_url = serializers.SerializerMethodField(
        help_text="Deprecated: the first of `attachments`, from when a letter had one file."
    )
    deadline_changes = DeadlineChangeSerializer(many=True)

    class Meta:
        model = Letter
        fields = [
            "id",
            "direction",
            "kind",
            "date",
            "channel",
            "signed_by",
            "addressee",
            "signatories",
            "subject",
            "body",
            "outcome",
            "reply_requested_by",
            "original_due_on",
            "due_on",
            "deadline_changes",
            "days_taken",
            "working_days_taken",
            "on_time",
            "on_time_original",
            "attachments",
            "attachment_url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_attachment_url(self, letter):
        first = next(iter(letter.attachments.all()), None)
        return self.fields["attachments"].child.get_url(first) if first else None


class EventSerializer(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = [
            "id",
            "kind",
            "title",
            "date",
            "date_precision",
            "date_note",
            "description",
            "outlet",
            "url",
        ]


class TimelineEntrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["letter", "event"])
    date = serializers.DateField()
    letter = LetterSerializer(allow_null=True)
    event = EventSerializer(allow_null=True)


class RoundSerializer(serializers.Serializer):
    """One exchange: the letter that opened it, acknowledgements, and the reply that closed it."""

    opened_by_letter_id = serializers.IntegerField(source="opened_by.pk")
    opened_by_kind = serializers.ChoiceField(choices=LetterKind.choices, source="opened_by.kind")
    sent_on = serializers.DateField(source="opened_by.date")
    due_on = serializers.DateField()
    is_open = serializers.BooleanField()
    reply = ReplySerializer(allow_null=True)
    acknowledgements = ReplySerializer(many=True)


class AskSerializer(serializers.Serializer):
    """One thing asked, and the latest answer to it."""

    text = serializers.CharField(source="ask.text")
    outcome = serializers.ChoiceField(
        choices=Outcome.choices,
        allow_blank=True,
        help_text="The latest answer's outcome; empty if no reply has answered it.",
    )
    answered_on = serializers.DateField(source="reply.date", allow_null=True, default=None)
    answered_by_letter_id = serializers.IntegerField(
        source="reply.pk", allow_null=True, default=None
    )


class CommitmentSerializer(serializers.ModelSerializer):
    """Something the body promised in a reply, and whether it was kept."""

    status = serializers.ChoiceField(choices=CommitmentStatus.choices)
    made_in_letter_id = serializers.IntegerField(source="letter_id")
    kept_on = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "text",
            "due_on",
            "due_precision",
            "due_by",
            "status",
            "kept_on",
            "made_in_letter_id",
        ]

    def get_kept_on(self, commitment) -> date | None:
        return commitment.kept_by.date if commitment.status == CommitmentStatus.KEPT else None


class ChainStageSerializer(PageUrlMixin, serializers.ModelSerializer):
    """One public stage of a chain of escalations."""

    url = SlugUrlField("api:request-detail")
    recipient = serializers.CharField(source="recipient.name")
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    sent_on = serializers.DateField(source="first_sent_on", allow_null=True)

    class Meta:
        model = Request
        fields = ["slug", "title", "url", "page_url", "stage", "recipient", "status", "sent_on"]


class RequestDetailSerializer(RequestSerializer):
    coalition = CoalitionSerializer()
    recipient_person = PersonSerializer(allow_null=True)
    asks = serializers.SerializerMethodField()
    chain = serializers.SerializerMethodField(
        help_text="Every public stage of its chain of escalations, first first; empty if none."
    )
    commitments = CommitmentSerializer(many=True)
    rounds = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = [
            *RequestSerializer.Meta.fields,
            "summary",
            "asks",
            "chain",
            "commitments",
            "recipient_person",
            "rounds",
            "timeline",
        ]

    def letters(self, req):
        return link_answered_letters(list(req.letters.all()))

    @extend_schema_field(AskSerializer(many=True))
    def get_asks(self, req):
        return AskSerializer(asks_answered(req, self.letters(req)), many=True).data

    @extend_schema_field(ChainStageSerializer(many=True))
    def get_chain(self, req):
        chain = req.chain(public_requests())
        if len(chain) < 2:
            return []
        return ChainStageSerializer(chain, many=True, context=self.context).data

    @extend_schema_field(RoundSerializer(many=True))
    def get_rounds(self, req):
        return RoundSerializer(rounds(self.letters(req)), many=True, context=self.context).data

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, req):
        entries = [
            {
                "type": "letter" if entry.is_letter else "event",
                "date": entry.date,
                "letter": entry.letter,
                "event": entry.event,
            }
            for entry in build_timeline(self.letters(req), req.events.all())
        ]
        return TimelineEntrySerializer(entries, many=True, context=self.context).data


class OrganisationSerializer(OrganisationSummarySerializer):
    other_names = serializers.ListField(
        source="also_known_as", child=serializers.CharField(), read_only=True
    )
    people = PersonSerializer(many=True)

    class Meta(OrganisationSummarySerializer.Meta):
        fields = [
            *OrganisationSummarySerializer.Meta.fields,
            "other_names",
            "website",
            "description",
            "people",
        ]
