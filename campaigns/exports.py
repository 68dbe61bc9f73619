"""CSV download of the public request list, with the list's own search and filters applied.

Each row is the JSON API's representation of the request, flattened by the COLUMNS mapping, so
the two can never disagree. The download streams: rows are read from the database in chunks and
sent as they are written, so any number of requests fits in a worker's memory and starts
arriving at once.

No cell is read as a formula when the file is opened in a spreadsheet, as OWASP advises for
CSV injection: text starting with = + - @, a tab or a carriage return is prefixed with a single
quote. Numbers are written as they are: a whole number, negative or not, is read as a number,
never a formula, and no column holds a number as text.
"""

import csv
from itertools import islice

from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from rest_framework import serializers

from campaigns.filters import RequestFilter
from campaigns.public import public_requests, with_commitment_counts
from campaigns.serializers import RequestSerializer

# Rows fetched from the database at a time (a server-side cursor on PostgreSQL), and rows
# sent to the client at a time: enough to keep per-chunk overhead small, few enough to keep a
# worker's memory flat.
CHUNK_SIZE = 2000
ROWS_PER_WRITE = 500

# CSV column: where to read it in the API's representation of a request, as a path of keys.
# The open round and the latest reply are separate columns, so a follow-up's deadline is never
# read as the deadline the earlier reply was measured against.
COLUMNS = {
    "title": "title",
    "url": "page_url",
    "coalition": "coalition.name",
    "recipient": "recipient.name",
    "status": "status_label",
    "sent_on": "sent_on",
    "awaiting_reply_to_letter_of": "open_round.sent_on",
    "reply_due_on": "open_round.due_on",
    "days_overdue": "open_round.days_overdue",
    "working_days_overdue": "open_round.working_days_overdue",
    "replied_on": "latest_reply.date",
    "outcome": "outcome",
    "reply_was_due_on": "latest_reply.was_due_on",
    "days_taken": "latest_reply.days_taken",
    "working_days_taken": "latest_reply.working_days_taken",
    "replied_on_time": "latest_reply.on_time",
    "reply_was_first_due_on": "latest_reply.was_first_due_on",
    "replied_on_time_for_first_due_date": "latest_reply.on_time_original",
    "stage": "stage",
    "commitments_open": "commitment_counts.open",
    "commitments_kept": "commitment_counts.kept",
    "commitments_broken": "commitment_counts.broken",
    "closed_result": "closed_result",
    "last_activity_on": "last_activity_on",
}
PATHS = [path.split(".") for path in COLUMNS.values()]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_row(representation):
    """Return the CSV cells of a request's API representation, one per column."""
    return [csv_value(read(representation, path)) for path in PATHS]


def read(representation, path):
    """Return the value at a path of keys, or None if a part on the way is None (no reply yet)."""
    value = representation
    for key in path:
        if value is None:
            return None
        value = value[key]
    return value


class Echo:
    """Hand back what the CSV writer writes, instead of buffering it."""

    def write(self, value):
        return value


def csv_value(value):
    """Return a value as CSV text: yes/no for flags, empty for unknown, no text as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def request_list_csv(request):
    """Download the requests the list shows for these GET parameters, one row per request."""
    # The API list's requests, their round letters joined: one plan serves every chunk, and
    # the status is decided in SQL, built once for every row.
    requests = with_commitment_counts(public_requests().with_status().with_rounds(joined=True))
    filterset = RequestFilter(request.GET, queryset=requests)
    if not filterset.is_valid():
        errors = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in filterset.errors.items())
        return HttpResponse(
            f"These filters are not valid, so nothing was exported. {errors}",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    filename = f"requests-{timezone.localdate().isoformat()}.csv"
    return StreamingHttpResponse(
        csv_lines(filterset.qs, request),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def csv_lines(requests, request):
    """Yield the CSV text for these requests, the header row first, a few hundred rows at a time."""
    writer = csv.writer(Echo())
    # The header goes out before the query runs, so the download starts at once.
    yield writer.writerow(COLUMNS)
    rows = map(csv_row, api_rows(requests, request))
    while batch := list(islice(rows, ROWS_PER_WRITE)):
        yield "".join(writer.writerow(row) for row in batch)


def api_rows(requests, request):
    """Yield the API's representation of each request, reading the requests in chunks."""
    # Bound once, not once per row (binding copies every field), and without the fields no column
    # reads (the API's own links, ids): the fields kept are the API's, so their values are too.
    serializer = RequestSerializer(context={"request": request})
    keep_only_fields_read(serializer, PATHS)
    # In a transaction, PostgreSQL's server-side cursor hands rows over as the query produces
    # them. Outside one it is declared WITH HOLD, which copies the whole result before the first
    # row, all of it counted against the statement timeout. Read-only: no savepoint needed.
    with transaction.atomic(using=requests.db, savepoint=False):
        for instance in requests.iterator(chunk_size=CHUNK_SIZE):
            yield serializer.to_representation(instance)


def keep_only_fields_read(serializer, paths):
    """Drop the fields that no column reads, in nested serializers too."""
    for name, field in list(serializer.fields.items()):
        below = [path[1:] for path in paths if path[0] == name]
        if not below:
            del serializer.fields[name]
        elif isinstance(field, serializers.Serializer) and all(below):
            keep_only_fields_read(field, below)
