"""Pages of requests that cost about the same on page 1 and page 2,000, at any size."""

from django.core.paginator import Paginator

from campaigns.cache import cached_figures
from campaigns.search import best_first
from campaigns.stats import status_counts

# A search counts its matches up to this many, and ranks them if there are no more; beyond it
# the list says "more than". Each match costs reading its search vector (about 35 µs), so the
# bound keeps a common word cheap.
SEARCH_COUNT_LIMIT = 200
# From this many rows in, a page finds its ids first; nearer the start one query is cheaper.
DEEP_OFFSET = 1000


class RequestPaginator(Paginator):
    """Find a deep page's ids first, which reads the ordering index alone, then those rows.

    Skipping 40,000 rows to reach page 2,000 then walks index entries instead of table rows;
    so does a page filtered by status (`ids_first`), whose rows the index skips by the stored
    facts it carries. The count can be given when already known (the counts by status), or capped.
    """

    def __init__(
        self, object_list, per_page, *, count=None, count_limit=None, ids_first=False, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.count_limit = count_limit
        self.ids_first = ids_first
        if count is not None:
            self.count = count

    @property
    def count_is_capped(self):
        return self.count_limit is not None and self.count > self.count_limit

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < DEEP_OFFSET and not self.ids_first:
            return super().page(number)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = self.object_list.order_by().in_bulk(ids)
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


def capped_count(queryset, limit):
    """Return how many rows match, counting no further than one past `limit`."""
    return queryset.order_by().values("pk")[: limit + 1].count()


def request_paginator(queryset, per_page, *, chosen: dict, **kwargs) -> RequestPaginator:
    """Return the paginator of a list of requests filtered by `chosen`, the list's filters.

    A search counts up to a limit, and is ranked best first if that counted every match; no
    filter or a status alone reads the counts by status, which the home page keeps, instead of
    counting 100,000 rows on every page. A status filter finds each page's ids first.
    """
    chosen = {name: value for name, value in chosen.items() if value}
    options = {"ids_first": "status" in chosen}
    if queryset.query.is_empty():  # filters with errors list nothing, whatever the counts say
        options["count"] = 0
    elif "q" in chosen:
        count = capped_count(queryset, SEARCH_COUNT_LIMIT)
        queryset = best_first(queryset, all_counted=count <= SEARCH_COUNT_LIMIT)
        options |= {"count": count, "count_limit": SEARCH_COUNT_LIMIT}
    elif set(chosen) <= {"status"}:
        counts = cached_figures("status-counts", status_counts)
        options["count"] = counts.get(chosen["status"], 0) if chosen else sum(counts.values())
    return RequestPaginator(queryset, per_page, **options, **kwargs)
