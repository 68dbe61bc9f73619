"""Pages of requests that cost about the same on page 1 and page 2,000, at any size."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import BooleanField, F, Func, Value, Window
from django.db.models.functions import RowNumber

from campaigns.cache import cached_figures
from campaigns.models import NEWEST_FIRST, Request
from campaigns.prepared import prepared_statements
from campaigns.search import best_first
from campaigns.stats import status_counts

# A search counts its matches up to this many, and ranks them if there are no more; beyond it
# the list says "more than". Each match costs reading its search vector (about 35 µs), so the
# bound keeps a common word cheap.
SEARCH_COUNT_LIMIT = 200
# From this many rows in, a page finds its ids first; nearer the start one query is cheaper.
DEEP_OFFSET = 1000
# A list in its own order (no filter, or a status) keeps the ordering key of every so many rows
# with its figures, and a deep page starts reading from the nearest one before it.
BOOKMARK_EVERY = 1000
# The columns of NEWEST_FIRST, every one descending: the rows after a key are those below it.
ORDER_KEY = tuple(order.expression.name for order in NEWEST_FIRST)
assert all(order.descending for order in NEWEST_FIRST)


class RowBelow(Func):
    """`(a, b, c) < (x, y, z)`: a row comparison, from which an index on (a, b, c) starts a scan.

    Spelled out as ORs of column comparisons, PostgreSQL reads the index from its start.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, columns, values):
        self.width = len(columns)
        super().__init__(*columns, *values)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        columns, values = ", ".join(parts[: self.width]), ", ".join(parts[self.width :])
        return f"({columns}) < ({values})", params


def rows_after(key) -> RowBelow:
    """Return the condition for the requests after `key` (ORDER_KEY's values) in NEWEST_FIRST."""
    fields = [Request._meta.get_field(name) for name in ORDER_KEY]
    return RowBelow(
        [F(name) for name in ORDER_KEY],
        [Value(value, output_field=field) for value, field in zip(key, fields, strict=True)],
    )


def bookmarks(requests) -> list[tuple]:
    """Return the ordering key (ORDER_KEY) of every BOOKMARK_EVERY-th request of a list in
    NEWEST_FIRST order: one read of the ordering index."""
    numbered = requests.order_by().annotate(position=Window(RowNumber(), order_by=NEWEST_FIRST))
    marked = numbered.annotate(remainder=F("position") % BOOKMARK_EVERY).filter(remainder=0)
    return list(marked.order_by("position").values_list(*ORDER_KEY))


class RequestPaginator(Paginator):
    """Find a deep page's ids first, which reads the ordering index alone, then those rows.

    Skipping 40,000 rows to reach page 2,000 then walks index entries instead of table rows;
    so does a page filtered by status (`ids_first`), whose rows the index skips by the stored
    facts it carries. A ranked search's ids are known already (`ranked_ids`). The count can be
    given when already known (the counts by status), or capped.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        count=None,
        count_limit=None,
        ids_first=False,
        ranked_ids=None,
        bookmarks=None,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.count_limit = count_limit
        self.ids_first = ids_first
        self.ranked_ids = ranked_ids  # every match's id, best first, if ranked
        self.bookmarks = bookmarks  # a function returning the list's `bookmarks()`, if kept
        if count is not None:
            self.count = count

    @property
    def count_is_capped(self):
        return self.count_limit is not None and self.count > self.count_limit

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.ranked_ids is not None:
            ids = self.ranked_ids[bottom : bottom + self.per_page]
        elif bottom < DEEP_OFFSET and not self.ids_first:
            return super().page(number)
        else:
            listed, skipped = self.after_bookmark(bottom)
            ids = list(listed.values_list("pk", flat=True)[skipped : skipped + self.per_page])
        with prepared_statements():  # read by primary key: one plan suits every page
            rows = self.object_list.order_by().in_bulk(ids)
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)

    def after_bookmark(self, bottom):
        """Return the rows from the nearest bookmark before row `bottom`, and how many of them
        come before it. A key without a first-sent date (unsent requests come first) is not
        used: the rows after it are no range of the index."""
        if self.bookmarks is None or bottom < BOOKMARK_EVERY:
            return self.object_list, bottom
        marks = self.bookmarks()
        passed = min(bottom // BOOKMARK_EVERY, len(marks))
        while passed and marks[passed - 1][0] is None:
            passed -= 1
        if not passed:
            return self.object_list, bottom
        start = self.object_list.filter(rows_after(marks[passed - 1]))
        return start, bottom - passed * BOOKMARK_EVERY


def request_paginator(queryset, per_page, *, chosen: dict, **kwargs) -> RequestPaginator:
    """Return the paginator of a list of requests filtered by `chosen`, the list's filters.

    A search counts up to a limit, and is ranked best first if that counted every match; no
    filter or a status alone reads the counts by status, which the home page keeps, instead of
    counting 100,000 rows on every page, and starts deep pages from the bookmarks kept with
    the figures; other filters are counted once per data version and day. A status filter
    finds each page's ids first.
    """
    chosen = {name: value for name, value in chosen.items() if value}
    options = {"ids_first": "status" in chosen}
    if queryset.query.is_empty():  # filters with errors list nothing, whatever the counts say
        options["count"] = 0
    elif "q" in chosen:
        ranked_ids, count = best_first(queryset, SEARCH_COUNT_LIMIT)
        options |= {"count": count, "count_limit": SEARCH_COUNT_LIMIT, "ranked_ids": ranked_ids}
    elif set(chosen) <= {"status"}:
        counts = cached_figures("status-counts", status_counts)
        options["count"] = counts.get(chosen["status"], 0) if chosen else sum(counts.values())
        # Only where they are kept: made afresh for every deep page, they would cost more than
        # the offset they save.
        if settings.FIGURES_CACHE_SECONDS and queryset.query.order_by == NEWEST_FIRST:
            name = f"bookmarks:{chosen.get('status', 'all')}"
            options["bookmarks"] = lambda: cached_figures(name, lambda: bookmarks(queryset))
    elif settings.FIGURES_CACHE_SECONDS:
        # Other filters (a body's list, the list a figure of its scorecard links to) are counted
        # once per data version and day, as the figures are.
        options["count"] = cached_figures(f"list-count:{filters_key(chosen)}", queryset.count)
    return RequestPaginator(queryset, per_page, **options, **kwargs)


def filters_key(chosen) -> str:
    """Return the filters chosen as a query string, a chosen coalition or recipient by its id."""
    return urlencode(sorted((name, getattr(value, "pk", value)) for name, value in chosen.items()))
