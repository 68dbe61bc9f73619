"""The public filters on the list of requests."""

from datetime import date

import django_filters
from django import forms
from django.db.models import Exists, Max, Min, OuterRef
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from campaigns.cache import cached_figures
from campaigns.choices import RequestStatus
from campaigns.models import Coalition, Organisation, Request
from campaigns.search import search

COALITIONS_IN_USE = Coalition.objects.filter(
    Exists(Request.objects.published().filter(coalition=OuterRef("pk")))
)
RECIPIENTS_IN_USE = Organisation.objects.filter(
    Exists(Request.objects.published().filter(recipient=OuterRef("pk")))
)


def years_sent():
    """Return the years from the first to the last in which a published request was sent."""
    span = Request.objects.published().aggregate(
        first=Min("first_sent_on"), last=Max("first_sent_on")
    )
    if span["first"] is None:
        return []
    return [(year, str(year)) for year in range(span["last"].year, span["first"].year - 1, -1)]


def options_of(name, queryset):
    """Return a callable giving (slug, name) options, counted once per data version and day."""
    return lambda: cached_figures(
        f"options:{name}", lambda: list(queryset.order_by("name").values_list("slug", "name"))
    )


class PlainSelect(forms.Select):
    """A select whose options are plain (value, label) pairs, rendered in one pass.

    Two thousand recipients cost a millisecond this way; as model choices rendered through
    Django's widget templates they cost 300 ms, most of the list page's time.
    """

    def __init__(self, *, empty_label, options, **kwargs):
        super().__init__(**kwargs)
        self.empty_label = empty_label
        self.options = options

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(item) for item in self.format_value(value)}
        pairs = [("", self.empty_label), *self.options()]
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(label)}</option>"
            for key, label in pairs
        )
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, mark_safe(options))


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class RequestFilter(django_filters.FilterSet):
    """The filters shared by the HTML list, the CSV download, the feed and the API."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=RequestStatus.choices,
        method="filter_status",
        empty_label=_("Any status"),
    )
    coalition = django_filters.ModelChoiceFilter(
        label=_("Coalition"),
        queryset=COALITIONS_IN_USE,
        to_field_name="slug",
        widget=PlainSelect(
            empty_label=_("Any coalition"), options=options_of("coalition", COALITIONS_IN_USE)
        ),
    )
    recipient = django_filters.ModelChoiceFilter(
        label=_("Recipient"),
        queryset=RECIPIENTS_IN_USE,
        to_field_name="slug",
        widget=PlainSelect(
            empty_label=_("Any recipient"), options=options_of("recipient", RECIPIENTS_IN_USE)
        ),
    )
    # Any year is valid (a year with no requests lists none); the form offers those in use,
    # looked up only when the form is shown.
    year = YearFilter(
        label=_("Year sent"),
        method="filter_year",
        widget=PlainSelect(
            empty_label=_("Any year"), options=lambda: cached_figures("years-sent", years_sent)
        ),
    )

    class Meta:
        model = Request
        fields = ["q", "status", "coalition", "recipient", "year"]

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_status(self, queryset, name, value):
        return queryset.in_status(value)

    def filter_year(self, queryset, name, value: int):
        if not date.min.year <= value <= date.max.year:
            return queryset.none()  # A valid number, but no request was sent then.
        return queryset.filter(first_sent_on__year=value)
