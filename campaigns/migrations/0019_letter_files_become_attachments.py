"""Each letter's one file becomes its first attachment, with its text, size and type."""

import os

from django.db import migrations

# The first bytes of the types an upload could be, as campaigns.attachments read them then.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
EXTENSIONS = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}


def stored_facts(field_file):
    """Return a stored file's size and type, or what its name says if it cannot be read."""
    try:
        with field_file.storage.open(field_file.name, "rb") as file:
            head = file.read(8)
        size = field_file.storage.size(field_file.name)
    except OSError:
        extension = os.path.splitext(field_file.name)[1].lower().replace(".jpeg", ".jpg")
        return 0, EXTENSIONS.get(extension, "")
    kind = next((kind for sign, kind in SIGNATURES.items() if head.startswith(sign)), "")
    return size, kind


def files_to_attachments(apps, schema_editor):
    Letter = apps.get_model("campaigns", "Letter")
    Attachment = apps.get_model("campaigns", "Attachment")
    batch = []
    for letter in Letter.objects.exclude(attachment="").only("attachment", "attachment_text"):
        size, content_type = stored_facts(letter.attachment)
        batch.append(
            Attachment(
                letter_id=letter.pk,
                file=letter.attachment.name,
                name=os.path.basename(letter.attachment.name)[:200],
                content_type=content_type,
                size=size,
                text=letter.attachment_text,
            )
        )
        if len(batch) == 1000:
            Attachment.objects.bulk_create(batch)
            batch = []
    Attachment.objects.bulk_create(batch)


def attachments_to_files(apps, schema_editor):
    """Going back, a letter keeps its first attachment; the others' files stay in storage."""
    Letter = apps.get_model("campaigns", "Letter")
    Attachment = apps.get_model("campaigns", "Attachment")
    first = {}
    for attachment in Attachment.objects.order_by("-pk").only("letter_id", "file", "text"):
        first[attachment.letter_id] = attachment
    for letter_id, attachment in first.items():
        Letter.objects.filter(pk=letter_id).update(
            attachment=attachment.file.name, attachment_text=attachment.text
        )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0018_attachment"),
    ]

    operations = [
        migrations.RunPython(files_to_attachments, attachments_to_files, elidable=True),
    ]
