"""The read-only JSON API's representations of public data."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.choices import ClosedResult, Outcome, RequestStatus
from campaigns.models import Coalition, Event, Letter, Membership, Organisation, Person, Request
from campaigns.timeline import build_timeline


class PageUrlMixin(serializers.Serializer):
    page_url = serializers.SerializerMethodField(help_text="The public web page.")

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class OrganisationSummarySerializer(PageUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api:organisation-detail", lookup_field="slug"
    )

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
    url = serializers.HyperlinkedIdentityField(
        view_name="api:coalition-detail", lookup_field="slug"
    )

    class Meta:
        model = Coalition
        fields = ["slug", "name", "url", "page_url"]


class CoalitionSerializer(CoalitionSummarySerializer):
    members = MembershipSerializer(source="memberships", many=True)

    class Meta(CoalitionSummarySerializer.Meta):
        fields = [*CoalitionSummarySerializer.Meta.fields, "description", "members"]


class RequestSerializer(PageUrlMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:request-detail", lookup_field="slug")
    coalition = CoalitionSummarySerializer()
    recipient = OrganisationSummarySerializer()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    status_label = serializers.CharField()
    sent_on = serializers.DateField(source="first_sent_on", allow_null=True)
    reply_due_on = serializers.DateField(source="current_due_on", allow_null=True)
    replied_on = serializers.DateField(source="latest_reply_on", allow_null=True)
    days_taken = serializers.IntegerField(source="reply_days_taken", allow_null=True)
    working_days_taken = serializers.IntegerField(
        source="reply_working_days_taken", allow_null=True
    )
    replied_on_time = serializers.BooleanField(source="reply_on_time", allow_null=True)
    outcome = serializers.ChoiceField(
        source="latest_reply_outcome", choices=Outcome.choices, allow_null=True
    )
    closed_result = serializers.ChoiceField(choices=ClosedResult.choices, allow_blank=True)
    last_activity_on = serializers.DateField(allow_null=True)

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
            "reply_due_on",
            "replied_on",
            "days_taken",
            "working_days_taken",
            "replied_on_time",
            "outcome",
            "closed_result",
            "closed_on",
            "last_activity_on",
        ]


class LetterSerializer(serializers.ModelSerializer):
    author = PersonSerializer(allow_null=True)
    addressee = PersonSerializer(allow_null=True)
    signatories = OrganisationSummarySerializer(many=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True)
    attachment_url = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "id",
            "direction",
            "kind",
            "date",
            "channel",
            "author",
            "addressee",
            "signatories",
            "subject",
            "body",
            "outcome",
            "reply_requested_by",
            "due_on",
            "days_taken",
            "working_days_taken",
            "on_time",
            "attachment_url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_attachment_url(self, letter):
        if not letter.attachment:
            return None
        path = reverse("campaigns:letter-attachment", args=[letter.request.slug, letter.pk])
        return self.context["request"].build_absolute_uri(path)


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


class RequestDetailSerializer(RequestSerializer):
    coalition = CoalitionSerializer()
    recipient_person = PersonSerializer(allow_null=True)
    timeline = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "summary", "recipient_person", "timeline"]

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, req):
        entries = [
            {
                "type": "letter" if entry.is_letter else "event",
                "date": entry.date,
                "letter": entry.letter,
                "event": entry.event,
            }
            for entry in build_timeline(req.letters.all(), req.events.all())
        ]
        return TimelineEntrySerializer(entries, many=True, context=self.context).data


class OrganisationSerializer(OrganisationSummarySerializer):
    people = PersonSerializer(many=True)

    class Meta(OrganisationSummarySerializer.Meta):
        fields = [*OrganisationSummarySerializer.Meta.fields, "website", "description", "people"]
