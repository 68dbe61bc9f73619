"""Campaigners choose e-mail alerts per coalition; each alert sent is kept, to be sent once."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0022_letter_message_id"),
        ("workspace", "0003_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="coalitionrole",
            name="alert_due_soon",
            field=models.BooleanField(
                default=True,
                help_text="An e-mail when a reply is due within 3 working days.",
                verbose_name="reply due soon",
            ),
        ),
        migrations.AddField(
            model_name="coalitionrole",
            name="alert_overdue",
            field=models.BooleanField(
                default=True,
                help_text="An e-mail on the day after a reply was due and none came.",
                verbose_name="reply overdue",
            ),
        ),
        migrations.AddField(
            model_name="coalitionrole",
            name="weekly_digest",
            field=models.BooleanField(
                default=False,
                help_text="Mondays: the coalition's requests overdue, due that week, replied.",
                verbose_name="weekly digest",
            ),
        ),
        migrations.AddField(
            model_name="historicalcoalitionrole",
            name="alert_due_soon",
            field=models.BooleanField(
                default=True,
                help_text="An e-mail when a reply is due within 3 working days.",
                verbose_name="reply due soon",
            ),
        ),
        migrations.AddField(
            model_name="historicalcoalitionrole",
            name="alert_overdue",
            field=models.BooleanField(
                default=True,
                help_text="An e-mail on the day after a reply was due and none came.",
                verbose_name="reply overdue",
            ),
        ),
        migrations.AddField(
            model_name="historicalcoalitionrole",
            name="weekly_digest",
            field=models.BooleanField(
                default=False,
                help_text="Mondays: the coalition's requests overdue, due that week, replied.",
                verbose_name="weekly digest",
            ),
        ),
        migrations.CreateModel(
            name="SentAlert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("due_soon", "reply due soon"),
                            ("overdue", "reply overdue"),
                            ("weekly", "weekly digest"),
                        ],
                        max_length=10,
                    ),
                ),
                ("week", models.DateField(null=True)),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
                (
                    "letter",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="campaigns.letter",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sent_alerts",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("letter__isnull", False)),
                        fields=("user", "kind", "letter"),
                        name="sent_alert_once_per_letter",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("week__isnull", False)),
                        fields=("user", "kind", "week"),
                        name="sent_alert_once_per_week",
                    ),
                ],
            },
        ),
    ]
