"""Issue 7, the campaigners' side: dates, memberships, long texts, attachments and deletions.

Each test drives the admin through its own forms, as a campaigner would, unless it pins a rule
below the admin (the write path, the search text, the PDF checks).
"""

from datetime import date, timedelta
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from campaigns.attachments import PDF_TEXT_MAX_CHARS, extract_pdf_text
from campaigns.choices import MembershipRole
from campaigns.models import Attachment, Coalition, Letter, Membership, Organisation, Request
from campaigns.search import SEARCH_TEXT_MAX_BYTES, request_search_text
from campaigns.services import attachments_save, letter_record, memberships_save
from campaigns.validators import latest_date
from tests.admin_forms import (
    inline_data,
    inline_formset,
    membership_data,
    reply_letter,
    request_form_data,
    sent_letter,
)
from tests.documents import pdf
from tests.factories import (
    CoalitionFactory,
    LetterFactory,
    OrganisationFactory,
    PublicBodyFactory,
    RequestFactory,
)
from tests.test_admin_queries import change_form_data

pytestmark = pytest.mark.django_db

ADD_REQUEST = reverse("admin:campaigns_request_add")
ADD_COALITION = reverse("admin:campaigns_coalition_add")


def javascript_action():
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello')"),
        }
    )


def upload(content, name="letter.pdf"):
    return SimpleUploadedFile(name, content)


def post_request(client, **kwargs):
    coalition, recipient = CoalitionFactory(), PublicBodyFactory()
    return client.post(
        ADD_REQUEST, request_form_data(coalition=coalition, recipient=recipient, **kwargs)
    )


def inline_errors(response, prefix, form_index, field):
    return inline_formset(response, prefix).forms[form_index].errors.get(field, [])


def non_form_errors(response, formset_index):
    return list(response.context["inline_admin_formsets"][formset_index].formset.non_form_errors())


def warnings(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- 2. Dates out of any sane range, and follow-ups before their letter ------------------------


def test_letter_dated_in_the_year_9999_is_a_form_error_not_a_server_error(staff_client):
    response = post_request(staff_client, letters=[sent_letter(date="9999-12-20")])

    assert response.status_code == HTTPStatus.OK
    [error] = inline_errors(response, "letters", 0, "date")
    assert "20 December 9999 is more than a year from today" in error
    assert not Request.objects.exists()


A_YEAR_ON = latest_date(timezone.localdate())


@pytest.mark.parametrize(
    ("letter", "field", "wrong"),
    [
        (sent_letter(date="1899-12-31"), "date", "31 December 1899 is before 1900"),
        (
            sent_letter(reply_requested_by=str(A_YEAR_ON + timedelta(days=1))),
            "reply_requested_by",
            "is more than a year from today",
        ),
    ],
)
def test_letter_dates_outside_1900_to_a_year_ahead_are_refused(staff_client, letter, field, wrong):
    response = post_request(staff_client, letters=[letter])

    assert wrong in inline_errors(response, "letters", 0, field)[0]
    assert not Request.objects.exists()


def test_a_letter_dated_a_year_from_today_is_accepted(staff_client):
    response = post_request(staff_client, letters=[sent_letter(date=str(A_YEAR_ON))])
    assert response.status_code == HTTPStatus.FOUND


def test_event_date_before_1900_is_refused(staff_client):
    event = {"kind": "note", "title": "Noted", "date": "1066-10-14", "date_precision": "day"}
    response = post_request(staff_client, events=[event])

    assert "14 October 1066 is before 1900" in inline_errors(response, "events", 0, "date")[0]
    assert not Request.objects.exists()


def test_closing_date_far_in_the_future_is_refused(staff_client):
    response = post_request(staff_client, closed_result="won", closed_on="3022-01-01")

    errors = response.context["adminform"].form.errors["closed_on"]
    assert "1 January 3022 is more than a year from today" in errors[0]
    assert not Request.objects.exists()


def test_membership_joining_date_before_1900_is_refused(staff_client):
    lead = OrganisationFactory()
    data = {"name": "Coalition", "slug": "coalition", "description": ""} | membership_data(
        [{"organisation": str(lead.pk), "role": "lead", "joined_on": "1800-01-01"}]
    )

    response = staff_client.post(ADD_COALITION, data)

    [error] = inline_errors(response, "memberships", 0, "joined_on")
    assert "1 January 1800 is before 1900" in error


def test_latest_date_a_year_on_from_29_february_is_28_february():
    assert latest_date(date(2028, 2, 29)) == date(2029, 2, 28)


@pytest.mark.parametrize("kind", ["follow_up", "reminder"])
def test_follow_up_dated_before_the_initial_letter_is_a_form_error(staff_client, kind):
    response = post_request(
        staff_client, letters=[sent_letter(), sent_letter(kind=kind, date="2022-04-01")]
    )

    assert inline_errors(response, "letters", 1, "date") == [
        "This is dated before the initial letter it follows, of 29 April 2022."
    ]
    assert not Request.objects.exists()


def test_follow_up_after_the_reply_is_accepted(staff_client):
    response = post_request(
        staff_client,
        letters=[sent_letter(), reply_letter(), sent_letter(kind="follow_up", date="2022-06-01")],
    )
    assert response.status_code == HTTPStatus.FOUND


# --- 2. The same organisation twice in a coalition ------------------------------------------


def test_the_same_organisation_twice_in_a_new_coalition_is_a_form_error(staff_client):
    organisation = OrganisationFactory(name="Article 39")
    data = {"name": "Coalition", "slug": "coalition", "description": ""} | membership_data(
        [
            {"organisation": str(organisation.pk), "role": "lead"},
            {"organisation": str(organisation.pk), "role": "member"},
        ]
    )

    response = staff_client.post(ADD_COALITION, data)

    assert response.status_code == HTTPStatus.OK
    assert inline_errors(response, "memberships", 1, "organisation") == [
        "Article 39 is already listed as a member."
    ]
    assert not Membership.objects.exists()


def coalition_change_data(coalition, rows, initial):
    return {"name": coalition.name, "slug": coalition.slug, "description": ""} | membership_data(
        rows, initial=initial
    )


def test_adding_an_organisation_that_is_already_a_member_is_a_form_error(staff_client):
    lead, member = OrganisationFactory(), OrganisationFactory(name="Become")
    coalition = CoalitionFactory(members=[lead, member])
    rows = [
        {"id": str(m.pk), "organisation": str(m.organisation_id), "role": m.role}
        for m in coalition.memberships.all()
    ]
    rows.append({"organisation": str(member.pk), "role": "member"})

    response = staff_client.post(
        reverse("admin:campaigns_coalition_change", args=[coalition.pk]),
        coalition_change_data(coalition, rows, initial=2),
    )

    assert response.status_code == HTTPStatus.OK
    assert inline_errors(response, "memberships", 2, "organisation") == [
        "Become is already listed as a member."
    ]
    assert coalition.memberships.count() == 2


def test_adding_a_member_from_a_page_opened_before_it_joined_is_a_form_error(staff_client):
    """The form does not show the row added since; the database still has it."""
    lead, member = OrganisationFactory(), OrganisationFactory(name="Become")
    coalition = CoalitionFactory(members=[lead, member])
    lead_row = coalition.memberships.get(organisation=lead)
    rows = [
        {"id": str(lead_row.pk), "organisation": str(lead.pk), "role": "lead"},
        {"organisation": str(member.pk), "role": "member"},
    ]

    response = staff_client.post(
        reverse("admin:campaigns_coalition_change", args=[coalition.pk]),
        coalition_change_data(coalition, rows, initial=1),
    )

    assert response.status_code == HTTPStatus.OK
    assert non_form_errors(response, 0) == [
        f"Become is listed twice as a member of {coalition.name}."
    ]
    assert coalition.memberships.count() == 2


# --- 2. Texts too long for PostgreSQL's search vector -----------------------------------------


def test_a_letter_longer_than_the_search_vector_allows_is_saved_and_found(staff_client, client):
    # 1.3 MB of distinct words: PostgreSQL refused its tsvector ("string is too long").
    body = "Opening words of the letter. " + " ".join(f"w{index}" for index in range(160_000))

    response = post_request(staff_client, letters=[sent_letter(body=body)])

    assert response.status_code == HTTPStatus.FOUND
    request = Request.objects.get()
    assert len(request.search_document.encode()) <= SEARCH_TEXT_MAX_BYTES
    assert request.search_document.startswith(request.summary)
    found = client.get(reverse("campaigns:request-list"), {"q": "opening"}).content.decode()
    assert request.get_absolute_url() in found
    assert "more text than search reads" in " ".join(warnings(response))


def test_search_text_is_cut_at_the_byte_budget_between_whole_characters():
    request = SimpleNamespace(title="Title", summary="Ask")
    # Three bytes a character, so the budget ends inside one.
    letter = SimpleNamespace(pk=1, subject="", body="€" * SEARCH_TEXT_MAX_BYTES, is_private=False)

    text = request_search_text(request, [letter], [])

    assert text.cut
    used = sum(len(part.encode()) for part in (text.title, text.summary, text.body))
    assert SEARCH_TEXT_MAX_BYTES - 3 < used <= SEARCH_TEXT_MAX_BYTES
    assert set(text.body) == {"€"}


def test_search_text_within_the_budget_is_kept_whole():
    request = SimpleNamespace(title="Title", summary="Ask")
    letter = SimpleNamespace(pk=1, subject="Subject", body="Body", is_private=False)
    text = request_search_text(request, [letter], [], {1: ["Attached", "Enclosed"]})
    assert (text.body, text.cut) == ("Subject\nBody\nAttached\nEnclosed", False)


# --- 3. One lead per coalition, wherever memberships are edited --------------------------------


def organisation_change(client, organisation, rows):
    data = {
        "name": organisation.name,
        "slug": organisation.slug,
        "kind": organisation.kind,
        "website": "",
        "description": "",
    }
    data |= inline_data("people", [], ())
    data |= inline_data("memberships", rows, ("coalition", "role", "joined_on"), initial=len(rows))
    return client.post(reverse("admin:campaigns_organisation_change", args=[organisation.pk]), data)


@pytest.fixture
def lead_and_member():
    lead, member = OrganisationFactory(), OrganisationFactory()
    coalition = CoalitionFactory(name="Children's Rights Alliance", members=[lead, member])
    return coalition, coalition.memberships.get(organisation=lead)


@pytest.mark.parametrize(
    "change",
    [{"role": "member"}, {"DELETE": "on"}],
    ids=["demoted", "deleted"],
)
def test_the_lead_cannot_be_removed_from_the_organisation_page(
    staff_client, lead_and_member, change
):
    coalition, lead = lead_and_member
    row = {"id": str(lead.pk), "coalition": str(coalition.pk), "role": "lead"} | change

    response = organisation_change(staff_client, lead.organisation, [row])

    assert response.status_code == HTTPStatus.OK
    assert non_form_errors(response, 1) == [
        "Children's Rights Alliance would be left without a lead. Make another member the "
        "lead on the coalition's page first."
    ]
    assert coalition.memberships.get(role=MembershipRole.LEAD) == lead


def test_the_lead_cannot_move_to_another_coalition_from_the_organisation_page(
    staff_client, lead_and_member
):
    coalition, lead = lead_and_member
    elsewhere = Coalition.objects.create(name="Elsewhere", slug="elsewhere")
    row = {"id": str(lead.pk), "coalition": str(elsewhere.pk), "role": "lead"}

    response = organisation_change(staff_client, lead.organisation, [row])

    assert (
        "Children's Rights Alliance would be left without a lead"
        in (non_form_errors(response, 1)[0])
    )
    assert Membership.objects.get(pk=lead.pk).coalition == coalition


def test_a_member_can_leave_from_the_organisation_page(staff_client, lead_and_member):
    coalition, _lead = lead_and_member
    member = coalition.memberships.get(role=MembershipRole.MEMBER)
    row = {"id": str(member.pk), "coalition": str(coalition.pk), "role": "member", "DELETE": "on"}

    response = organisation_change(staff_client, member.organisation, [row])

    assert response.status_code == HTTPStatus.FOUND
    assert coalition.memberships.count() == 1


def test_an_untouched_membership_of_a_coalition_without_a_lead_does_not_block_a_save(
    staff_client,
):
    """Coalitions recorded before the rule may lack a lead; only a change to them is checked."""
    coalition = Coalition.objects.create(name="Old", slug="old")
    membership = Membership.objects.create(
        coalition=coalition, organisation=OrganisationFactory(), role=MembershipRole.MEMBER
    )
    row = {"id": str(membership.pk), "coalition": str(coalition.pk), "role": "member"}

    response = organisation_change(staff_client, membership.organisation, [row])

    assert response.status_code == HTTPStatus.FOUND


def test_memberships_broken_by_someone_elses_save_meanwhile_are_said_and_nothing_saved(
    staff_client, lead_and_member, monkeypatch
):
    """The form checks the memberships as it read them; the write path checks them again under
    a lock, and finds what a save by someone else since has changed."""
    coalition, lead = lead_and_member
    member = coalition.memberships.get(role=MembershipRole.MEMBER)
    # As if someone else's save, after the form's check and before this one, made it break
    # the rule: the form finds nothing wrong, the write path does.
    problem = "Children's Rights Alliance would be left without a lead."
    monkeypatch.setattr("campaigns.forms.membership_problems", lambda **kwargs: [])
    monkeypatch.setattr("campaigns.services.membership_problems", lambda **kwargs: [problem])
    row = {"id": str(member.pk), "coalition": str(coalition.pk), "role": "member", "DELETE": "on"}

    response = organisation_change(staff_client, member.organisation, [row])

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse(
        "admin:campaigns_organisation_change", args=[member.organisation.pk]
    )
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Nothing was saved: the coalition's members were changed")
    assert problem in message
    assert coalition.memberships.get(role=MembershipRole.LEAD) == lead
    assert coalition.memberships.filter(pk=member.pk).exists()


def test_the_write_path_refuses_to_leave_a_coalition_without_its_lead(lead_and_member):
    coalition, lead = lead_and_member
    with pytest.raises(ValidationError, match="would be left without a lead"):
        memberships_save(deleted=[lead])
    lead.role = MembershipRole.MEMBER
    with pytest.raises(ValidationError, match="would be left without a lead"):
        memberships_save(saved=[lead])
    assert coalition.memberships.filter(role=MembershipRole.LEAD).count() == 1


def test_the_write_path_hands_the_lead_over_in_one_call(lead_and_member):
    coalition, lead = lead_and_member
    member = coalition.memberships.get(role=MembershipRole.MEMBER)
    lead.role, member.role = MembershipRole.MEMBER, MembershipRole.LEAD

    memberships_save(saved=[member, lead])

    assert coalition.memberships.get(role=MembershipRole.LEAD) == member


def test_the_write_path_refuses_an_organisation_twice(lead_and_member):
    coalition, lead = lead_and_member
    again = Membership(coalition=coalition, organisation=lead.organisation)
    with pytest.raises(ValidationError, match="is listed twice as a member"):
        memberships_save(saved=[again])


# --- 7. Files: what may be uploaded, how it is served, and when it is deleted ---------------


def code_in_catalogue(key):
    def change(writer, page):
        writer._root_object[NameObject(key)] = javascript_action()

    return change


def names_tree_script(writer, page):
    scripts = DictionaryObject(
        {
            NameObject("/Names"): writer._add_object(
                DictionaryObject(
                    {
                        NameObject("/JavaScript"): DictionaryObject(
                            {NameObject("/Names"): writer._add_object(javascript_action())}
                        )
                    }
                )
            )
        }
    )
    writer._root_object.update(scripts)


def page_additional_actions(writer, page):
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): javascript_action()})


def locked(writer, page):
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")


NOT_A_PDF = "is not a PDF, PNG or JPEG image"
RUNS_CODE = "This PDF contains code that a PDF viewer would run"


@pytest.mark.parametrize(
    ("content", "refusal"),
    [
        pytest.param(
            b"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>",
            NOT_A_PDF,
            id="html",
        ),
        pytest.param(
            pdf("Hello").replace(b"\n", b"\n%<html><script>steal()</script>\n", 1),
            NOT_A_PDF,
            id="pdf-and-html",
        ),
        pytest.param(b"%PDF-1.7\nnothing else", "could not be read as one", id="no-pdf-inside"),
        pytest.param(pdf("Hi", change=locked), "locked with a password", id="locked"),
        pytest.param(pdf("Hi", change=code_in_catalogue("/OpenAction")), RUNS_CODE, id="open"),
        pytest.param(pdf("Hi", change=names_tree_script), RUNS_CODE, id="document-script"),
        pytest.param(pdf("Hi", change=page_additional_actions), RUNS_CODE, id="page-actions"),
        pytest.param(
            pdf("Hi", change=code_in_catalogue("/OpenAction"))
            .replace(b"/JavaScript", b"/J#61vaScript")
            .replace(b"/JS", b"/J#53"),
            RUNS_CODE,
            id="escaped-names",
        ),
    ],
)
def test_html_posing_as_a_pdf_and_pdfs_with_code_are_refused(staff_client, content, refusal):
    response = post_request(staff_client, letters=[sent_letter(files=upload(content))])

    assert response.status_code == HTTPStatus.OK
    [error] = inline_errors(response, "letters", 0, "files")
    assert refusal in error
    assert not Letter.objects.exists()


def test_a_pdf_without_code_is_accepted_and_its_text_kept_without_a_warning(staff_client):
    response = post_request(staff_client, letters=[sent_letter(files=upload(pdf("Quokka census")))])

    assert response.status_code == HTTPStatus.FOUND
    assert Attachment.objects.get().text == "Quokka census"
    assert not [message for message in warnings(response) if "search will not" in message]


def published_attachment(content, name="original.pdf"):
    """Return an attachment of a public letter stored as it is, unchecked, as on a disk."""
    return Attachment.objects.create(
        letter=LetterFactory(),
        file=SimpleUploadedFile(name, content),
        name=name,
        content_type="application/pdf",
        size=len(content),
    )


def attachment_url(attachment):
    return reverse("campaigns:attachment", args=[attachment.letter.request.slug, attachment.pk])


@pytest.mark.parametrize(
    ("content", "content_type"),
    [(pdf("Hello"), "application/pdf"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png")],
)
def test_attachments_are_served_sandboxed_with_their_type(client, content, content_type):
    response = client.get(attachment_url(published_attachment(content)))

    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert policy[0] == "sandbox"  # no allow-scripts, allow-same-origin or anything else
    assert "default-src 'none'" in policy
    assert response["Content-Disposition"].startswith("inline")


def test_a_stored_file_of_no_known_type_is_only_offered_as_a_download(client):
    attachment = published_attachment(b"<html><script>alert(1)</script></html>", "page.pdf")

    response = client.get(attachment_url(attachment))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_pdf_with_no_text_layer_is_saved_with_a_warning(staff_client):
    response = post_request(staff_client, letters=[sent_letter(files=upload(pdf()))])

    assert response.status_code == HTTPStatus.FOUND
    assert (
        "“letter.pdf” has no text layer (it may be a scan), so search will not find the words "
        "in it." in warnings(response)
    )


def test_a_pdf_whose_text_cannot_be_read_is_saved_with_a_warning(staff_client, monkeypatch):
    def fail(page, *args, **kwargs):
        raise ValueError("damaged font")

    monkeypatch.setattr("pypdf.PageObject.extract_text", fail)
    response = post_request(staff_client, letters=[sent_letter(files=upload(pdf("Hi")))])

    assert response.status_code == HTTPStatus.FOUND
    assert Attachment.objects.get().text == ""
    assert "The text of “letter.pdf” could not be read, so search will not find it." in warnings(
        response
    )


def test_a_pdf_with_more_text_than_is_kept_is_saved_with_a_warning(staff_client):
    words = "kept " * (PDF_TEXT_MAX_CHARS // 5 + 100)
    response = post_request(staff_client, letters=[sent_letter(files=upload(pdf(words)))])

    assert response.status_code == HTTPStatus.FOUND
    assert len(Attachment.objects.get().text) == PDF_TEXT_MAX_CHARS
    assert (
        f"The text of “letter.pdf” was cut at {PDF_TEXT_MAX_CHARS:,} characters, so search will "
        "not find words after that." in warnings(response)
    )


def test_pdf_text_never_holds_characters_the_database_refuses():
    text = extract_pdf_text(upload(pdf("before\\000after"))).text
    assert "\x00" not in text and "before" in text and "after" in text


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def letter_with_file(transactional_db):
    request = RequestFactory()
    return letter_record(
        request=request,
        direction="sent",
        kind="initial",
        date=date(2022, 4, 29),
        files=[upload(pdf("First"), "first.pdf")],
        signed_by_every_member=True,
    )


def change_letter(client, letter, **row):
    request = letter.request
    data = change_form_data(request)
    data |= {f"letters-0-{name}": value for name, value in row.items()}
    return client.post(reverse("admin:campaigns_request_change", args=[request.pk]), data)


@pytest.mark.django_db(transaction=True)
def test_a_file_added_to_a_letter_keeps_the_files_it_had(staff_client, letter_with_file, settings):
    assert stored_files(settings) == ["first.pdf"]

    response = change_letter(
        staff_client, letter_with_file, files=upload(pdf("Second"), "second.pdf")
    )

    assert response.status_code == HTTPStatus.FOUND
    assert stored_files(settings) == ["first.pdf", "second.pdf"]
    assert [a.name for a in letter_with_file.attachments.all()] == ["first.pdf", "second.pdf"]


@pytest.mark.django_db(transaction=True)
def test_a_removed_attachment_is_deleted_once_the_save_commits(
    staff_client, letter_with_file, settings
):
    first = letter_with_file.attachments.get()
    response = change_letter(staff_client, letter_with_file, **{"kept_files-remove": first.pk})

    assert response.status_code == HTTPStatus.FOUND
    assert not letter_with_file.attachments.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_deleting_a_letter_or_its_request_deletes_the_files(
    staff_client, letter_with_file, settings
):
    second = letter_record(
        request=letter_with_file.request,
        direction="sent",
        kind="reminder",
        date=date(2022, 5, 20),
        files=[upload(pdf("Reminder"), "reminder.pdf")],
    )
    assert stored_files(settings) == ["first.pdf", "reminder.pdf"]

    response = change_letter(staff_client, letter_with_file, DELETE="on")
    assert response.status_code == HTTPStatus.FOUND
    assert stored_files(settings) == ["reminder.pdf"]

    url = reverse("admin:campaigns_request_delete", args=[second.request.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == HTTPStatus.FOUND
    assert stored_files(settings) == []


@pytest.mark.django_db(transaction=True)
def test_a_failed_save_deletes_the_new_file_and_keeps_the_old_one(
    staff_client, letter_with_file, settings, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("campaigns.admin.request_refresh", fail)
    with pytest.raises(RuntimeError):
        change_letter(
            staff_client,
            letter_with_file,
            files=upload(pdf("New"), "new.pdf"),
            **{"kept_files-remove": letter_with_file.attachments.get().pk},
        )

    assert stored_files(settings) == ["first.pdf"]
    assert Attachment.objects.get().file.name.endswith("first.pdf")


@pytest.mark.django_db(transaction=True)
def test_the_write_path_keeps_every_file_as_it_was_if_any_file_is_refused(
    letter_with_file, settings
):
    first = letter_with_file.attachments.get()
    with pytest.raises(ValidationError):
        attachments_save(
            letter=letter_with_file,
            added=[upload(pdf("Second"), "second.pdf"), upload(b"MZ not a PDF", "third.pdf")],
            removed=[first.pk],
        )
    assert stored_files(settings) == ["first.pdf"]
    assert list(Attachment.objects.all()) == [first]

    attachments_save(letter=letter_with_file, removed=[first.pk])
    assert stored_files(settings) == []


# --- 8. Organisations that signed letters are protected -------------------------------------


@pytest.fixture
def signatory_only():
    """Return an organisation that signed a letter but is neither member nor recipient."""
    organisation = OrganisationFactory(name="Just Signed")
    letter = LetterFactory()
    letter.signatories.add(organisation)
    return organisation


def test_an_organisation_that_signed_a_letter_cannot_be_deleted_and_the_admin_says_why(
    staff_client, signatory_only
):
    url = reverse("admin:campaigns_organisation_delete", args=[signatory_only.pk])

    response = staff_client.post(url, {"post": "yes"})

    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "would require deleting the following protected related objects" in page
    assert "Signature: Just Signed: Initial letter, 29 April 2022" in page
    assert Organisation.objects.filter(pk=signatory_only.pk).exists()
    assert Letter.objects.get().signatories.filter(pk=signatory_only.pk).exists()


def test_deleting_a_signatory_in_code_is_refused(signatory_only):
    with pytest.raises(ProtectedError):
        signatory_only.delete()


def test_signatories_are_still_chosen_in_the_letter_form(staff_client):
    response = staff_client.get(ADD_REQUEST)
    assert 'name="letters-__prefix__-signatories"' in response.content.decode()


# --- PostgreSQL only --------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search vector")
def test_postgresql_stores_a_vector_for_text_of_the_worst_shape():
    """Short distinct hyphenated words make the largest vector for their size."""
    words = " ".join(f"{index:x}-{index + 1:x}" for index in range(0, 2_000_000, 2))
    request = RequestFactory(summary="Ask.")
    LetterFactory(request=request, body=words)
    assert Request.objects.filter(pk=request.pk, search_vector__isnull=False).exists()
