"""People follow a request, a coalition or an organisation by e-mail, once confirmed."""

import django.db.models.deletion
from django.db import migrations, models

import following.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0023_letters_and_events_shown_since"),
    ]

    operations = [
        migrations.CreateModel(
            name="Follow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="e-mail address")),
                (
                    "frequency",
                    models.CharField(
                        choices=[
                            ("hourly", "as it happens (checked every hour)"),
                            ("daily", "once a day"),
                        ],
                        default="daily",
                        max_length=10,
                        verbose_name="how often",
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=following.models.new_token,
                        editable=False,
                        max_length=64,
                        unique=True,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                ("sent_up_to", models.DateTimeField(blank=True, null=True)),
                (
                    "coalition",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="campaigns.coalition",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="campaigns.organisation",
                    ),
                ),
                (
                    "request",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="campaigns.request",
                    ),
                ),
            ],
            options={
                "verbose_name": "follow",
                "verbose_name_plural": "follows",
                "indexes": [models.Index(fields=["frequency", "confirmed_at"], name="follow_due")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(
                                ("coalition__isnull", True),
                                ("organisation__isnull", True),
                                ("request__isnull", False),
                            ),
                            models.Q(
                                ("coalition__isnull", False),
                                ("organisation__isnull", True),
                                ("request__isnull", True),
                            ),
                            models.Q(
                                ("coalition__isnull", True),
                                ("organisation__isnull", False),
                                ("request__isnull", True),
                            ),
                            _connector="OR",
                        ),
                        name="follow_one_thing",
                    )
                ],
            },
        ),
    ]
