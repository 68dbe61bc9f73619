"""Full-text search over requests: PostgreSQL's ranked search, with a simpler SQLite fallback.

Each request stores its searchable text (ask, letters, attachments' text, events) in
`search_document`, and on PostgreSQL a weighted `search_vector` with a GIN index. Both are
refreshed by `campaigns.services.request_refresh()` whenever the request or its parts change.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left
from django.utils.html import escape
from django.utils.safestring import mark_safe

CONFIG = "english"
# Private-use characters mark matches, so the text can be escaped before <mark> is added. They
# are taken out of the stored text before it is highlighted, so every marker is the highlighter's.
START, STOP = "\ue000", "\ue001"
SNIPPET_CHARS = 220
# The largest search that is run. Each word costs a LIKE on SQLite (a thousand overflow its
# expression tree); on PostgreSQL ranking costs grow with the square of the words (a thousand
# took 42 s): 20 words ranking 20 long, dense texts took 2.5 s, 10 words 0.4 s.
MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 10
# Passages are found in this much of a request's text (about 15 pages), so a long PDF costs
# no more than that; a match further in still finds the request, its passage shows the start.
PASSAGE_SOURCE_CHARS = 50_000


def query_terms(text: str) -> list[str]:
    """Return the words of a search, without quotes or operators."""
    return [term for term in re.findall(r"\w[\w'-]*", text or "") if term.lower() != "or"]


def query_problem(text: str) -> str:
    """Return why a search is too big to run, naming the limit it passes, or "" if it is not."""
    text = text or ""
    if len(text) > MAX_QUERY_CHARS:
        return (
            f"A search can be at most {MAX_QUERY_CHARS} characters long; this one has "
            f"{len(text):,}. Shorten it and search again."
        )
    terms = len(query_terms(text))
    if terms > MAX_QUERY_TERMS:
        return (
            f"A search can have at most {MAX_QUERY_TERMS} words; this one has {terms:,}. "
            "Remove some and search again."
        )
    return ""


def validate_query(text):
    """Refuse a search too big to run quickly, saying which limit it passes."""
    if problem := query_problem(text):
        raise ValidationError(problem, code="search_too_big")


def uses_postgres(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


@dataclass(frozen=True)
class SearchText:
    """A request's searchable text, by weight: title, ask, then letters, attachments, events."""

    title: str
    summary: str
    body: str
    cut: bool = False  # True when the text passed SEARCH_TEXT_MAX_BYTES and its end was left out

    @property
    def document(self):
        # The title is searched but kept out of the stored text, so snippets show the passage.
        return "\n".join(filter(None, [self.summary, self.body]))


# The most of a request's text that is searched, in UTF-8 bytes (about 15,000 words).
# PostgreSQL refuses a tsvector over 1 MB, and the worst text tried (short distinct
# hyphenated words, such as "a1-b2 c3-d4") makes a vector five times its own size.
SEARCH_TEXT_MAX_BYTES = 100_000


def request_search_text(request, letters, events, attachment_texts=None) -> SearchText:
    """Return the text a request is found by: title, ask, then the rest, up to the byte budget.

    `attachment_texts` gives, by letter id, the text of each of its attachments that is not
    private. Private letters and events are left out: the public finds a request by what it
    may read.
    """
    attachment_texts = attachment_texts or {}
    parts = []
    for letter in letters:
        if not letter.is_private:
            parts += [letter.subject, letter.body, *attachment_texts.get(letter.pk, ())]
    for event in events:
        if not event.is_private:
            parts += [event.title, event.outlet, event.description]
    budget, kept, cut = SEARCH_TEXT_MAX_BYTES, [], False
    for text in (request.title, request.summary, "\n".join(filter(None, parts))):
        encoded = text.encode("utf-8", "ignore")
        # Decoding the first bytes drops a character cut in half, so the text stays whole.
        kept.append(encoded[:budget].decode("utf-8", "ignore"))
        cut = cut or len(encoded) > budget
        budget = max(0, budget - len(encoded))
    return SearchText(*kept, cut=cut)


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
    """Return the requests matching a search, each with its rank on PostgreSQL.

    They keep the queryset's order: `best_first()` ranks them as it counts them, which paging
    does anyway.
    """
    if query_problem(text):
        return queryset.none()  # The filters refuse it with a message first; never run it.
    terms = query_terms(text)
    if not terms:
        return queryset
    if uses_postgres(queryset):
        query = SearchQuery(text, search_type="websearch", config=CONFIG)
        # Ranked only for the rows a page reads, unless the matches are ordered by it.
        return queryset.filter(search_vector=query).annotate(
            search_rank=SearchRank(F("search_vector"), query)
        )
    for term in terms:
        queryset = queryset.filter(Q(title__icontains=term) | Q(search_document__icontains=term))
    return queryset


def best_first(matches, limit) -> tuple[list | None, int]:
    """Return the ids of a search's matches best first (None if it matches more than `limit`
    requests, or where nothing is ranked: SQLite), and how many match, counted to `limit` + 1.

    One read of at most `limit` + 1 matches counts them and ranks them, and a page of them is
    then read by id. Ranking more would read every match, so a common word keeps the list's
    own order.
    """
    # The first matches in the order the requests were made: PostgreSQL reads them through the
    # primary key's index and keeps their pages in its buffers. Left to itself it scanned the
    # table, which reads pages through a small ring of buffers when the table is large, so the
    # next search found none there (a common word counted in 1.7 ms, not 0.7; see RESULTS.md).
    matches = matches.order_by("pk")
    if "search_rank" not in matches.query.annotations:
        return None, matches.values("pk")[: limit + 1].count()
    ranked = list(matches.values_list("search_rank", "pk")[: limit + 1])
    if len(ranked) > limit:
        return None, len(ranked)
    return [pk for _, pk in sorted(ranked, reverse=True)], len(ranked)


def with_passage_sources(requests, text):
    """Read with each request the start of its text, where `search_passages` finds its
    passage, and on PostgreSQL the search's words as its search stems them.

    For the list's rows only, so feeds, CSV and the API do not pay for it: at most
    PASSAGE_SOURCE_CHARS of each text, and the stems made once for the whole query.
    """
    if query_problem(text) or not query_terms(text):
        return requests
    requests = requests.annotate(passage_source=Left("search_document", PASSAGE_SOURCE_CHARS))
    if not uses_postgres(requests):
        return requests
    # A subquery of constants, so that PostgreSQL makes the stems once, not once a row.
    stems = RawSQL("(SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s)))", (CONFIG, text))
    return requests.annotate(search_stems=stems)


def search_passages(requests, text) -> dict:
    """Return, by request id, the passage where each request matches a search, its words marked.

    The requests were read `with_passage_sources`. PostgreSQL gives the search's words as its
    search stems them, so "safeguarding" marks "safeguards" too; the passage is found and
    marked here, on either database (PostgreSQL's ts_headline parsed every word of the text:
    5 ms for a page of 20 short requests, and it grows with their length).
    """
    requests = [request for request in requests if hasattr(request, "passage_source")]
    if not requests:
        return {}
    if hasattr(requests[0], "search_stems"):
        found = words_pattern(stem_prefixes(requests[0].search_stems))
    else:
        found = words_pattern(query_terms(text))
    return {request.pk: passage_html(request.passage_source, found) for request in requests}


def stem_prefixes(stems):
    """Return the beginnings of the words a search's stems stand for.

    A stem begins each word it stands for ("safeguard": safeguarding, safeguards), but for a
    final y made i ("happi": happy, happier), so "happy" is added for "happi".
    """
    return [*stems, *(f"{stem[:-1]}y" for stem in stems if stem.endswith("i"))]


def passage_html(text, found):
    """Return a short, escaped passage of stored text with the words `found` matches in <mark>."""
    text = (text or "").replace(START, "").replace(STOP, "")
    return marked_html(_mark_words(_passage(text, found), found))


def words_pattern(words):
    """Return a pattern matching the whole words that begin with any of these, in any case."""
    if not words:
        return re.compile(r"(?!)")  # nothing
    alternatives = "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)


def marked_html(passage):
    """Return a passage escaped, with the highlighter's markers turned into <mark> tags."""
    html = escape(passage or "").replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added.


def _passage(text, found):
    """Return about SNIPPET_CHARS of text around the first word found."""
    first = found.search(text)
    start = max(0, first.start() - SNIPPET_CHARS // 3) if first else 0
    end = start + SNIPPET_CHARS
    words = text[start:end].split()
    if start and words:
        words = words[1:]  # drop a word cut at the start
    if end < len(text) and len(words) > 1:
        words = words[:-1]  # and one cut at the end
    return ("… " if start else "") + " ".join(words) + (" …" if end < len(text) else "")


def _mark_words(text, found):
    return found.sub(lambda match: f"{START}{match.group(0)}{STOP}", text)
