"""The campaigners' admin, exercised through its own HTTP forms."""

from datetime import date
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.choices import MembershipRole, RequestStatus
from campaigns.models import Coalition, Letter, Membership, Request
from tests.admin_forms import (
    inline_data,
    inline_formset,
    membership_data,
    post_request,
    reply_letter,
    request_form_data,
    sent_letter,
)
from tests.factories import (
    CoalitionFactory,
    LetterFactory,
    OrganisationFactory,
    PersonFactory,
    RequestFactory,
)

pytestmark = pytest.mark.django_db

ADD_REQUEST = reverse("admin:campaigns_request_add")
ADD_COALITION = reverse("admin:campaigns_coalition_add")
# The smallest PDF that parses: one empty page (the reader rebuilds the missing table of offsets).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>>endobj\n"
    b"trailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def field_errors(response, prefix, form_index, field):
    """Return the errors shown on one field of one form of the inline formset with `prefix`."""
    return inline_formset(response, prefix).forms[form_index].errors.get(field, [])


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(ADD_REQUEST)
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("admin:login") in response["Location"]


def test_logged_in_user_without_staff_status_cannot_use_the_admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x-long-pw-1"))
    response = client.get(ADD_REQUEST)
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("admin:login") in response["Location"]


def test_staff_without_permission_is_forbidden(client, django_user_model):
    user = django_user_model.objects.create_user("staff", password="x-long-pw-1", is_staff=True)
    client.force_login(user)
    assert client.get(ADD_REQUEST).status_code == HTTPStatus.FORBIDDEN


def test_staff_with_permission_can_add_a_request(client, django_user_model, parties):
    user = django_user_model.objects.create_user("staff", password="x-long-pw-1", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__endswith="_request"))
    client.force_login(user)
    assert client.get(ADD_REQUEST).status_code == HTTPStatus.OK


def test_request_with_letters_is_saved_stamped_and_signed_by_all_members(staff_client, parties):
    response = post_request(staff_client, parties, letters=[sent_letter(), reply_letter()])

    assert response.status_code == HTTPStatus.FOUND, response.context and response.context.get(
        "errors"
    )
    request = Request.objects.with_status().get()
    assert request.status == RequestStatus.REFUSED
    assert request.created_by.username == "campaigner"
    assert request.updated_by.username == "campaigner"
    sent = request.letters.get(direction="sent")
    assert sent.due_on == date(2022, 5, 30)
    assert set(sent.signatories.all()) == set(parties[0].members.all())
    assert not request.letters.get(direction="received").signatories.exists()


def test_chosen_signatories_are_kept(staff_client, parties):
    coalition, _ = parties
    one_member = coalition.members.first()
    post_request(staff_client, parties, letters=[sent_letter(signatories=[str(one_member.pk)])])
    assert list(Letter.objects.get().signatories.all()) == [one_member]


def test_reply_dated_before_first_sent_letter_is_a_form_error(staff_client, parties):
    response = post_request(
        staff_client, parties, letters=[sent_letter(), reply_letter(date="2022-04-28")]
    )

    assert response.status_code == HTTPStatus.OK
    errors = field_errors(response, "letters", 1, "date")
    assert errors == ["This reply is dated before the first letter sent, on 29 April 2022."]
    assert not Request.objects.exists()


def test_reply_without_any_sent_letter_is_a_form_error(staff_client, parties):
    response = post_request(staff_client, parties, letters=[reply_letter()])

    assert field_errors(response, "letters", 0, "date") == [
        "A reply needs a letter sent before it: add the letter it answers."
    ]
    assert not Request.objects.exists()


def test_reply_before_an_existing_sent_letter_is_rejected_on_change(staff_client):
    letter = LetterFactory()
    url = reverse("admin:campaigns_request_change", args=[letter.request.pk])
    request = letter.request
    data = request_form_data(
        coalition=request.coalition,
        recipient=request.recipient,
        title=request.title,
        slug=request.slug,
        letters=[
            sent_letter(id=str(letter.pk), request=str(request.pk)),
            reply_letter(date="2022-01-01"),
        ],
    )
    data["letters-INITIAL_FORMS"] = "1"

    response = staff_client.post(url, data)

    assert response.status_code == HTTPStatus.OK
    assert field_errors(response, "letters", 1, "date")
    assert Letter.objects.count() == 1


def test_substantive_reply_without_outcome_is_a_form_error(staff_client, parties):
    response = post_request(
        staff_client, parties, letters=[sent_letter(), reply_letter(outcome="")]
    )

    assert field_errors(response, "letters", 1, "outcome") == [
        "Choose how far this substantive reply met the ask."
    ]
    assert not Request.objects.exists()


def test_outcome_on_a_sent_letter_is_a_form_error(staff_client, parties):
    response = post_request(staff_client, parties, letters=[sent_letter(outcome="met")])
    assert field_errors(response, "letters", 0, "outcome")


def test_sent_letter_with_a_received_kind_is_a_form_error(staff_client, parties):
    response = post_request(staff_client, parties, letters=[sent_letter(kind="substantive")])
    assert field_errors(response, "letters", 0, "kind")


def test_recipient_person_must_work_at_the_recipient(staff_client, parties):
    elsewhere = PersonFactory()
    response = post_request(staff_client, parties, recipient_person=str(elsewhere.pk))

    assert response.status_code == HTTPStatus.OK
    assert response.context["adminform"].form.errors["recipient_person"]
    assert not Request.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("original.pdf", PDF), ("scan.png", PNG), ("photo.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20)],
)
def test_real_pdf_png_and_jpeg_attachments_are_accepted(staff_client, parties, name, content):
    upload = SimpleUploadedFile(name, content)
    response = post_request(staff_client, parties, letters=[sent_letter(files=upload)])

    assert response.status_code == HTTPStatus.FOUND
    attachment = Letter.objects.get().attachments.get()
    assert attachment.file.read() == content
    assert (attachment.name, attachment.size) == (name, len(content))


def test_attachment_that_is_not_really_a_pdf_is_a_form_error(staff_client, parties):
    upload = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 this is a program, not a PDF")
    response = post_request(staff_client, parties, letters=[sent_letter(files=upload)])

    assert response.status_code == HTTPStatus.OK
    errors = field_errors(response, "letters", 0, "files")
    assert errors and "not a PDF, PNG or JPEG" in errors[0]
    assert not Letter.objects.exists()


def test_attachment_over_the_size_limit_is_a_form_error(staff_client, parties, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048)
    response = post_request(staff_client, parties, letters=[sent_letter(files=upload)])

    errors = field_errors(response, "letters", 0, "files")
    assert errors == ["“big.pdf”: This file is 2.0\xa0KB; attachments may be at most 1.0\xa0KB."]
    assert not Letter.objects.exists()


def test_coalition_with_two_leads_is_a_form_error(staff_client):
    first, second = OrganisationFactory(), OrganisationFactory()
    data = {"name": "Coalition", "slug": "coalition", "description": ""} | membership_data(
        [
            {"organisation": str(first.pk), "role": "lead"},
            {"organisation": str(second.pk), "role": "lead"},
        ]
    )

    response = staff_client.post(ADD_COALITION, data)

    assert response.status_code == HTTPStatus.OK
    formset = inline_formset(response, "memberships")
    assert "exactly one lead" in formset.non_form_errors()[0]
    assert formset.forms[1].errors["role"] == ["Only one member can be the lead."]
    assert not Coalition.objects.exists()


def test_coalition_members_without_a_lead_is_a_form_error(staff_client):
    data = {"name": "Coalition", "slug": "coalition", "description": ""} | membership_data(
        [{"organisation": str(OrganisationFactory().pk), "role": "member"}]
    )
    response = staff_client.post(ADD_COALITION, data)
    assert "mark one member as lead" in inline_formset(response, "memberships").non_form_errors()[0]


def test_lead_can_be_handed_over_in_one_save(staff_client):
    old_lead, member = OrganisationFactory(), OrganisationFactory()
    coalition = CoalitionFactory(members=[old_lead, member])
    memberships = {m.organisation_id: m for m in coalition.memberships.all()}
    data = {"name": coalition.name, "slug": coalition.slug, "description": ""} | membership_data(
        [
            {
                "id": str(memberships[old_lead.pk].pk),
                "organisation": str(old_lead.pk),
                "role": "member",
            },
            {"id": str(memberships[member.pk].pk), "organisation": str(member.pk), "role": "lead"},
        ],
        initial=2,
    )

    response = staff_client.post(
        reverse("admin:campaigns_coalition_change", args=[coalition.pk]), data
    )

    assert response.status_code == HTTPStatus.FOUND
    assert Membership.objects.get(role=MembershipRole.LEAD).organisation == member


def test_second_lead_added_from_the_organisation_page_is_a_form_error(staff_client):
    coalition = CoalitionFactory()
    outsider = OrganisationFactory()
    data = {
        "name": outsider.name,
        "slug": outsider.slug,
        "kind": outsider.kind,
        "website": "",
        "description": "",
    }
    data |= inline_data("people", [], ())
    data |= inline_data(
        "memberships", [{"coalition": str(coalition.pk), "role": "lead"}], ("coalition", "role")
    )

    response = staff_client.post(
        reverse("admin:campaigns_organisation_change", args=[outsider.pk]), data
    )

    assert response.status_code == HTTPStatus.OK
    formset = response.context["inline_admin_formsets"][1].formset
    assert formset.forms[0].non_field_errors() == ["A coalition can have only one lead."]
    assert coalition.memberships.filter(role=MembershipRole.LEAD).count() == 1


def test_request_list_shows_status_and_filters_by_it(staff_client):
    refused = LetterFactory(reply=True, date=date(2022, 5, 30)).request
    LetterFactory(request=refused, date=date(2022, 4, 29))
    unsent = RequestFactory()
    url = reverse("admin:campaigns_request_changelist")

    page = staff_client.get(url, {"status": "refused"}).content.decode()
    assert refused.title in page and unsent.title not in page
    assert "Refused" in page
    page = staff_client.get(url, {"status": "not_sent"}).content.decode()
    assert unsent.title in page and refused.title not in page


def test_request_change_page_shows_status_deadline_and_days_taken(staff_client, demo):
    page = staff_client.get(reverse("admin:campaigns_request_change", args=[demo.pk]))
    text = page.content.decode()

    assert page.status_code == HTTPStatus.OK
    assert 'Status: <span class="status status-refused">Refused</span>' in text
    assert '<dt>Reply was due</dt><dd><time datetime="2022-05-30">30 May 2022</time>' in text
    assert '<dt>Took</dt><dd>31 days<span class="detail">20 working days: ' in text
    assert demo.get_absolute_url() in text  # view on site


@pytest.mark.parametrize("model", ["request", "coalition", "organisation", "person"])
def test_admin_lists_and_autocomplete_work(staff_client, demo, model):
    assert staff_client.get(reverse(f"admin:campaigns_{model}_changelist")).status_code == 200
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": "a", "app_label": "campaigns", "model_name": "request", "field_name": "coalition"},
    )
    assert response.status_code == HTTPStatus.OK


def test_deleting_a_request_removes_its_letters_and_events(staff_client, demo):
    url = reverse("admin:campaigns_request_delete", args=[demo.pk])
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == HTTPStatus.FOUND
    assert not Request.objects.exists()
    assert not Letter.objects.exists()


def test_organisation_in_use_cannot_be_deleted_and_the_admin_says_why(staff_client, demo):
    url = reverse("admin:campaigns_organisation_delete", args=[demo.recipient.pk])
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == HTTPStatus.OK
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )


def test_admin_search_finds_letters_text_and_drafts_as_the_site_search_does(staff_client):
    draft = RequestFactory(is_published=False, title="A draft")
    LetterFactory(request=draft, body="About the wallaby register.")
    RequestFactory(title="Something else")
    page = staff_client.get(reverse("admin:campaigns_request_changelist"), {"q": "wallaby"})
    text = page.content.decode()
    assert "A draft" in text and "Something else" not in text


@pytest.mark.parametrize(
    "page", ["campaigns_request_add", "campaigns_person_add", "campaigns_coalition_add"]
)
def test_pages_with_autocomplete_boxes_load_what_names_them(staff_client, page):
    # static/js/select2-a11y.js gives select2's parts the names axe found missing.
    assert "js/select2-a11y.js" in staff_client.get(reverse(f"admin:{page}")).content.decode()
