"""Template helpers for the public pages."""

from django import template
from django.utils.html import format_html

from campaigns.choices import DatePrecision
from campaigns.partial_dates import format_partial_date, iso_partial_date
from campaigns.rounds import open_round_of

register = template.Library()


@register.simple_tag
def partial_date(day, precision=DatePrecision.DAY, note=""):
    """Render a `<time>` element for a date shown to the precision it is known."""
    if day is None:
        return ""
    shown = format_partial_date(day, precision)
    if note:
        shown = f"{shown} ({note})"
    return format_html('<time datetime="{}">{}</time>', iso_partial_date(day, precision), shown)


@register.filter
def open_round(req):
    """Return a request's open round with its countdown to today, or None."""
    return open_round_of(req)
