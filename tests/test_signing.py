"""Who signed a letter: several people, and organisations chosen or every member, explicitly."""

from datetime import date
from http import HTTPStatus

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from campaigns.models import Letter, Request
from campaigns.public import Signer, letters_signed
from tests.admin_forms import post_request, reply_letter, sent_letter
from tests.factories import (
    CoalitionFactory,
    LetterFactory,
    OrganisationFactory,
    PersonFactory,
    PublicBodyFactory,
)


@pytest.fixture
def coalition_of_three(db):
    members = [OrganisationFactory(name=f"Member {n}") for n in (1, 2, 3)]
    directors = [
        PersonFactory(name=f"Director {n}", role_title="Director", organisation=member)
        for n, member in enumerate(members, start=1)
    ]
    return CoalitionFactory(members=members), members, directors


def post_letters(client, coalition, *letters):
    return post_request(client, (coalition, PublicBodyFactory()), letters=letters)


@pytest.mark.django_db
def test_a_joint_letter_is_signed_by_the_directors_of_the_three_organisations(
    staff_client, client, coalition_of_three
):
    coalition, members, directors = coalition_of_three
    signers = [str(director.pk) for director in directors]
    response = post_letters(staff_client, coalition, sent_letter(signers=signers))
    assert response.status_code == HTTPStatus.FOUND
    letter = Letter.objects.get()
    assert set(letter.signers.all()) == set(directors)
    assert set(letter.signatories.all()) == set(members)

    page = client.get(Request.objects.get().get_absolute_url()).content.decode()
    for n in (1, 2, 3):
        assert f"Director {n}, Director, Member {n}" in page
    api = client.get(reverse("api:request-detail", kwargs={"slug": letter.request.slug})).json()
    letters = [entry["letter"] for entry in api["timeline"] if entry["type"] == "letter"]
    assert sorted(person["name"] for person in letters[0]["signed_by"]) == [
        "Director 1",
        "Director 2",
        "Director 3",
    ]


@pytest.mark.django_db
def test_a_sent_letter_says_who_signed_it_or_is_refused_keeping_what_was_typed(
    staff_client, coalition_of_three
):
    coalition, _, _ = coalition_of_three
    unsigned = sent_letter(subject="Our follow-up")
    del unsigned["signed_by_every_member"]
    response = post_letters(staff_client, coalition, unsigned)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "Say who signed this letter" in page
    assert 'value="Our follow-up"' in page
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_a_follow_up_is_signed_only_by_the_organisations_chosen(staff_client, coalition_of_three):
    coalition, members, _ = coalition_of_three
    letters = (
        sent_letter(),
        sent_letter(kind="follow_up", date="2022-06-10", signatories=[str(members[0].pk)]),
    )
    assert post_letters(staff_client, coalition, *letters).status_code == HTTPStatus.FOUND
    initial, follow_up = Letter.objects.order_by("date")
    assert set(initial.signatories.all()) == set(members)
    assert list(follow_up.signatories.all()) == [members[0]]


@pytest.mark.django_db
def test_every_member_is_not_asked_of_a_reply(staff_client, coalition_of_three):
    coalition, _, _ = coalition_of_three
    reply = reply_letter(signed_by_every_member="on")
    assert post_letters(staff_client, coalition, sent_letter(), reply).status_code == 302
    assert not Letter.objects.get(direction="received").signatories.exists()


@pytest.mark.django_db
def test_the_write_path_signs_by_every_member_only_when_asked(coalition_of_three):
    coalition, members, _ = coalition_of_three
    asked = LetterFactory(request__coalition=coalition, signed_by_every_member=True)
    not_asked = LetterFactory(request=asked.request, kind="follow_up", date=date(2022, 6, 1))
    assert set(asked.signatories.all()) == set(members)
    assert not not_asked.signatories.exists()


@pytest.mark.django_db(transaction=True)
def test_each_letters_author_becomes_its_signer_and_comes_back_on_reversal():
    executor = MigrationExecutor(connection)
    before = ("campaigns", "0016_organisation_other_names")
    after = ("campaigns", "0017_letter_signers")
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    models = {name: apps.get_model("campaigns", name) for name in ("Organisation", "Person")}
    organisation = models["Organisation"].objects.create(name="Nagalro", slug="nagalro", kind="x")
    person = models["Person"].objects.create(name="Carole Littlechild", organisation=organisation)
    letter = make_old_letter(apps, author_id=person.pk)

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    apps = executor.loader.project_state([after]).apps
    signed = apps.get_model("campaigns", "Letter").objects.get(pk=letter.pk)
    assert [p.name for p in signed.signers.all()] == ["Carole Littlechild"]

    executor = MigrationExecutor(connection)
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    assert apps.get_model("campaigns", "Letter").objects.get(pk=letter.pk).author_id == person.pk
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def make_old_letter(apps, **fields):
    """Create a letter and its request with the models as they were before signers."""
    Organisation = apps.get_model("campaigns", "Organisation")
    Coalition = apps.get_model("campaigns", "Coalition")
    body = Organisation.objects.create(name="The Panel", slug="the-panel", kind="public_body")
    coalition = Coalition.objects.create(name="Coalition", slug="coalition")
    request = apps.get_model("campaigns", "Request").objects.create(
        title="Publish it", slug="publish-it", summary="", coalition=coalition, recipient=body
    )
    return apps.get_model("campaigns", "Letter").objects.create(
        request=request, direction="sent", kind="initial", date=date(2022, 4, 29), **fields
    )


@pytest.mark.django_db
def test_the_signatures_of_letters_are_read_in_one_query_each_kind_in_name_order(
    django_assert_num_queries,
):
    first, second, unsigned = LetterFactory(), LetterFactory(), LetterFactory()
    zoe = PersonFactory(name="Zoe Hart", role_title="", organisation__name="Voices")
    adam = PersonFactory(name="Adam Bell", role_title="Chair", organisation__name="Kin")
    first.signers.add(zoe, adam)
    second.signers.add(zoe)
    first.signatories.add(OrganisationFactory(name="Beta Trust"), OrganisationFactory(name="Alpha"))

    with django_assert_num_queries(1):
        people, organisations = letters_signed([first.pk, second.pk, unsigned.pk])
    assert people == {
        first.pk: [Signer("Adam Bell", "Chair", "Kin"), Signer("Zoe Hart", "", "Voices")],
        second.pk: [Signer("Zoe Hart", "", "Voices")],
    }
    assert organisations == {first.pk: ["Alpha", "Beta Trust"]}
    with django_assert_num_queries(0):
        assert letters_signed([]) == ({}, {})
