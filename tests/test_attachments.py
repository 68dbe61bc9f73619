"""A letter's files as records of their own: several per letter, each private or not."""

from datetime import date
from http import HTTPStatus

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from campaigns.attachments import FILES_PER_SAVE_MAX, display_name, file_label
from campaigns.models import Attachment
from tests.admin_forms import post_request, sent_letter
from tests.documents import PNG, pdf
from tests.factories import LetterFactory, RequestFactory, attach
from tests.test_admin_queries import change_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content_type", "size", "label"),
    [
        ("application/pdf", 0, "PDF, 0 bytes"),
        ("application/pdf", 1, "PDF, 1 byte"),
        ("application/pdf", 1023, "PDF, 1023 bytes"),
        ("application/pdf", 245_760, "PDF, 240 KB"),
        ("image/png", 1024 * 1024, "PNG image, 1 MB"),
        ("image/jpeg", 1_300_000, "JPEG image, 1.2 MB"),
        ("", 2048, "File, 2 KB"),
    ],
)
def test_a_file_is_described_by_its_type_and_size(content_type, size, label):
    assert file_label(content_type, size) == label


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("Letter to the Panel.pdf", "Letter to the Panel.pdf"),
        ("C:\\fakepath\\reply.pdf", "reply.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("  two\tspaces\n.pdf ", "two spaces .pdf"),
        ("bell\x07.pdf", "bell.pdf"),
        ("", "PDF attachment"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_an_uploaded_files_name_is_tidied_and_bounded(uploaded, shown):
    assert display_name(uploaded, "application/pdf") == shown


def upload(content, name):
    return SimpleUploadedFile(name, content)


def test_several_files_are_added_to_one_letter_in_one_save(staff_client, parties):
    files = [upload(pdf("Numbat letter"), "letter.pdf"), upload(PNG, "enclosure.png")]
    response = post_request(staff_client, parties, letters=[sent_letter(files=files)])

    assert response.status_code == HTTPStatus.FOUND
    attachments = list(Attachment.objects.values_list("name", "content_type", "size", "text"))
    assert attachments == [
        ("letter.pdf", "application/pdf", len(pdf("Numbat letter")), "Numbat letter"),
        ("enclosure.png", "image/png", len(PNG), ""),
    ]


def test_one_refused_file_among_several_is_named_and_none_is_saved(staff_client, parties):
    files = [upload(pdf("Good"), "good.pdf"), upload(b"MZ a program", "report.pdf")]
    response = post_request(staff_client, parties, letters=[sent_letter(files=files)])

    assert response.status_code == HTTPStatus.OK
    [formset] = [
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "letters"
    ]
    [error] = formset.formset.forms[0].errors["files"]
    assert error.startswith("“report.pdf”: This file is not a PDF, PNG or JPEG image")
    assert not Attachment.objects.exists()


def test_more_files_than_one_save_takes_are_refused_with_the_limit(staff_client, parties):
    files = [upload(PNG, f"page-{n}.png") for n in range(FILES_PER_SAVE_MAX + 1)]
    response = post_request(staff_client, parties, letters=[sent_letter(files=files)])

    assert response.status_code == HTTPStatus.OK
    assert f"Choose at most {FILES_PER_SAVE_MAX} files at once" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.fixture
def letter_with_files():
    letter = LetterFactory(request__title="Publish the analysis", date=date(2022, 4, 29))
    attach(letter, pdf("Quokka letter"), "letter.pdf")
    attach(letter, PNG, "photo.png")
    return letter


def change_page(client, request):
    return client.get(reverse("admin:campaigns_request_change", args=[request.pk]))


def test_the_change_page_lists_each_file_with_its_type_size_and_text(
    staff_client, letter_with_files
):
    page = change_page(staff_client, letter_with_files.request).content.decode()
    letter_pdf, photo = letter_with_files.attachments.all()
    for attachment in (letter_pdf, photo):
        url = reverse("campaigns:attachment", args=[letter_with_files.request.slug, attachment.pk])
        assert f'<a href="{url}" target="_blank" rel="noopener">{attachment.name}</a>' in page
    assert f"<td>PDF, {len(pdf('Quokka letter'))} bytes</td><td>13 characters</td>" in page
    assert "<td>PNG image, 40 bytes</td><td>None (a scan or an image)</td>" in page
    assert 'aria-label="Remove: photo.png"' in page


def post_kept_files(client, letter, **boxes):
    data = change_form_data(letter.request)
    data |= {f"letters-0-kept_files-{name}": value for name, value in boxes.items()}
    url = reverse("admin:campaigns_request_change", args=[letter.request_id])
    return client.post(url, data)


def test_ticking_private_and_remove_changes_only_those_files(staff_client, letter_with_files):
    letter_pdf, photo = letter_with_files.attachments.all()
    response = post_kept_files(staff_client, letter_with_files, private=[str(letter_pdf.pk)])
    assert response.status_code == HTTPStatus.FOUND
    assert list(letter_with_files.attachments.values_list("name", "is_private")) == [
        ("letter.pdf", True),
        ("photo.png", False),
    ]
    reader = Client()
    public = reader.get(letter_with_files.request.get_absolute_url()).content.decode()
    assert "photo.png" in public and "letter.pdf" not in public
    found = reader.get("/requests/", {"q": "quokka"}).content.decode()
    assert letter_with_files.request.get_absolute_url() not in found

    response = post_kept_files(
        staff_client, letter_with_files, private=[str(letter_pdf.pk)], remove=[str(photo.pk)]
    )
    assert response.status_code == HTTPStatus.FOUND
    assert list(letter_with_files.attachments.values_list("name", "is_private")) == [
        ("letter.pdf", True)
    ]


def test_a_box_for_another_letters_file_is_an_error_and_changes_nothing(
    staff_client, letter_with_files
):
    other = attach(LetterFactory(), PNG, "other.png")
    response = post_kept_files(staff_client, letter_with_files, remove=[str(other.pk)])

    assert response.status_code == HTTPStatus.OK
    assert "Tick the boxes of listed files only." in response.content.decode()
    assert Attachment.objects.count() == 3


def test_each_change_to_a_file_is_in_its_history_with_who_made_it(staff_client, letter_with_files):
    letter_pdf, photo = letter_with_files.attachments.all()
    post_kept_files(staff_client, letter_with_files, private=[str(letter_pdf.pk)])
    post_kept_files(
        staff_client, letter_with_files, private=[str(letter_pdf.pk)], remove=[str(photo.pk)]
    )

    changes = list(
        Attachment.history.order_by("history_id").values_list(
            "name", "history_type", "is_private", "history_user__username"
        )
    )
    assert changes == [
        ("letter.pdf", "+", False, None),
        ("photo.png", "+", False, None),
        ("letter.pdf", "~", True, "campaigner"),
        ("photo.png", "-", False, "campaigner"),
    ]


def test_the_letters_history_page_shows_its_files_changes(staff_client, letter_with_files):
    letter_pdf, photo = letter_with_files.attachments.all()
    post_kept_files(
        staff_client, letter_with_files, private=[str(letter_pdf.pk)], remove=[str(photo.pk)]
    )
    url = reverse(
        "admin:campaigns_request_letter_history",
        args=[letter_with_files.request_id, letter_with_files.pk],
    )
    rows = staff_client.get(url).context["file_records"]

    shown = [
        (
            row.name,
            row.history_type,
            [(c["field"], c["old"], c["new"]) for c in getattr(row, "history_delta_changes", [])],
        )
        for row in rows
    ]
    assert shown == [
        ("letter.pdf", "~", [("Private", "No", "Yes")]),
        ("photo.png", "-", []),
        ("photo.png", "+", []),
        ("letter.pdf", "+", []),
    ]


def test_the_api_lists_a_letters_public_files(client, letter_with_files):
    attach(letter_with_files, pdf("Hidden"), "hidden.pdf", is_private=True)
    request = letter_with_files.request
    data = client.get(reverse("api:request-detail", args=[request.slug])).json()
    [letter] = [
        entry["letter"]
        for entry in data["timeline"]
        if entry["type"] == "letter" and entry["letter"]["id"] == letter_with_files.pk
    ]
    first, photo = letter_with_files.attachments.filter(is_private=False)
    assert letter["attachments"] == [
        {
            "id": attachment.pk,
            "name": attachment.name,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "label": attachment.label,
            "url": f"http://testserver/requests/{request.slug}/attachments/{attachment.pk}/",
        }
        for attachment in (first, photo)
    ]
    assert letter["attachment_url"] == letter["attachments"][0]["url"]


def test_a_letters_file_becomes_its_attachment_and_comes_back_on_reversal(
    transactional_db, settings
):
    stored = default_storage.save("attachments/2022/04/letter.pdf", upload(pdf("Kept"), "x"))
    executor = MigrationExecutor(connection)
    before = ("campaigns", "0017_letter_signers")
    after = ("campaigns", "0020_remove_letter_attachment")
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    request = RequestFactory.build()
    Letter = apps.get_model("campaigns", "Letter")
    letter = Letter.objects.create(
        request_id=make_old_request(apps, request),
        direction="sent",
        kind="initial",
        date=date(2022, 4, 29),
        attachment=stored,
        attachment_text="Kept",
    )

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    apps = executor.loader.project_state([after]).apps
    moved = apps.get_model("campaigns", "Attachment").objects.get()
    assert (moved.letter_id, moved.file.name, moved.name) == (letter.pk, stored, "letter.pdf")
    assert (moved.content_type, moved.size, moved.text) == (
        "application/pdf",
        len(pdf("Kept")),
        "Kept",
    )

    executor = MigrationExecutor(connection)
    executor.migrate([before])
    apps = executor.loader.project_state([before]).apps
    back = apps.get_model("campaigns", "Letter").objects.get(pk=letter.pk)
    assert (back.attachment.name, back.attachment_text) == (stored, "Kept")
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())


def make_old_request(apps, request):
    """Create a request with the models as they were before attachments; return its id."""
    Organisation = apps.get_model("campaigns", "Organisation")
    Coalition = apps.get_model("campaigns", "Coalition")
    body = Organisation.objects.create(name="The Panel", slug="the-panel", kind="public_body")
    coalition = Coalition.objects.create(name="Coalition", slug="coalition")
    return (
        apps.get_model("campaigns", "Request")
        .objects.create(
            title=request.title,
            slug=request.slug,
            summary="Publish it.",
            coalition=coalition,
            recipient=body,
        )
        .pk
    )


@pytest.mark.parametrize("address", ["letters/{}/attachment/", "attachments/{}/"])
def test_an_id_too_long_for_the_database_is_not_found(client, db, address):
    request = RequestFactory()
    huge = "69469631743951713191499661312"  # found by the fuzz test: a 500 on SQLite

    response = client.get(f"{request.get_absolute_url()}{address.format(huge)}")

    assert response.status_code == HTTPStatus.NOT_FOUND
