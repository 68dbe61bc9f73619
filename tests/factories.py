"""Factories for the tracker's models."""

from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from campaigns.choices import (
    Direction,
    EventKind,
    LetterKind,
    MembershipRole,
    OrganisationKind,
    Outcome,
)
from campaigns.models import (
    Attachment,
    Coalition,
    Event,
    Letter,
    Membership,
    Organisation,
    Person,
    Request,
)
from campaigns.services import attachments_save, event_record, letter_record, request_refresh


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.CHARITY
    description = factory.Faker("sentence")


class PublicBodyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Public body {n}")
    slug = factory.Sequence(lambda n: f"public-body-{n}")
    kind = OrganisationKind.PUBLIC_BODY


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="en_GB")
    role_title = "Chair"
    organisation = factory.SubFactory(OrganisationFactory)


class CoalitionFactory(DjangoModelFactory):
    class Meta:
        model = Coalition
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Coalition {n}")
    slug = factory.Sequence(lambda n: f"coalition-{n}")
    description = factory.Faker("sentence")

    @factory.post_generation
    def members(coalition, create, extracted, **kwargs):
        """Give the coalition a lead and one member, or the organisations passed in."""
        if not create:
            return
        organisations = extracted or [OrganisationFactory(), OrganisationFactory()]
        for index, organisation in enumerate(organisations):
            MembershipFactory(
                coalition=coalition,
                organisation=organisation,
                role=MembershipRole.LEAD if index == 0 else MembershipRole.MEMBER,
            )


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    coalition = factory.SubFactory(CoalitionFactory, members=[])
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.MEMBER


class RequestFactory(DjangoModelFactory):
    class Meta:
        model = Request

    title = factory.Sequence(lambda n: f"Request number {n}")
    slug = factory.Sequence(lambda n: f"request-{n}")
    summary = factory.Faker("paragraph")
    coalition = factory.SubFactory(CoalitionFactory)
    recipient = factory.SubFactory(PublicBodyFactory)
    is_published = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        request = super()._create(model_class, *args, **kwargs)
        request_refresh(request=request)
        return request


class RecipientFactory(PublicBodyFactory):
    """A public body that a published request was made to, so the public pages list it."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def published_request(organisation, create, extracted, **kwargs):
        if create:
            RequestFactory(recipient=organisation)


class LetterFactory(DjangoModelFactory):
    class Meta:
        model = Letter

    request = factory.SubFactory(RequestFactory)
    direction = Direction.SENT
    kind = LetterKind.INITIAL
    date = date(2022, 4, 29)
    subject = factory.Faker("sentence")
    body = factory.Faker("paragraph")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Record the letter through the write path, as the admin does."""
        return letter_record(**kwargs)

    class Params:
        reply = factory.Trait(
            direction=Direction.RECEIVED, kind=LetterKind.SUBSTANTIVE, outcome=Outcome.REFUSED
        )
        acknowledgement = factory.Trait(
            direction=Direction.RECEIVED, kind=LetterKind.ACKNOWLEDGEMENT
        )
        follow_up = factory.Trait(kind=LetterKind.FOLLOW_UP)


def attach(letter, content, name="letter.pdf", *, is_private=False) -> Attachment:
    """Attach a file to a letter through the write path, as an upload in the admin does."""
    attachments_save(letter=letter, added=[SimpleUploadedFile(name, content)])
    attachment = letter.attachments.latest("pk")
    if is_private:
        attachments_save(letter=letter, private=[attachment.pk])
        attachment.refresh_from_db()
    request_refresh(request=letter.request)
    return attachment


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    request = factory.SubFactory(RequestFactory)
    kind = EventKind.PUBLICATION
    title = factory.Sequence(lambda n: f"Event {n}")
    date = date(2022, 5, 25)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Record the event through the write path, as the admin does."""
        return event_record(**kwargs)
