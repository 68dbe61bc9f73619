"""Quick, guided entry in the admin: UK dates, direction-aware letters, replies and uploads."""

import json
from datetime import date
from http import HTTPStatus

import pytest
from django import forms
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.choices import RECEIVED_KINDS, SENT_KINDS, Channel, Direction, LetterKind
from campaigns.forms import (
    CHOOSE_FILE_AGAIN,
    UK_DATE_FORMAT_HELP,
    UKDateField,
    UKSplitDateTimeField,
)
from campaigns.models import Letter, Organisation, Request
from campaigns.names import close_names
from tests.admin_forms import inline_formset, post_request, request_form_data, sent_letter
from tests.documents import pdf
from tests.factories import LetterFactory, PublicBodyFactory, RequestFactory
from tests.test_cache import admin_form_data

pytestmark = pytest.mark.django_db

ADD_REQUEST = reverse("admin:campaigns_request_add")


def letter_errors(response, index, field):
    formset = inline_formset(response, "letters")
    return formset.forms[index].errors.get(field, [])


def change_url(request):
    return reverse("admin:campaigns_request_change", args=[request.pk])


# --- Dates typed the UK way -------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["3/6/2022", "03/06/2022", "3 June 2022", "3 Jun 2022", "3 june 2022", "2022-06-03"]
)
def test_letter_dates_are_read_day_first(staff_client, parties, typed):
    letter = sent_letter(date=typed, reply_requested_by=typed)
    response = post_request(staff_client, parties, letters=[letter])

    assert response.status_code == HTTPStatus.FOUND
    saved = Letter.objects.get()
    assert saved.date == saved.reply_requested_by == date(2022, 6, 3)


@pytest.mark.parametrize("typed", ["June 3rd 2022", "13/13/2022", "6-3"])
def test_mistyped_date_is_told_the_format(staff_client, parties, typed):
    response = post_request(staff_client, parties, letters=[sent_letter(date=typed)])

    assert response.status_code == HTTPStatus.OK
    assert letter_errors(response, 0, "date") == [
        "Enter a date as day/month/year, for example 3/6/2022 or 3 June 2022."
    ]
    assert not Request.objects.exists()


def test_request_dates_and_publish_time_are_read_day_first(staff_client, parties):
    response = post_request(
        staff_client,
        parties,
        closed_result="won",
        closed_on="3 June 2022",
        publish_at_0="4/6/2022",
        publish_at_1="09:30",
    )

    assert response.status_code == HTTPStatus.FOUND
    saved = Request.objects.get()
    assert saved.closed_on == date(2022, 6, 3)
    assert saved.publish_at.date() == date(2022, 6, 4)


def test_mistyped_publish_date_is_told_the_format(staff_client, parties):
    response = post_request(staff_client, parties, publish_at_0="June 4", publish_at_1="09:30")

    assert response.status_code == HTTPStatus.OK
    assert str(UK_DATE_FORMAT_HELP) in response.context["adminform"].form.errors["publish_at"]


def _admin_forms(request):
    """Yield every form class of the campaigns admin, its inlines' included."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "campaigns":
            continue
        yield model._meta.label, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield inline.model._meta.label, inline.get_formset(request).form


def test_every_admin_date_field_reads_uk_dates(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    date_fields = {}
    for label, form in _admin_forms(request):
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateField | forms.SplitDateTimeField):
                date_fields[f"{label}.{name}"] = type(field)

    assert date_fields  # The check below would pass on no fields at all.
    assert {
        name: kind
        for name, kind in date_fields.items()
        if kind not in (UKDateField, UKSplitDateTimeField)
    } == {}
    assert "campaigns.Letter.date" in date_fields
    assert "campaigns.Membership.joined_on" in date_fields


def test_letter_dates_are_shown_day_first(staff_client):
    letter = LetterFactory(date=date(2022, 6, 3))

    response = staff_client.get(change_url(letter.request))

    assert 'value="03/06/2022"' in response.text


# --- The letter form fits its direction -------------------------------------------------------


def test_letter_form_carries_its_direction_rules_and_loads_its_script(staff_client):
    letter = LetterFactory()

    response = staff_client.get(change_url(letter.request))

    form = inline_formset(response, "letters").forms[0]
    attrs = form.fields["direction"].widget.attrs
    assert json.loads(attrs["data-kinds"]) == {
        Direction.SENT: list(SENT_KINDS),
        Direction.RECEIVED: list(RECEIVED_KINDS),
    }
    only = json.loads(attrs["data-only-fields"])
    assert "outcome" in only[Direction.RECEIVED]
    assert {"reply_requested_by", "signatories"} <= set(only[Direction.SENT])
    assert "js/letter-form.js" in response.text
    assert finders.find("js/letter-form.js")


def test_server_still_refuses_a_received_kind_on_a_sent_letter(staff_client, parties):
    letter = sent_letter(kind=LetterKind.SUBSTANTIVE)
    response = post_request(staff_client, parties, letters=[letter])

    assert response.status_code == HTTPStatus.OK
    assert not Letter.objects.exists()


# --- Log the reply to a letter ----------------------------------------------------------------


def test_each_saved_letter_links_to_logging_its_reply(staff_client):
    letter = LetterFactory()

    response = staff_client.get(change_url(letter.request))

    link = f'href="{change_url(letter.request)}?reply_to={letter.pk}#letters-group"'
    assert link in response.text
    assert "Log the reply to this letter" in response.text


def test_reply_link_opens_a_received_substantive_reply_form(staff_client):
    letter = LetterFactory()

    response = staff_client.get(change_url(letter.request), {"reply_to": letter.pk})

    formset = inline_formset(response, "letters")
    assert len(formset.forms) == 2
    reply = formset.forms[1]
    assert reply.instance.pk is None
    assert reply.initial["direction"] == Direction.RECEIVED
    assert reply.initial["kind"] == LetterKind.SUBSTANTIVE
    assert reply.instance.request == letter.request


@pytest.mark.parametrize("reply_to", ["other", "abc", ""])
def test_reply_to_another_requests_letter_or_nonsense_adds_nothing(staff_client, reply_to):
    letter = LetterFactory()
    other = LetterFactory(request=RequestFactory())
    key = str(other.pk) if reply_to == "other" else reply_to

    response = staff_client.get(change_url(letter.request), {"reply_to": key})

    assert response.status_code == HTTPStatus.OK
    assert len(inline_formset(response, "letters").forms) == 1


def test_the_prefilled_reply_saves_as_a_reply(staff_client):
    letter = LetterFactory()
    req = letter.request
    page = staff_client.get(change_url(req), {"reply_to": letter.pk})
    reply = inline_formset(page, "letters").forms[1]
    data = request_form_data(
        coalition=req.coalition,
        recipient=req.recipient,
        title=req.title,
        slug=req.slug,
        letters=[
            sent_letter(id=str(letter.pk), date="29/4/2022"),
            {**reply.initial, "date": "3 June 2022", "channel": "email", "outcome": "refused"},
        ],
    )
    data["letters-INITIAL_FORMS"] = "1"

    response = staff_client.post(change_url(req), data)

    assert response.status_code == HTTPStatus.FOUND
    saved = req.letters.get(direction=Direction.RECEIVED)
    assert (saved.kind, saved.date) == (LetterKind.SUBSTANTIVE, date(2022, 6, 3))


# --- Uploads on a failed save -----------------------------------------------------------------


def test_upload_in_a_failed_save_asks_for_the_file_again(staff_client, parties):
    upload = SimpleUploadedFile("original.pdf", pdf("The ask"))
    letters = [sent_letter(files=upload), sent_letter(date="31 February 2022")]

    response = post_request(staff_client, parties, letters=letters)

    assert response.status_code == HTTPStatus.OK
    assert letter_errors(response, 0, "files") == [str(CHOOSE_FILE_AGAIN)]
    assert str(CHOOSE_FILE_AGAIN) in response.text


def test_failed_save_without_an_upload_asks_for_no_file(staff_client, parties):
    response = post_request(staff_client, parties, letters=[sent_letter(date="nonsense")])

    assert response.status_code == HTTPStatus.OK
    assert letter_errors(response, 0, "files") == []


def test_a_refused_upload_keeps_its_own_error_only(staff_client, parties):
    upload = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 a program, not a PDF")

    response = post_request(staff_client, parties, letters=[sent_letter(files=upload)])

    errors = letter_errors(response, 0, "files")
    assert len(errors) == 1 and "not a PDF, PNG or JPEG" in errors[0]


def test_a_letter_nobody_gave_a_channel_publishes_none(client, staff_client):
    letter = LetterFactory(subject="No channel chosen")
    assert letter.channel == Channel.NOT_RECORDED
    page = client.get(letter.request.get_absolute_url()).content.decode()
    kind_line = page.split('<p class="entry-kind">', 1)[1].split("</p>", 1)[0]
    assert "Initial letter" in kind_line and "·" not in kind_line
    LetterFactory(request=letter.request, follow_up=True, channel=Channel.EMAIL)
    page = client.get(letter.request.get_absolute_url()).content.decode()
    assert "Follow-up · Email" in page
    form = staff_client.get(reverse("admin:campaigns_request_add")).content.decode()
    assert '<option value="" selected>Not recorded</option>' in form


# --- A warning before adding an organisation already recorded -------------------------------


def test_close_names_find_the_same_body_written_differently():
    recorded = [
        "Department for Education",
        "Home Office",
        "Child Safeguarding Practice Review Panel",
    ]
    assert close_names("Department of Education", recorded) == ["Department for Education"]
    assert close_names("The Home Office", recorded) == ["Home Office"]
    assert close_names("child safeguarding practice review panel.", recorded) == [recorded[2]]
    assert close_names("Ministry of Justice", recorded) == []


def test_adding_an_organisation_close_to_a_recorded_one_asks_first(staff_client):
    PublicBodyFactory(name="Department for Education")
    add = reverse("admin:campaigns_organisation_add")
    fields = {"name": "Department of Education", "slug": "department-of-education"}
    data = admin_form_data(staff_client.get(add), kind="public_body", **fields)
    refused = staff_client.post(add, data)
    assert refused.status_code == HTTPStatus.OK
    page = refused.content.decode()
    assert (
        "An organisation with a similar name is already recorded: Department for Education" in page
    )
    assert 'value="Department of Education"' in page  # nothing typed is lost
    assert not Organisation.objects.filter(slug="department-of-education").exists()

    saved = staff_client.post(add, {**data, "not_a_duplicate": "on"})
    assert saved.status_code == HTTPStatus.FOUND
    assert Organisation.objects.filter(slug="department-of-education").exists()


def test_an_organisation_unlike_any_recorded_is_added_without_asking(staff_client):
    PublicBodyFactory(name="Department for Education")
    add = reverse("admin:campaigns_organisation_add")
    fields = {"name": "Ministry of Justice", "slug": "ministry-of-justice", "kind": "public_body"}
    response = staff_client.post(add, admin_form_data(staff_client.get(add), **fields))
    assert response.status_code == HTTPStatus.FOUND
    change = staff_client.get(response.url).content.decode()
    assert "not_a_duplicate" not in change  # asked only when adding
