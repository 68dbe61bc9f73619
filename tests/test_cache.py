"""The page cache: visitors get stored pages; campaigners and new data never see old ones."""

import os
import uuid
from datetime import timedelta
from http import HTTPStatus
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from campaigns.cache import data_version, public_data_changed, storable_vary
from campaigns.choices import MembershipRole
from campaigns.models import Organisation
from tests.factories import (
    CoalitionFactory,
    OrganisationFactory,
    RecipientFactory,
    RequestFactory,
)

pytestmark = pytest.mark.django_db

REQUESTS = "/requests/"
ORGANISATIONS = reverse("campaigns:organisation-list")
REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """Cache pages in this process's memory, empty at the start of each test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-tests",
        }
    }
    settings.PAGE_CACHE_SECONDS = 300
    caches["default"].clear()


@pytest.fixture
def visitor():
    """Return a browser of someone who is not logged in."""
    return Client()


def admin_form_data(response, **changes):
    """Return the POST data that saves an admin change form as shown, with some fields changed."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, list | tuple):
                value = [str(item) for item in value]
            else:
                value = str(value)
            data[form.add_prefix(name)] = value
    return data | changes


# --- Hits and misses ------------------------------------------------------------------------------


def test_second_anonymous_view_is_served_from_the_cache_without_queries(
    visitor, django_assert_num_queries
):
    RecipientFactory(name="Article 39")
    first = visitor.get(ORGANISATIONS)
    with django_assert_num_queries(0):
        second = visitor.get(ORGANISATIONS)

    assert first.status_code == second.status_code == HTTPStatus.OK
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert b"Article 39" in second.content
    assert {name: value for name, value in second.items() if name != "X-Cache"} == {
        name: value for name, value in first.items() if name != "X-Cache"
    }


def test_rendering_a_page_runs_queries_that_a_cached_view_does_not(visitor):
    RecipientFactory.create_batch(3)
    with CaptureQueriesContext(connection) as rendering:
        visitor.get(ORGANISATIONS)
    with CaptureQueriesContext(connection) as cached:
        visitor.get(ORGANISATIONS)
    assert (len(rendering) > 0, len(cached)) == (True, 0)


def test_head_is_answered_from_the_page_stored_for_get(visitor):
    visitor.get(ORGANISATIONS)
    assert visitor.head(ORGANISATIONS)["X-Cache"] == "hit"


def test_query_strings_are_cached_apart(visitor):
    assert visitor.get(ORGANISATIONS, {"page": "1"})["X-Cache"] == "miss"
    assert visitor.get(ORGANISATIONS, {"page": "1"})["X-Cache"] == "hit"
    assert visitor.get(ORGANISATIONS)["X-Cache"] == "miss"
    assert visitor.get(ORGANISATIONS, {"page": "1", "sort": "x"})["X-Cache"] == "miss"


def test_hosts_are_cached_apart(visitor, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.org"]
    visitor.get(ORGANISATIONS)
    assert visitor.get(ORGANISATIONS, headers={"host": "other.example.org"})["X-Cache"] == "miss"


def test_page_cache_seconds_zero_turns_the_cache_off(visitor, settings):
    settings.PAGE_CACHE_SECONDS = 0
    visitor.get(ORGANISATIONS)
    assert "X-Cache" not in visitor.get(ORGANISATIONS)


def test_a_new_day_renders_every_page_afresh(visitor):
    visitor.get(ORGANISATIONS)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        assert visitor.get(ORGANISATIONS)["X-Cache"] == "miss"
        assert visitor.get(ORGANISATIONS)["X-Cache"] == "hit"


# --- Campaigners ----------------------------------------------------------------------------------


def test_logged_in_campaigner_is_never_served_a_cached_page(visitor, admin_client):
    RecipientFactory(name="Article 39")
    visitor.get(ORGANISATIONS)
    assert visitor.get(ORGANISATIONS)["X-Cache"] == "hit"

    response = admin_client.get(ORGANISATIONS)
    assert response.status_code == HTTPStatus.OK
    assert "X-Cache" not in response
    assert b"Article 39" in response.content


def test_a_page_rendered_for_a_logged_in_user_is_never_stored(rf, admin_user):
    request = rf.get(ORGANISATIONS)
    request.user = AnonymousUser()
    assert storable_vary(request, HttpResponse("public")) == ()
    request.user = admin_user
    assert storable_vary(request, HttpResponse("public")) is None


def test_logged_in_campaigner_never_fills_the_cache(visitor, admin_client):
    admin_client.get(ORGANISATIONS)
    admin_client.get(ORGANISATIONS)
    assert visitor.get(ORGANISATIONS)["X-Cache"] == "miss"


def test_visitor_with_a_session_or_messages_cookie_bypasses_the_cache(visitor):
    visitor.get(ORGANISATIONS)
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
    assert "X-Cache" not in visitor.get(ORGANISATIONS)
    del visitor.cookies[settings.SESSION_COOKIE_NAME]
    visitor.cookies["messages"] = "a-flash-message"
    assert "X-Cache" not in visitor.get(ORGANISATIONS)


# --- Writes show on the next view ---------------------------------------------------------------


def test_saving_through_the_orm_shows_on_the_next_view(visitor, django_capture_on_commit_callbacks):
    organisation = RecipientFactory(name="Old name")
    visitor.get(ORGANISATIONS)
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "New name"
        organisation.save()

    response = visitor.get(ORGANISATIONS)
    assert response["X-Cache"] == "miss"
    assert b"New name" in response.content


def test_deleting_through_the_orm_shows_on_the_next_view(
    visitor, django_capture_on_commit_callbacks
):
    # A public organisation cannot be deleted (its requests protect it); a request can.
    request = RequestFactory(title="Gone soon")
    assert b"Gone soon" in visitor.get(REQUESTS).content
    with django_capture_on_commit_callbacks(execute=True):
        request.delete()
    assert b"Gone soon" not in visitor.get(REQUESTS).content


def test_saving_through_the_admin_shows_on_the_next_view(
    visitor, admin_client, django_capture_on_commit_callbacks
):
    organisation = RecipientFactory(name="Old name")
    visitor.get(ORGANISATIONS)
    change = reverse("admin:campaigns_organisation_change", args=[organisation.pk])
    form = admin_client.get(change)
    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_client.post(change, admin_form_data(form, name="Renamed in the admin"))
    assert saved.status_code == HTTPStatus.FOUND, saved.context["adminform"].form.errors

    response = visitor.get(ORGANISATIONS)
    assert response["X-Cache"] == "miss"
    assert b"Renamed in the admin" in response.content


def test_deleting_through_the_admin_shows_on_the_next_view(
    visitor, admin_client, django_capture_on_commit_callbacks
):
    request = RequestFactory(title="Deleted in the admin")
    assert b"Deleted in the admin" in visitor.get(REQUESTS).content
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:campaigns_request_changelist"),
            {"action": "delete_selected", "_selected_action": [request.pk], "post": "yes"},
        )
    assert b"Deleted in the admin" not in visitor.get(REQUESTS).content


def test_changing_a_many_to_many_relation_starts_a_new_version(
    django_capture_on_commit_callbacks,
):
    coalition = CoalitionFactory(members=[])
    organisation = OrganisationFactory()
    versions = [data_version()]
    with django_capture_on_commit_callbacks(execute=True):
        coalition.members.add(organisation, through_defaults={"role": MembershipRole.MEMBER})
    versions.append(data_version())
    with django_capture_on_commit_callbacks(execute=True):
        coalition.members.remove(organisation)
    versions.append(data_version())
    assert len(set(versions)) == 3


def test_the_version_changes_when_the_write_commits_not_before(django_capture_on_commit_callbacks):
    before = data_version()
    with django_capture_on_commit_callbacks() as callbacks:
        OrganisationFactory()
        assert data_version() == before
    for callback in callbacks:
        callback()
    assert data_version() != before


def test_a_rolled_back_write_keeps_the_cached_pages(visitor, django_capture_on_commit_callbacks):
    visitor.get(ORGANISATIONS)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        OrganisationFactory()
        raise RuntimeError("cancelled")
    assert visitor.get(ORGANISATIONS)["X-Cache"] == "hit"


def test_service_writes_without_signals_can_drop_the_pages(
    visitor, django_capture_on_commit_callbacks
):
    organisation = RecipientFactory(name="Before update")
    visitor.get(ORGANISATIONS)
    with django_capture_on_commit_callbacks(execute=True):
        Organisation.objects.filter(pk=organisation.pk).update(name="After update")
        public_data_changed()
    assert b"After update" in visitor.get(ORGANISATIONS).content


# --- What is never stored -------------------------------------------------------------------------


def plain(request):
    return HttpResponse(f"query: {request.GET.urlencode()}")


def not_found(request):
    return HttpResponse("gone", status=HTTPStatus.NOT_FOUND)


def sets_cookie(request):
    response = HttpResponse("here is a cookie")
    response.set_cookie("seen", "yes")
    return response


def uses_csrf_token(request):
    return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")


def private(request):
    response = HttpResponse("only for you")
    response["Cache-Control"] = "private"
    return response


def streaming(request):
    return StreamingHttpResponse(iter([b"a ", b"stream"]))


def negotiated(request):
    response = HttpResponse(request.headers.get("Accept", ""))
    patch_vary_headers(response, ["Accept"])
    return response


urlpatterns = [
    path("plain/", plain),
    path("not-found/", not_found),
    path("sets-cookie/", sets_cookie),
    path("uses-csrf-token/", uses_csrf_token),
    path("private/", private),
    path("streaming/", streaming),
    path("negotiated/", negotiated),
    path("admin/plain/", plain),
]


@pytest.mark.urls("tests.test_cache")
@pytest.mark.parametrize(
    "address",
    ["/not-found/", "/sets-cookie/", "/uses-csrf-token/", "/private/", "/streaming/"],
)
def test_responses_that_are_not_public_pages_are_not_stored(visitor, address):
    visitor.get(address)
    assert visitor.get(address)["X-Cache"] == "miss"


@pytest.mark.urls("tests.test_cache")
def test_admin_addresses_are_not_cached(visitor):
    visitor.get("/admin/plain/")
    assert "X-Cache" not in visitor.get("/admin/plain/")


@pytest.mark.urls("tests.test_cache")
def test_post_is_neither_served_from_nor_stored_in_the_cache(visitor):
    visitor.get("/plain/")
    response = visitor.post("/plain/")
    assert response.status_code == HTTPStatus.OK
    assert "X-Cache" not in response


@pytest.mark.urls("tests.test_cache")
def test_query_strings_get_their_own_pages(visitor):
    assert visitor.get("/plain/?a=1").content == b"query: a=1"
    assert visitor.get("/plain/?a=2").content == b"query: a=2"
    assert visitor.get("/plain/?a=1")["X-Cache"] == "hit"


@pytest.mark.urls("tests.test_cache")
def test_a_page_that_varies_on_a_header_is_served_only_to_requests_that_match(visitor):
    json = {"accept": "application/json"}
    html = {"accept": "text/html"}
    visitor.get("/negotiated/", headers=json)
    assert visitor.get("/negotiated/", headers=json)["X-Cache"] == "hit"
    response = visitor.get("/negotiated/", headers=html)
    assert (response["X-Cache"], response.content) == ("miss", b"text/html")
    response = visitor.get("/negotiated/", headers=html)
    assert (response["X-Cache"], response.content) == ("hit", b"text/html")


@pytest.mark.urls("tests.test_cache")
def test_pages_are_still_served_when_the_cache_is_down(visitor, caplog):
    with mock.patch.object(caches["default"], "get", side_effect=ConnectionError("down")):
        response = visitor.get("/plain/")
    assert response.status_code == HTTPStatus.OK
    assert "Page cache unavailable" in caplog.text


# --- Redis, as in docker compose -------------------------------------------------------------


@pytest.fixture
def redis_cache(settings):
    """Use a local Redis, as docker compose does; required in CI, skipped elsewhere if down."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        message = f"No Redis at {REDIS_URL}."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " In CI this test must run.")
        pytest.skip(message)
    prefix = f"page-cache-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_redis_serves_pages_and_drops_them_on_write(
    redis_cache, visitor, django_assert_num_queries, django_capture_on_commit_callbacks
):
    organisation = RecipientFactory(name="Old name")
    assert visitor.get(ORGANISATIONS)["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert visitor.get(ORGANISATIONS)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        organisation.name = "New name"
        organisation.save()
    assert b"New name" in visitor.get(ORGANISATIONS).content


def test_figures_over_every_request_are_counted_once_per_data_version(
    visitor, settings, django_capture_on_commit_callbacks
):
    from tests.factories import LetterFactory

    settings.PAGE_CACHE_SECONDS = 0  # only the figures are kept
    settings.FIGURES_CACHE_SECONDS = 300
    LetterFactory()
    with CaptureQueriesContext(connection) as first:
        assert "Browse all 1 request" in visitor.get("/").content.decode()
    with CaptureQueriesContext(connection) as second:
        visitor.get("/")
    # The counts by status come from the cache, and so does the next embargo's end.
    assert len(second) == len(first) - 2

    with django_capture_on_commit_callbacks(execute=True):
        LetterFactory()
    assert "Browse all 2 requests" in visitor.get("/").content.decode()
    assert "Browse all 2 requests" in visitor.get("/").content.decode()


def test_a_calendar_is_built_once_per_data_version(
    visitor, settings, django_capture_on_commit_callbacks
):
    from icalendar import Calendar

    from tests.factories import LetterFactory

    settings.PAGE_CACHE_SECONDS = 0  # only the built calendar is kept
    settings.FIGURES_CACHE_SECONDS = 300
    request = LetterFactory(date=timezone.localdate()).request
    url = reverse("campaigns:coalition-calendar", args=[request.coalition.slug])

    def events():
        return len(Calendar.from_ical(visitor.get(url).content).walk("VEVENT"))

    with CaptureQueriesContext(connection) as first:
        assert events() == 1
    with CaptureQueriesContext(connection) as second:
        assert events() == 1
    assert len(second) == len(first) - 3  # the requests, the commitments, the embargo's end

    with django_capture_on_commit_callbacks(execute=True):
        LetterFactory(request__coalition=request.coalition, date=timezone.localdate())
    assert events() == 2


def test_a_page_reads_the_data_version_once_for_all_its_figures(
    visitor, settings, django_capture_on_commit_callbacks
):
    from campaigns.cache import VERSION_KEY, page_cache

    settings.FIGURES_CACHE_SECONDS = 300
    RequestFactory(title="Publish the analysis")
    search = f"{REQUESTS}?q=analysis"
    cache = page_cache()
    data_version()  # started, as the first page after a write does
    for cache_seconds in (0, 300):  # figures alone, then the page kept too
        settings.PAGE_CACHE_SECONDS = cache_seconds
        with mock.patch.object(cache, "get", wraps=cache.get) as get:
            assert "Publish the analysis" in visitor.get(search).content.decode()
        keys = [call.args[0] for call in get.call_args_list]
        # The search's figures: the two lists of choices and the organisations' names.
        assert sum(":option-elements:" in key or ":public-" in key for key in keys) >= 3
        assert keys.count(VERSION_KEY) == 1

    with django_capture_on_commit_callbacks(execute=True):
        RequestFactory(title="Publish the other analysis")
    assert "Publish the other analysis" in visitor.get(search).content.decode()
