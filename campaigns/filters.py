"""The public filters on the list of requests."""

from datetime import date

import django_filters
from django import forms
from django.db.models import Exists, Max, Min, OuterRef
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from campaigns.cache import cached_figures
from campaigns.choices import RequestStatus
from campaigns.models import Organisation, Request
from campaigns.public import public_coalitions
from campaigns.search import search, validate_query
from campaigns.stats import FIGURES, figure_conditions

COALITIONS_IN_USE = public_coalitions()
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
    return lambda: list(queryset.order_by("name").values_list("slug", "name"))


def options_html(pairs) -> str:
    """Return (value, label) pairs as escaped, unselected <option> elements."""
    return "".join(
        f'<option value="{escape(key)}">{escape(label)}</option>' for key, label in pairs
    )


class PlainSelect(forms.Select):
    """A select written out directly, not through Django's widget templates.

    Two thousand recipients rendered through the widget templates cost 300 ms, and escaped
    afresh on every view still 8 ms: most of the list page's time. With `name` and `options`,
    the escaped options are kept with the figures; without, the field's own choices are
    written out (the status select through the templates cost a millisecond a view). A chosen
    value only marks its option.
    """

    def __init__(self, *, name=None, empty_label="", options=None, **kwargs):
        super().__init__(**kwargs)
        self.options_name = name
        self.empty_label = empty_label
        self.options = options

    def option_elements(self) -> str:
        if self.options is None:
            return options_html(self.choices)
        kept = cached_figures(
            f"option-elements:{self.options_name}", lambda: options_html(self.options())
        )
        return options_html([("", self.empty_label)]) + kept

    def render(self, name, value, attrs=None, renderer=None):
        html = self.option_elements()
        for chosen in {str(item) for item in self.format_value(value)} - {""}:
            unselected = f'<option value="{escape(chosen)}">'
            html = html.replace(unselected, f"{unselected[:-1]} selected>", 1)
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, mark_safe(html))


class PlainTextInput(forms.TextInput):
    """A text input written out directly, as Django's widget template writes it."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        shown = format_html(' value="{}"', value) if value is not None else ""
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html(
            '<input type="{}" name="{}"{}{}>', self.input_type, name, shown, attributes
        )


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class RequestFilter(django_filters.FilterSet):
    """The filters shared by the HTML list, the CSV download, the feed and the API."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        validators=[validate_query],
        widget=PlainTextInput,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=RequestStatus.choices,
        method="filter_status",
        empty_label=_("Any status"),
        widget=PlainSelect,
    )
    coalition = django_filters.ModelChoiceFilter(
        label=_("Coalition"),
        queryset=COALITIONS_IN_USE,
        to_field_name="slug",
        widget=PlainSelect(
            name="coalition",
            empty_label=_("Any coalition"),
            options=options_of("coalition", COALITIONS_IN_USE),
        ),
    )
    recipient = django_filters.ModelChoiceFilter(
        label=_("Recipient"),
        queryset=RECIPIENTS_IN_USE,
        to_field_name="slug",
        widget=PlainSelect(
            name="recipient",
            empty_label=_("Any recipient"),
            options=options_of("recipient", RECIPIENTS_IN_USE),
        ),
    )
    # Any year is valid (a year with no requests lists none); the form offers those in use,
    # looked up only when the form is shown.
    year = YearFilter(
        label=_("Year sent"),
        method="filter_year",
        widget=PlainSelect(name="year", empty_label=_("Any year"), options=years_sent),
    )

    counted = django_filters.ChoiceFilter(
        label=_("Counted in"),
        choices=list(FIGURES.items()),
        method="filter_counted",
        empty_label=_("Any figure"),
        widget=PlainSelect,
    )

    class Meta:
        model = Request
        fields = ["q", "status", "coalition", "recipient", "year", "counted"]

    def get_form_class(self):
        """Return the form class, made with the class's first filter set: building its fields
        and class took 0.3 ms of every list, feed and API page, and they do not change. Each
        form still gets copies of the fields, as any Django form does; a subclass, whose
        filters may differ, makes its own."""
        filter_set = type(self)
        if "_form_class" not in vars(filter_set):
            filter_set._form_class = super().get_form_class()
        return filter_set._form_class

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_status(self, queryset, name, value):
        return queryset.in_status(value)

    def filter_counted(self, queryset, name, value):
        return queryset.filter(figure_conditions(timezone.localdate())[value])

    def filter_year(self, queryset, name, value: int):
        if not date.min.year <= value <= date.max.year:
            return queryset.none()  # A valid number, but no request was sent then.
        return queryset.filter(first_sent_on__year=value)
