"""Hostile query parameters and addresses on every public GET endpoint: never a 5xx."""

from http import HTTPStatus
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from campaigns.choices import RequestStatus
from campaigns.demo import demo_load
from tests.factories import LetterFactory, RequestFactory

pytestmark = pytest.mark.django_db

# Each endpoint with the query parameters it reads; others are added at random too.
LIST_PARAMS = ["q", "status", "coalition", "recipient", "year", "page"]
CASE = "panel-48-incidents-analysis-2022"
COALITION = "publish-the-48-incidents-analysis"
ORGANISATION = "child-safeguarding-practice-review-panel"
ENDPOINTS = {
    "/": [],
    "/requests/": LIST_PARAMS,
    "/requests/feed/": LIST_PARAMS,
    "/requests/export.csv": LIST_PARAMS,
    f"/requests/{CASE}/": [],
    f"/requests/{CASE}/feed/": [],
    f"/requests/{CASE}/embed/": [],
    "/feeds/latest/": [],
    "/stats/": ["page"],
    "/coalitions/": ["page"],
    f"/coalitions/{COALITION}/": [],
    f"/coalitions/{COALITION}/feed/": [],
    "/organisations/": ["page"],
    f"/organisations/{ORGANISATION}/": [],
    f"/organisations/{ORGANISATION}/feed/": [],
    "/api/": ["format"],
    "/api/requests/": [*LIST_PARAMS, "format"],
    f"/api/requests/{CASE}/": ["format"],
    "/api/coalitions/": ["page", "format"],
    f"/api/coalitions/{COALITION}/": ["format"],
    "/api/organisations/": ["page", "format"],
    f"/api/organisations/{ORGANISATION}/": ["format"],
    "/api/schema/": ["format", "lang", "version"],
    "/api/docs/": ["lang", "version"],
    "/sitemap.xml": ["p"],
    "/sitemap-requests.xml": ["p"],
    "/robots.txt": [],
}

KNOWN_VALUES = [
    "",
    "\x00",
    "a\x00b",
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "last",
    "9" * 40,
    "-" + "9" * 40,
    "2022",
    "99999",
    "refused",
    "overdue",
    CASE,
    COALITION,
    ORGANISATION,
    "'",
    '"',
    '"unclosed',
    "!",
    "&",
    "|",
    "<->",
    ":*",
    "or",
    "-or",
    "(",
    "\\",
    "%",
    "_",
    "<script>alert(1)</script>",
    "\ue000mark\ue001",
    "\u202eright-to-left",
    "🙂" * 50,
    "json",
    "openapi",
    "api",
    "xx",
    "../../etc/passwd",
    *RequestStatus.values,
]
# Searches as big as those that tied up the server: a 50,000-character word, a thousand words.
HUGE_VALUES = ["x" * 50_000, " ".join(["incidents"] * 1000), "or " * 3000, "a-" * 5000]
HOSTILE_VALUES = st.one_of(
    st.sampled_from(KNOWN_VALUES),
    st.sampled_from(HUGE_VALUES),
    st.text(max_size=60),
    st.integers().map(str),
    # Huge values: a long run of some text, and many words.
    st.builds(
        lambda chunk, times: chunk * times, st.text(min_size=1, max_size=4), st.integers(1, 60_000)
    ),
    st.lists(
        st.sampled_from(["incidents", "children", "or", "-care", '"48', "x"]), max_size=1200
    ).map(" ".join),
)
# Raw endings that no encoder of text produces: bytes that are not UTF-8, names without values.
RAW_ENDINGS = st.sampled_from(
    ["", "&q=%ff%fe", "&page=%c0%80", "&%00=1", "&q", "&=", "&&&", "&q=%"]
)

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,  # keep no example database in the project folder
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def public_data(db):
    """The demo case, a request with hostile text in it, and a draft."""
    demo_load()
    hostile = RequestFactory(
        title='=HYPERLINK("x") <b>bold</b>', summary="\ue000marked\ue001 and\x0bvertical tab"
    )
    LetterFactory(request=hostile, body="<img src=x onerror=alert(1)> incidents\x01")
    RequestFactory(is_published=False, title="A draft about incidents")


def fetch(url):
    """Return the status of a GET, reading a streamed body to its end."""
    response = Client().get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response.status_code


def query_params(names):
    """Draw repeated and unknown parameters with hostile values, for an endpoint's names."""
    return st.lists(st.tuples(st.sampled_from([*names, "sort", "zz"]), HOSTILE_VALUES), max_size=8)


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_hostile_query_parameters_never_give_a_server_error(public_data, path):
    @FUZZ
    @given(pairs=query_params(ENDPOINTS[path]), ending=RAW_ENDINGS)
    @example(pairs=[("q", HUGE_VALUES[0])], ending="")
    @example(pairs=[("q", HUGE_VALUES[1]), ("status", "refused"), ("q", "x")], ending="")
    def check(pairs, ending):
        status = fetch(f"{path}?{urlencode(pairs)}{ending}")
        assert status < HTTPStatus.INTERNAL_SERVER_ERROR, (pairs, ending)

    check()


ITEM_ADDRESSES = [
    "/requests/{}/",
    "/requests/{}/feed/",
    "/requests/{}/embed/",
    "/coalitions/{}/",
    "/organisations/{}/feed/",
    "/api/requests/{}/",
    "/api/coalitions/{}/",
    "/api/organisations/{}/",
    "/sitemap-{}.xml",
    f"/requests/{CASE}/letters/{{}}/attachment/",
]


@pytest.mark.parametrize("address", ITEM_ADDRESSES)
def test_hostile_item_addresses_never_give_a_server_error(public_data, address):
    @FUZZ
    @given(part=st.one_of(HOSTILE_VALUES, st.integers().map(str)).filter(bool))
    def check(part):
        status = fetch(address.format(quote(part, safe="")))
        assert status < HTTPStatus.INTERNAL_SERVER_ERROR, part

    check()
