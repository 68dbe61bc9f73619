"""Full-text search over requests: PostgreSQL's ranked search, with a simpler SQLite fallback.

Each request stores its searchable text (ask, letters, attachments' text, events) in
`search_document`, and on PostgreSQL a weighted `search_vector` with a GIN index. Both are
refreshed by `campaigns.services.request_refresh()` whenever the request or its parts change.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections
from django.db.models import F, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from campaigns.models import Request
from campaigns.pagination import SEARCH_COUNT_LIMIT, capped_count

CONFIG = "english"
# Private-use characters mark matches, so the text can be escaped before <mark> is added.
START, STOP = "\ue000", "\ue001"
SNIPPET_CHARS = 220
RANKED_AT_MOST = SEARCH_COUNT_LIMIT


def query_terms(text: str) -> list[str]:
    """Return the words of a search, without quotes or operators."""
    return [term for term in re.findall(r"\w[\w'-]*", text or "") if term.lower() != "or"]


def uses_postgres(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


@dataclass(frozen=True)
class SearchText:
    """A request's searchable text, by weight: title, ask, then letters, attachments, events."""

    title: str
    summary: str
    body: str

    @property
    def document(self):
        # The title is searched but kept out of the stored text, so snippets show the passage.
        return "\n".join(filter(None, [self.summary, self.body]))


def request_search_text(request, letters, events) -> SearchText:
    """Return the text a request is found by."""
    parts = []
    for letter in letters:
        parts += [letter.subject, letter.body, letter.attachment_text]
    for event in events:
        parts += [event.title, event.outlet, event.description]
    return SearchText(request.title, request.summary, "\n".join(filter(None, parts)))


def search_vector_sql(vendor) -> str | None:
    """Return SQL for the weighted search vector of three parameters: title, ask and body.

    Only PostgreSQL stores a vector; SQLite searches the stored document instead.
    """
    if vendor != "postgresql":
        return None
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE(%s, '')), '{weight}')"
        for weight in "ABC"
    )


def search(queryset, text):
    """Return the requests matching a search.

    On PostgreSQL the best matches come first, unless more than RANKED_AT_MOST match: ranking
    them all would read every match, so they keep the list's own order, newest first.
    """
    terms = query_terms(text)
    if not terms:
        return queryset
    if uses_postgres(queryset):
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        matches = queryset.filter(search_vector=query)
        if capped_count(matches, RANKED_AT_MOST) > RANKED_AT_MOST:
            return matches
        return matches.annotate(search_rank=SearchRank(F("search_vector"), query)).order_by(
            "-search_rank", "-pk"
        )
    for term in terms:
        queryset = queryset.filter(Q(title__icontains=term) | Q(search_document__icontains=term))
    return queryset


def search_snippets(requests, text) -> dict:
    """Return, by request id, the highlighted passage where each request matches a search.

    One query for the rows a page shows, so lists, feeds, CSV and the API do not pay for it.
    """
    terms = query_terms(text)
    ids = [request.pk for request in requests]
    if not terms or not ids:
        return {}
    rows = Request.objects.filter(pk__in=ids)
    if uses_postgres(rows):
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        rows = rows.annotate(
            passage=SearchHeadline(
                "search_document",
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        ).values_list("pk", "passage")
    else:
        rows = rows.values_list("pk", "search_document")
    return {pk: snippet_html(passage, terms) for pk, passage in rows}


def snippet_html(snippet, terms):
    """Return a short, escaped passage of a match with the search terms in <mark>."""
    if not snippet:
        return ""
    if START not in snippet:
        snippet = _mark_terms(_passage(snippet, terms), terms)
    html = escape(snippet).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added.


def _passage(text, terms):
    """Return about SNIPPET_CHARS of text around the first term found."""
    lowered = text.lower()
    hits = [lowered.find(term.lower()) for term in terms if term.lower() in lowered]
    first = min(hits, default=0)
    start = max(0, first - SNIPPET_CHARS // 3)
    end = start + SNIPPET_CHARS
    words = text[start:end].split()
    if start and words:
        words = words[1:]  # drop a word cut at the start
    if end < len(text) and len(words) > 1:
        words = words[:-1]  # and one cut at the end
    return ("… " if start else "") + " ".join(words) + (" …" if end < len(text) else "")


def _mark_terms(text, terms):
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    return pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", text)
