"""Starting a case in one form: coalition, request and the letter sent, as a draft."""

from datetime import date
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.choices import MembershipRole, OrganisationKind
from campaigns.models import Coalition, Letter, Organisation, Request
from tests.documents import pdf
from tests.factories import CoalitionFactory, PublicBodyFactory
from tests.test_access import make_campaigner
from workspace.models import CoalitionRole, Role

pytestmark = pytest.mark.django_db

START = reverse("admin:campaigns_request_start")


def case_data(**changes):
    return {
        "coalition": "",
        "coalition_name": "Coalition on care data",
        "members": "Article 39\nCoram\nNagalro",
        "recipient": "DfE",
        "title": "Publish the care data",
        "summary": "Publish the analysis.",
        "sent_on": "3/6/2022",
        "signed_by": "every_member",
        "subject": "Our request",
    } | changes


@pytest.fixture
def starter(client, django_user_model):
    """A campaigner trusted to start coalitions, logged in."""
    user = make_campaigner(django_user_model, "starter", {})
    user.user_permissions.add(Permission.objects.get(codename="add_coalition"))
    client.force_login(user)
    return user


def test_a_whole_case_is_started_from_one_form(client, starter):
    dfe = PublicBodyFactory(name="Department for Education", other_names="DfE")
    coram = PublicBodyFactory(
        name="Coram Group", other_names="Coram", kind=OrganisationKind.CHARITY
    )
    upload = SimpleUploadedFile("letter.pdf", pdf("We ask you to publish"), "application/pdf")
    response = client.post(START, case_data(files=upload))

    req = Request.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("admin:campaigns_request_change", args=[req.pk])
    assert (req.title, req.recipient, req.is_published) == ("Publish the care data", dfe, False)
    coalition = req.coalition
    memberships = coalition.memberships.select_related("organisation")
    roles = {m.organisation.name: m.role for m in memberships}
    assert roles == {
        "Article 39": MembershipRole.LEAD,
        "Coram Group": MembershipRole.MEMBER,  # found by its other name, not added again
        "Nagalro": MembershipRole.MEMBER,
    }
    assert coram in coalition.members.all()
    assert Organisation.objects.get(name="Nagalro").kind == OrganisationKind.CHARITY
    letter = Letter.objects.get()
    assert (letter.date, letter.kind) == (date(2022, 6, 3), "initial")
    assert letter.subject == "Our request"
    assert set(letter.signatories.all()) == {m.organisation for m in memberships}
    assert "We ask you to publish" in letter.attachments.get().text
    # Its starter publishes for the new coalition, and the request is on their admin home.
    assert CoalitionRole.objects.get(user=starter, coalition=coalition).role == Role.PUBLISHER
    assert "Publish the care data" in client.get(reverse("admin:index")).content.decode()


def test_a_letter_signed_by_the_lead_only(client, starter):
    client.post(START, case_data(signed_by="lead_only"))
    letter = Letter.objects.get()
    assert [o.name for o in letter.signatories.all()] == ["Article 39"]


def test_a_new_body_is_added_as_a_public_body(client, starter):
    client.post(START, case_data(recipient="Ofsted"))
    assert Request.objects.get().recipient.kind == OrganisationKind.PUBLIC_BODY


def test_a_name_close_to_a_recorded_one_asks_first_and_loses_nothing(client, starter):
    PublicBodyFactory(name="Department for Education")
    refused = client.post(START, case_data(recipient="Department of Education"))
    page = refused.content.decode()
    assert refused.status_code == HTTPStatus.OK
    assert "“Department of Education” (recorded: Department for Education)" in page
    assert 'value="Publish the care data"' in page
    assert "These are new organisations" in page
    assert not Request.objects.exists()

    client.post(START, case_data(recipient="Department of Education", new_names_confirmed="on"))
    assert Request.objects.get().recipient.name == "Department of Education"


def test_a_campaigner_without_the_right_starts_cases_in_their_own_coalitions_only(
    client, django_user_model
):
    ours, theirs = CoalitionFactory(name="Ours"), CoalitionFactory(name="Theirs")
    client.force_login(make_campaigner(django_user_model, "editor", {ours: Role.EDITOR}))

    refused = client.post(START, case_data()).content.decode()
    assert "Only an administrator can start a coalition" in refused
    refused = client.post(START, case_data(coalition=str(theirs.pk), coalition_name=""))
    assert "Select a valid choice" in refused.content.decode()
    assert not Request.objects.exists()

    client.post(START, case_data(coalition=str(ours.pk), coalition_name="", members=""))
    assert Request.objects.get().coalition == ours
    assert Coalition.objects.count() == 2


def test_a_refused_file_starts_nothing(client, starter):
    upload = SimpleUploadedFile("letter.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(START, case_data(files=upload))
    assert response.status_code == HTTPStatus.OK
    assert "field-files errors" in response.content.decode()
    assert not Request.objects.exists() and not Coalition.objects.exists()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"coalition_name": ""}, "Choose the coalition, or name a new one."),
        ({"members": ""}, "Name the coalition&#x27;s members, the lead first."),
        ({"sent_on": "30/2/2022"}, "Enter a date as day/month/year"),
        ({"signed_by": ""}, "This field is required."),
        ({"members": "\n".join(f"Group {n}" for n in range(51))}, "Name at most 50 members"),
        ({"members": "Article 39\n" + "x" * 300}, "can be at most 200 characters"),
        ({"recipient": "x" * 300}, "Ensure this value has at most 200 characters"),
        ({"sent_on": "3/6/2099"}, "is more than a year from today"),
    ],
)
def test_missing_or_wrong_parts_are_named(client, starter, changes, problem):
    response = client.post(START, case_data(**changes))
    assert problem in response.content.decode()
    assert not Request.objects.exists()


def test_the_admin_home_offers_to_start_a_case(client, starter):
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{START}">Start a new case</a>' in page


def test_a_rule_the_form_does_not_check_is_said_and_saves_nothing(client, starter, monkeypatch):
    def refuse(**fields):
        raise ValidationError({"kind": "A letter sent by the coalition is an initial letter."})

    monkeypatch.setattr("campaigns.admin.case_start", refuse)
    response = client.post(START, case_data())
    assert response.status_code == HTTPStatus.OK
    assert "A letter sent by the coalition is an initial letter." in response.content.decode()
    assert not Request.objects.exists()


def test_members_typed_for_a_chosen_coalition_or_a_name_you_work_on_are_questioned(
    client, django_user_model
):
    ours = CoalitionFactory(name="Care data coalition")
    client.force_login(make_campaigner(django_user_model, "editor", {ours: Role.PUBLISHER}))
    typed_members = client.post(START, case_data(coalition=str(ours.pk), coalition_name=""))
    assert "Members are named here only for a new coalition" in typed_members.content.decode()
    same_name = client.post(START, case_data(coalition_name="care data coalition", members=""))
    assert "You already work on Care data coalition: choose it above." in (
        same_name.content.decode()
    )
    assert not Request.objects.exists()
