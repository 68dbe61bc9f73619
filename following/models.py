"""People who follow a request, a coalition, an organisation or a search by e-mail."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(32)


class Frequency(models.TextChoices):
    HOURLY = "hourly", _("as it happens (checked every hour)")
    DAILY = "daily", _("once a day")


class Follow(models.Model):
    """An address that asked to be told of what becomes public about one thing.

    Nothing is sent to it but the confirmation until its owner follows the link in that
    confirmation (`confirmed_at`); its token is its only key, in every link it is sent.
    """

    email = models.EmailField(_("e-mail address"))
    request = models.ForeignKey(
        "campaigns.Request", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    coalition = models.ForeignKey(
        "campaigns.Coalition", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "campaigns.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # A search followed: the public search's words, as typed (at most MAX_QUERY_CHARS).
    query = models.CharField(_("search"), max_length=200, blank=True)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency, default=Frequency.DAILY
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once the confirmation was accepted by the mail server; until then it is sent again.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # What was public up to this moment has been sent; the next message starts after it.
    sent_up_to = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(request__isnull=False, coalition__isnull=True, organisation__isnull=True)
                    & Q(query="")
                    | Q(request__isnull=True, coalition__isnull=False, organisation__isnull=True)
                    & Q(query="")
                    | Q(request__isnull=True, coalition__isnull=True, organisation__isnull=False)
                    & Q(query="")
                    | Q(request__isnull=True, coalition__isnull=True, organisation__isnull=True)
                    & ~Q(query="")
                ),
                name="follow_one_thing_or_search",
            ),
        ]
        indexes = [models.Index(fields=["frequency", "confirmed_at"], name="follow_due")]

    def __str__(self):
        return f"{self.email} follows {self.followed}"

    @property
    def followed(self):
        """Return the request, coalition or organisation followed, or the search's words."""
        return self.request or self.coalition or self.organisation or f"the search for {self.query}"
