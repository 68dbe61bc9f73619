import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Give the signatories' join table a model, so deleting a signatory is protected.

    The table, its columns and its unique index stay as Django made them: only the state
    changes, and on_delete is enforced by Django, not by the database.
    """

    dependencies = [
        ("campaigns", "0008_plausible_dates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LetterSignatory",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "letter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="signatures",
                                to="campaigns.letter",
                                verbose_name="letter",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="signatures",
                                to="campaigns.organisation",
                                verbose_name="organisation",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "signature",
                        "verbose_name_plural": "signatures",
                        "db_table": "campaigns_letter_signatories",
                        "unique_together": {("letter", "organisation")},
                    },
                ),
                migrations.AlterField(
                    model_name="letter",
                    name="signatories",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text=(
                            "For a joint letter. Left empty, a sent letter is signed by every "
                            "member."
                        ),
                        related_name="letters_signed",
                        through="campaigns.LetterSignatory",
                        to="campaigns.organisation",
                        verbose_name="signatory organisations",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
