"""A letter is signed by any number of people (`signers`), not one `author`; each author is kept.

Signatory organisations are no longer filled in with every member when left empty.
"""

from django.db import migrations, models


def authors_to_signers(apps, schema_editor):
    Letter = apps.get_model("campaigns", "Letter")
    Signer = Letter.signers.through
    Signer.objects.bulk_create(
        Signer(letter_id=letter_id, person_id=person_id)
        for letter_id, person_id in Letter.objects.filter(author__isnull=False)
        .values_list("pk", "author_id")
        .iterator()
    )


def signers_to_authors(apps, schema_editor):
    """Going back, a letter keeps the first of its signers (by when they were added)."""
    Letter = apps.get_model("campaigns", "Letter")
    first = {}
    for letter_id, person_id in Letter.signers.through.objects.order_by("-pk").values_list(
        "letter_id", "person_id"
    ):
        first[letter_id] = person_id
    for letter_id, person_id in first.items():
        Letter.objects.filter(pk=letter_id).update(author_id=person_id)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0016_organisation_other_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="signers",
            field=models.ManyToManyField(
                blank=True,
                help_text="Everyone who signed it, e.g. the director of each organisation that "
                "signed.",
                related_name="signed_letters",
                to="campaigns.person",
                verbose_name="signed by",
            ),
        ),
        migrations.RunPython(authors_to_signers, signers_to_authors, elidable=True),
        migrations.RemoveField(model_name="historicalletter", name="author"),
        migrations.RemoveField(model_name="letter", name="author"),
        migrations.AlterField(
            model_name="letter",
            name="signatories",
            field=models.ManyToManyField(
                blank=True,
                help_text="The organisations on whose behalf it was signed, for a joint letter.",
                related_name="letters_signed",
                through="campaigns.LetterSignatory",
                to="campaigns.organisation",
                verbose_name="signatory organisations",
            ),
        ),
    ]
