"""Checks on single values that campaigners type, shared by every model field that needs them."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = date(1900, 1, 1)


def latest_date(today: date) -> date:
    """Return the latest date a campaigner may enter: a year from today."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def validate_plausible_date(value):
    """Reject a date before 1900 or more than a year from today: it can only be a typo."""
    if value < EARLIEST_DATE:
        raise ValidationError(
            _("%(date)s is before 1900. Check the year."),
            code="date_too_early",
            params={"date": date_format(value)},
        )
    latest = latest_date(timezone.localdate())
    if value > latest:
        raise ValidationError(
            _("%(date)s is more than a year from today (latest %(latest)s). Check the year."),
            code="date_too_late",
            params={"date": date_format(value), "latest": date_format(latest)},
        )
