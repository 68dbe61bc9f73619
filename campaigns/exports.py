"""CSV download of the public request list, with the list's own search and filters applied."""

import csv

from django.http import HttpResponse
from django.utils import timezone

from campaigns.filters import RequestFilter
from campaigns.views import public_requests

COLUMNS = [
    "title",
    "url",
    "coalition",
    "recipient",
    "status",
    "sent_on",
    "reply_due_on",
    "replied_on",
    "days_taken",
    "working_days_taken",
    "replied_on_time",
    "outcome",
    "closed_result",
    "last_activity_on",
]


def csv_value(value):
    """Return a value as CSV text: ISO dates, yes/no, empty for unknown."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def request_row(request, req):
    """Return one CSV row for a request."""
    return [
        csv_value(value)
        for value in (
            req.title,
            request.build_absolute_uri(req.get_absolute_url()),
            req.coalition.name,
            req.recipient.name,
            req.status_label,
            req.first_sent_on,
            req.current_due_on,
            req.latest_reply_on,
            req.reply_days_taken,
            req.reply_working_days_taken,
            req.reply_on_time,
            req.latest_reply_outcome,
            req.closed_result,
            req.last_activity_on,
        )
    ]


def request_list_csv(request):
    """Download the requests the list shows for these GET parameters, one row per request."""
    filterset = RequestFilter(request.GET, queryset=public_requests().with_reply_figures())
    if not filterset.is_valid():
        errors = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in filterset.errors.items())
        return HttpResponse(
            f"These filters are not valid, so nothing was exported. {errors}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"requests-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for req in filterset.qs:
        writer.writerow(request_row(request, req))
    return response
