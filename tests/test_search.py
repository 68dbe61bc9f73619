"""Search across titles, asks, letters, events and PDF text, on SQLite and PostgreSQL."""

import random
import string
from datetime import date
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse

from campaigns.models import Attachment
from campaigns.search import passage_html, query_terms, stem_prefixes, words_pattern
from campaigns.services import event_delete, letter_change, letter_delete
from tests.documents import pdf
from tests.factories import EventFactory, LetterFactory, RequestFactory, attach

pytestmark = pytest.mark.django_db

LIST = reverse("campaigns:request-list")


def found(client, query, **params):
    response = client.get(LIST, {"q": query, **params})
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


@pytest.mark.parametrize("query", ["48 incidents", "looked after children"])
def test_case_searches_find_the_demo_request(client, demo, query):
    page = found(client, query)
    assert "panel-48-incidents-analysis-2022" in page
    assert "<mark>" in page


@pytest.mark.parametrize(
    ("where", "make"),
    [
        ("title", lambda: RequestFactory(title="Release the quokka census")),
        ("ask", lambda: RequestFactory(summary="Please release the quokka census.")),
        ("letter", lambda: LetterFactory(body="We write about the quokka census.").request),
        ("subject", lambda: LetterFactory(subject="Quokka census").request),
        ("event", lambda: EventFactory(title="Quokka census debated").request),
    ],
)
def test_search_finds_words_wherever_they_are(client, where, make):
    request = make()
    RequestFactory(title="Something else entirely")
    page = found(client, "quokka")
    assert request.get_absolute_url() in page, where
    assert "Something else entirely" not in page


def test_search_finds_text_inside_an_uploaded_pdf(client):
    letter = LetterFactory()
    attach(letter, pdf("Wombat inventory attached"), "reply.pdf")

    assert "Wombat inventory attached" in Attachment.objects.get().text
    assert letter.request.get_absolute_url() in found(client, "wombat")


def test_search_finds_the_text_of_each_file_but_not_of_a_private_one(client):
    letter = LetterFactory()
    attach(letter, pdf("Numbat census"), "census.pdf")
    attach(letter, pdf("Bandicoot survey"), "survey.pdf")
    attach(letter, pdf("Dunnart secrets"), "private.pdf", is_private=True)
    for word in ("numbat", "bandicoot"):
        assert letter.request.get_absolute_url() in found(client, word)
    assert letter.request.get_absolute_url() not in found(client, "dunnart")


def test_pdf_without_a_text_layer_still_uploads_with_empty_text():
    attach(LetterFactory(), pdf(), "scan.pdf")
    assert Attachment.objects.get().text == ""


def test_edits_and_deletions_update_the_index(client):
    letter = LetterFactory(body="About the platypus register.")
    assert letter.request.get_absolute_url() in found(client, "platypus")

    letter_change(letter=letter, body="About the dugong survey.")
    assert letter.request.get_absolute_url() not in found(client, "platypus")
    assert letter.request.get_absolute_url() in found(client, "dugong")

    event = EventFactory(request=letter.request, title="Echidna hearing")
    assert letter.request.get_absolute_url() in found(client, "echidna")
    event_delete(event=event)
    assert letter.request.get_absolute_url() not in found(client, "echidna")
    letter_delete(letter=letter)
    assert letter.request.get_absolute_url() not in found(client, "dugong")


def test_search_combines_with_filters_and_keeps_them_in_links(client):
    refused = LetterFactory(body="numbat", date=date(2021, 1, 4)).request
    LetterFactory(request=refused, reply=True, date=date(2021, 1, 20))
    awaiting = LetterFactory(body="numbat").request

    page = found(client, "numbat", status="refused")
    assert refused.get_absolute_url() in page
    assert awaiting.get_absolute_url() not in page
    assert "q=numbat&amp;status=refused" in page  # the feed link keeps the search


def test_drafts_never_appear_in_search(client):
    RequestFactory(is_published=False, title="Secret bilby plan")
    page = found(client, "bilby")
    assert "Secret bilby plan" not in page
    assert "0 requests match" in page


def test_snippets_escape_the_text_and_mark_only_the_terms():
    html = passage_html("A <script>alert(1)</script> about wombats", words_pattern(["wombats"]))
    assert "&lt;script&gt;" in html
    assert "<mark>wombats</mark>" in html


def test_snippets_mark_whole_words_beginning_with_a_term_and_show_the_first():
    text = "Nothing here. " * 30 + "The safeguards held; safeguarding is unsafe. " + "End. " * 60
    html = passage_html(text, words_pattern(["safeguard"]))
    assert html.startswith("… ") and "Nothing here." in html
    assert "<mark>safeguards</mark> held; <mark>safeguarding</mark> is unsafe." in html


def test_a_stem_whose_y_became_i_also_marks_the_word_with_its_y():
    assert stem_prefixes(["happi", "child"]) == ["happi", "child", "happy"]
    found = words_pattern(stem_prefixes(["happi", "child"]))
    html = passage_html("A happy child, happier children.", found)
    assert html == (
        "A <mark>happy</mark> <mark>child</mark>, <mark>happier</mark> <mark>children</mark>."
    )


def test_postgres_snippets_mark_the_words_the_search_stemmed_alike(client):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL stems the search's words; SQLite matches them as typed")
    LetterFactory(body="Filler sentence. " * 40 + "The Panel's safeguards failed the children.")
    page = found(client, "safeguarding")
    assert "<mark>safeguards</mark> failed" in page


def test_query_terms_ignore_punctuation_and_operators():
    assert query_terms('"looked after" OR children!') == ["looked", "after", "children"]
    assert query_terms("  ") == []


def test_postgres_keeps_a_weighted_vector_with_a_gin_index(demo):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search; SQLite uses the plain-text fallback")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["campaigns_request_search_vector_gin"],
        )
        assert "USING gin (search_vector)" in cursor.fetchone()[0]
        cursor.execute("SELECT search_vector::text FROM campaigns_request")
        vector = cursor.fetchone()[0]
    assert "'incid':" in vector and "A" in vector  # stemmed, and the title weighted A


def test_postgres_keeps_a_search_vector_of_a_few_kilobytes_in_its_row(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's TOAST storage")
    # 150 distinct words that barely compress: the row holds 1.4 kB of summary, as much
    # search text and a 2.4 kB vector.
    words = " ".join(
        "".join(random.Random(n).choices(string.ascii_lowercase, k=8)) for n in range(150)
    )

    def out_of_line_chunks():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltoastrelid::regclass FROM pg_class WHERE relname = 'campaigns_request'"
            )
            cursor.execute(f"SELECT count(*) FROM {cursor.fetchone()[0]}")
            return cursor.fetchone()[0]

    before = out_of_line_chunks()
    RequestFactory(summary=words)
    assert out_of_line_chunks() == before  # read by a search with no TOAST lookup


def test_snippets_cut_at_word_boundaries():
    text = "alpha " * 60 + "wombat " + "omega " * 60
    html = passage_html(text, words_pattern(["wombat"]))
    assert html.startswith("… alpha") and html.endswith("omega …")
    assert "<mark>wombat</mark>" in html


@pytest.mark.parametrize("count", [2, 12])
def test_search_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, settings, count
):
    for _ in range(count):
        LetterFactory(body="The quoll survey.")
    settings.FIGURES_CACHE_SECONDS = 300  # as in production: filter choices and public ids kept
    found(client, "quoll")
    # The matches counted (up to 201, to decide whether to rank them), then the page's rows,
    # each with the text its passage is found in.
    with django_assert_max_num_queries(2):
        page = found(client, "quoll")
    assert page.count("<mark>quoll</mark>") == count
