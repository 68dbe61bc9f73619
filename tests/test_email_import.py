"""Importing a letter from an e-mail message: read, checked by the campaigner, saved once."""

from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.email_import import guess_direction, html_to_text, read_email
from campaigns.models import Letter
from tests.documents import PNG, pdf
from tests.factories import LetterFactory, OrganisationFactory, RequestFactory

pytestmark = pytest.mark.django_db

SUBJECT = "Réponse : publication de l’analyse – 48 incidents"
PANEL_TEXT = (
    "Thank you for your letter of 29 April.\n\nWe have decided not to publish the analysis."
)


def panel_reply(*, message_id=None, html=True, extra=()):
    """Return the Panel's reply as a mail program would save it: text and HTML, a PDF, a photo
    and a Word file, with a subject that is not ASCII."""
    message = EmailMessage()
    message["From"] = "Annie Hudson <chair@education.gov.uk>"
    message["To"] = "Carolyne Willow <carolyne@article39.org.uk>"
    message["Cc"] = "office@nagalro.com"
    message["Subject"] = SUBJECT
    message["Date"] = format_datetime(datetime(2022, 5, 30, 23, 30, tzinfo=UTC))
    message["Message-ID"] = message_id or make_msgid(domain="education.gov.uk")
    message.set_content(PANEL_TEXT)
    if html:
        message.add_alternative(
            "<html><head><style>p {color: red}</style><script>alert(1)</script></head><body>"
            "<p>Thank you for your letter of 29&nbsp;April.</p><p>We have decided <b>not</b> to "
            "publish the analysis.</p></body></html>",
            subtype="html",
        )
    message.add_attachment(
        pdf("The Panel declines to publish."),
        maintype="application",
        subtype="pdf",
        filename="Reply to Article 39.pdf",
    )
    message.add_attachment(PNG, maintype="image", subtype="png", filename="signature.png")
    message.add_attachment(
        b"PK\x03\x04 a word document",
        maintype="application",
        subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
        filename="Annex.docx",
    )
    for part in extra:
        message.add_attachment(part)
    return message


def test_a_message_gives_its_date_parties_subject_text_and_files():
    email = read_email(bytes(panel_reply()))

    assert email.sent_on == date(2022, 5, 31)  # 23:30 UTC is past midnight in London (BST)
    assert (email.sender_name, email.sender_address) == ("Annie Hudson", "chair@education.gov.uk")
    assert email.recipients == ("carolyne@article39.org.uk", "office@nagalro.com")
    assert email.subject == SUBJECT
    assert email.text == PANEL_TEXT
    assert [(f.name, f.content_type) for f in email.kept_files] == [
        ("Reply to Article 39.pdf", "application/pdf"),
        ("signature.png", "image/png"),
    ]
    assert [f.name for f in email.left_out_files] == ["Annex.docx"]


def test_an_html_only_message_is_read_as_text_without_its_scripts_and_styles():
    html = read_email(
        b"From: a@example.org\r\nDate: Mon, 30 May 2022 10:00:00 +0100\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<style>p{}</style><script>steal()</script><p>First&nbsp;para.</p><ul><li>One</li>"
        b"<li>Two</li></ul><p>Last<br>line.</p>"
    )
    assert html.text == "First para.\n\n- One\n\n- Two\n\nLast\nline."
    assert html_to_text("<head><title>T</title></head><script>steal()</script>Hi") == "Hi"


def test_a_forwarded_reply_keeps_the_files_of_the_message_it_forwards():
    forwarded = EmailMessage()
    forwarded["From"] = "Carolyne Willow <carolyne@article39.org.uk>"
    forwarded["Subject"] = "Fwd: " + SUBJECT
    forwarded["Date"] = "Tue, 31 May 2022 09:12:00 +0100"
    forwarded.set_content("See the Panel's reply below.")
    forwarded.add_attachment(panel_reply())  # attached as message/rfc822

    email = read_email(bytes(forwarded))

    assert email.text == "See the Panel's reply below."
    assert email.sent_on == date(2022, 5, 31)
    assert [f.name for f in email.kept_files] == ["Reply to Article 39.pdf", "signature.png"]


@pytest.mark.parametrize(
    ("sender", "direction"),
    [
        ("chair@education.gov.uk", "received"),
        ("someone@article39.org.uk", "sent"),
        ("press@example.com", ""),
    ],
)
def test_the_direction_is_guessed_from_the_senders_domain(sender, direction):
    email = read_email(
        f"From: {sender}\r\nDate: Mon, 30 May 2022 10:00:00 +0100\r\n\r\nHi".encode()
    )
    guessed = guess_direction(
        email,
        recipient_websites=["https://www.gov.uk/government/organisations/department-for-education"],
        member_websites=["https://article39.org.uk", ""],
    )
    assert guessed == direction


@pytest.fixture
def case():
    """A request by a coalition led by Article 39 to the DfE, with its first letter sent."""
    article39 = OrganisationFactory(name="Article 39", website="https://article39.org.uk")
    dfe = OrganisationFactory(name="Department for Education", website="https://www.gov.uk")
    request = RequestFactory(recipient=dfe, coalition__members=[article39])
    LetterFactory(request=request, date=date(2022, 4, 29), signed_by_every_member=True)
    return request


def import_url(request):
    return reverse("admin:campaigns_request_import_email", args=[request.pk])


def read(client, request, raw):
    upload = SimpleUploadedFile("reply.eml", raw, content_type="message/rfc822")
    return client.post(import_url(request), {"message_file": upload, "read": "1"})


def test_a_campaigner_imports_a_reply_checks_it_and_saves_it_once(staff_client, case):
    raw = bytes(panel_reply(message_id="<reply-1@education.gov.uk>"))
    change_page = staff_client.get(reverse("admin:campaigns_request_change", args=[case.pk]))
    assert import_url(case) in change_page.content.decode()

    review = read(staff_client, case, raw)

    assert review.status_code == HTTPStatus.OK
    form = review.context["form"]
    assert form.initial["direction"] == "received" and form.initial["date"] == date(2022, 5, 31)
    page = review.content.decode()
    assert "Annex.docx" in page and "Only PDF, PNG and JPEG files are kept" in page
    assert not Letter.objects.filter(message_id__gt="").exists()  # nothing saved yet

    data = {
        **{name: value for name, value in form.initial.items() if name != "files"},
        "date": "31/05/2022",
        "kind": "substantive",
        "outcome": "refused",
        "files": ["0", "1"],
        "save": "1",
    }
    saved = staff_client.post(import_url(case), data)

    assert saved.status_code == HTTPStatus.FOUND
    letter = Letter.objects.get(message_id="reply-1@education.gov.uk")
    assert (letter.direction, letter.kind, letter.outcome) == ("received", "substantive", "refused")
    assert (letter.channel, letter.subject, letter.date) == ("email", SUBJECT, date(2022, 5, 31))
    assert letter.body == PANEL_TEXT
    assert [a.name for a in letter.attachments.all()] == [
        "Reply to Article 39.pdf",
        "signature.png",
    ]
    assert "The Panel declines to publish." in letter.attachments.first().text

    again = read(staff_client, case, raw)
    assert again.status_code == HTTPStatus.OK
    assert "This message is already on this request" in again.content.decode()
    assert Letter.objects.filter(message_id="reply-1@education.gov.uk").count() == 1


def test_a_sent_letter_from_an_e_mail_says_who_signed_it(staff_client, case):
    message = panel_reply()
    message.replace_header("From", "carolyne@article39.org.uk")
    review = read(staff_client, case, bytes(message))
    form = review.context["form"]
    assert (form.initial["direction"], form.initial["kind"]) == ("sent", "follow_up")
    data = {
        **{name: value for name, value in form.initial.items() if name != "files"},
        "date": "31/05/2022",
        "save": "1",
    }

    refused = staff_client.post(import_url(case), data)
    assert "Say who signed this letter." in refused.content.decode()

    saved = staff_client.post(import_url(case), {**data, "signed_by": "lead_only"})
    assert saved.status_code == HTTPStatus.FOUND
    letter = case.letters.get(kind="follow_up")
    assert [o.name for o in letter.signatories.all()] == ["Article 39"]
    assert not letter.attachments.exists()


def test_a_refused_file_is_named_and_nothing_is_saved(staff_client, case):
    scripted = EmailMessage()
    scripted["From"] = "chair@education.gov.uk"
    scripted["Date"] = "Mon, 30 May 2022 10:00:00 +0100"
    scripted.set_content("See attached.")
    scripted.add_attachment(
        b"%PDF-1.7\n<html><script>steal()</script></html>",
        maintype="application",
        subtype="pdf",
        filename="reply.pdf",
    )
    review = read(staff_client, case, bytes(scripted))
    data = {**review.context["form"].initial, "kind": "acknowledgement", "save": "1"}
    data |= {"date": "30/05/2022", "direction": "received"}

    response = staff_client.post(import_url(case), data)

    assert response.status_code == HTTPStatus.OK
    [error] = response.context["form"].non_field_errors()
    assert error.startswith("“reply.pdf”: This file is not a PDF, PNG or JPEG image")
    assert case.letters.count() == 1


def test_pasted_source_is_read_as_a_file_is(staff_client, case):
    raw = bytes(panel_reply()).decode("ascii")
    response = staff_client.post(import_url(case), {"message_source": raw, "read": "1"})
    assert response.context["form"].initial["subject"] == SUBJECT


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x00\xff\xfe not a message", b"Just some words\nwith no headers at all"],
    ids=["empty", "binary", "words"],
)
def test_what_is_not_an_e_mail_is_refused_with_what_to_do(staff_client, case, raw):
    response = read(staff_client, case, raw)
    assert response.status_code == HTTPStatus.OK
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Choose the message's file" in errors or "This is not an e-mail message" in errors
    assert case.letters.count() == 1


def test_a_message_kept_for_another_request_cannot_be_saved_here(staff_client, case):
    review = read(staff_client, case, bytes(panel_reply()))
    other = RequestFactory(coalition=case.coalition)
    data = {**review.context["form"].initial, "kind": "acknowledgement", "files": [], "save": "1"}
    data["date"] = "31/05/2022"

    response = staff_client.post(import_url(other), data)

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == import_url(other)
    assert not other.letters.filter(channel="email").exists()
