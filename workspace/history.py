"""The history of every change in the admin: old and new values, UK dates, per-coalition access."""

from collections import defaultdict
from datetime import date, datetime

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


def history_value(field, value):
    """Return a tracked field's value as a campaigner reads it: UK dates, choices in words."""
    if value is None or value == "":
        return "-"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or "-"
    return value


class UKHistoryContextHelper(HistoricalRecordContextHelper):
    """Show each changed field's old and new values in words, dates in UK format."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            return super().prepare_delta_change_value(change, value)
        return history_value(field, value)


def history_changes(model, records):
    """Set `history_delta_changes` on each record (newest first) against the one before it."""
    records = list(records)
    for newer, older in zip(records, records[1:], strict=False):
        delta = newer.diff_against(older, foreign_keys_are_objs=True)
        newer.history_delta_changes = UKHistoryContextHelper(
            model, newer
        ).context_for_delta_changes(delta) + names_kept_changes(newer, older)
    return records


def names_kept_changes(newer, older) -> list[dict]:
    """Return the changes of the names a version keeps beside its fields (who signed a letter).

    A deletion's version is left out: the names it would read were deleted with the row.
    """
    if newer.history_type == "-":
        return []
    return [
        {
            "field": capfirst(newer._meta.get_field(name).verbose_name),
            "old": getattr(older, name) or "-",
            "new": getattr(newer, name) or "-",
        }
        for name in getattr(newer, "names_kept", ())
        if getattr(newer, name) != getattr(older, name)
    ]


def history_changes_each(model, records):
    """Return the records of several rows (newest first), each with its changes against the
    version of the same row before it."""
    by_row = defaultdict(list)
    for record in records:
        by_row[record.id].append(record)
    changed = [record for rows in by_row.values() for record in history_changes(model, rows)]
    return sorted(changed, key=lambda r: (r.history_date, r.history_id), reverse=True)


class ScopedHistoryAdmin(SimpleHistoryAdmin):
    """History pages that answer 404 for any row the admin's queryset hides from the user.

    simple-history would otherwise show a row it cannot find through the admin's queryset from
    its latest historical record, which would show another coalition's history.
    """

    def get_historical_record_context_helper(self, request, historical_record):
        return UKHistoryContextHelper(self.model, historical_record)

    def history_view(self, request, object_id, extra_context=None):
        self.history_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.history_object_or_404(request, object_id)
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_object_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            name = self.opts.verbose_name
            raise Http404(_("There is no %(name)s with this ID.") % {"name": name})
        return obj
