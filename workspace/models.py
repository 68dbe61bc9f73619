"""Who may work on which coalition's requests, and whether they may publish them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    EDITOR = "editor", _("editor: enters and edits drafts")
    PUBLISHER = "publisher", _("publisher: also publishes")


class CoalitionRole(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coalition_roles",
        verbose_name=_("user"),
    )
    coalition = models.ForeignKey(
        "campaigns.Coalition",
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("coalition"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.EDITOR)

    history = HistoricalRecords()

    class Meta:
        ordering = ["coalition__name", "user__username"]
        verbose_name = _("coalition role")
        verbose_name_plural = _("coalition roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "coalition"],
                name="coalition_role_unique_user",
                violation_error_message=_("This person already has a role in this coalition."),
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.coalition} ({self.get_role_display()})"

    @property
    def is_publisher(self):
        return self.role == Role.PUBLISHER
