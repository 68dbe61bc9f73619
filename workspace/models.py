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
    # What the campaigner is sent about this coalition's requests (workspace/alerts.py).
    alert_due_soon = models.BooleanField(
        _("reply due soon"),
        default=True,
        help_text=_("An e-mail when a reply is due within 3 working days."),
    )
    alert_overdue = models.BooleanField(
        _("reply overdue"),
        default=True,
        help_text=_("An e-mail on the day after a reply was due and none came."),
    )
    alert_commitments = models.BooleanField(
        _("commitment due or broken"),
        default=True,
        help_text=_(
            "An e-mail when something a body promised is due within 3 working days, and on the "
            "day after it was due with nothing recorded to keep it."
        ),
    )
    weekly_digest = models.BooleanField(
        _("weekly digest"),
        default=False,
        help_text=_("Mondays: the coalition's requests overdue, due that week, replied."),
    )

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


class AlertKind(models.TextChoices):
    DUE_SOON = "due_soon", _("reply due soon")
    OVERDUE = "overdue", _("reply overdue")
    WEEKLY = "weekly", _("weekly digest")
    COMMITMENT_DUE = "commit_due", _("commitment due soon")
    COMMITMENT_BROKEN = "broken", _("commitment broken")


class SentAlert(models.Model):
    """An alert sent to a campaigner, kept so that each is sent once: once per round's letter
    for a reply due soon or overdue, once per commitment due or broken, once per week for a
    digest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_alerts"
    )
    kind = models.CharField(max_length=10, choices=AlertKind)
    # The sent letter whose reply is awaited; none for a weekly digest.
    letter = models.ForeignKey(
        "campaigns.Letter", on_delete=models.CASCADE, null=True, related_name="+"
    )
    # The commitment due soon or broken, for an alert about one.
    commitment = models.ForeignKey(
        "campaigns.Commitment", on_delete=models.CASCADE, null=True, related_name="+"
    )
    # The Monday of a digest's week; none for an alert about a letter.
    week = models.DateField(null=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "letter"],
                condition=models.Q(letter__isnull=False),
                name="sent_alert_once_per_letter",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "commitment"],
                condition=models.Q(commitment__isnull=False),
                name="sent_alert_once_per_commitment",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "week"],
                condition=models.Q(week__isnull=False),
                name="sent_alert_once_per_week",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.user}"
