"""CSV download of the public request list, with the list's own search and filters applied.

Each row is the JSON API's representation of the request, flattened, so the two can never
disagree.
"""

import csv

from django.http import HttpResponse
from django.utils import timezone

from campaigns.filters import RequestFilter
from campaigns.public import public_requests
from campaigns.serializers import RequestSerializer


def _open_round(field):
    return lambda row: (row["open_round"] or {}).get(field)


def _latest_reply(field):
    return lambda row: (row["latest_reply"] or {}).get(field)


# CSV column: how to read it from the API's representation of a request. The open round and
# the latest reply are separate columns, so a follow-up's deadline is never read as the
# deadline the earlier reply was measured against.
COLUMNS = {
    "title": lambda row: row["title"],
    "url": lambda row: row["page_url"],
    "coalition": lambda row: row["coalition"]["name"],
    "recipient": lambda row: row["recipient"]["name"],
    "status": lambda row: row["status_label"],
    "sent_on": lambda row: row["sent_on"],
    "awaiting_reply_to_letter_of": _open_round("sent_on"),
    "reply_due_on": _open_round("due_on"),
    "days_overdue": _open_round("days_overdue"),
    "working_days_overdue": _open_round("working_days_overdue"),
    "replied_on": _latest_reply("date"),
    "outcome": lambda row: row["outcome"],
    "reply_was_due_on": _latest_reply("was_due_on"),
    "days_taken": _latest_reply("days_taken"),
    "working_days_taken": _latest_reply("working_days_taken"),
    "replied_on_time": _latest_reply("on_time"),
    "closed_result": lambda row: row["closed_result"],
    "last_activity_on": lambda row: row["last_activity_on"],
}


def csv_value(value):
    """Return a value as CSV text: yes/no for flags, empty for unknown."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def request_list_csv(request):
    """Download the requests the list shows for these GET parameters, one row per request."""
    filterset = RequestFilter(request.GET, queryset=public_requests().with_rounds())
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
    rows = RequestSerializer(filterset.qs, many=True, context={"request": request}).data
    for row in rows:
        writer.writerow([csv_value(read(row)) for read in COLUMNS.values()])
    return response
