"""Template helpers for the public pages."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
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


@register.filter
def percent(share):
    """Return a share as a whole percentage, "80%"; a dash when there is none."""
    return "—" if share is None else f"{round(share * 100)}%"


@register.simple_tag
def counted_url(slug, figure):
    """Return the list of a recipient's public requests that a scorecard figure counts."""
    return (
        f"{reverse('campaigns:request-list')}?{urlencode({'recipient': slug, 'counted': figure})}"
    )
