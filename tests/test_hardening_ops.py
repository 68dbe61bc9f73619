"""Hardening for operations: outages, production settings, security headers, logins, backups."""

import io
import json
import os
import re
import subprocess
import sys
import tarfile
from datetime import timedelta
from http import HTTPStatus
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns.api import CoalitionViewSet
from campaigns.errors import RETRY_AFTER_SECONDS
from campaigns.models import Attachment, Letter, Request
from campaigns.views import HomeView
from tests.documents import pdf
from tests.factories import LetterFactory, attach
from tests.outages import Proxy, wsgi_get
from tests.test_settings import ROOT, SECRET_KEY, evaluate

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="A real outage of the test database needs PostgreSQL's network connection.",
)

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": SECRET_KEY,
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
}


def fresh_process(command, **env):
    """Run a command in a fresh process with only the given tracker variables set."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_"))
    }
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def start_up(**env):
    """Load the settings in a fresh process; return the finished process."""
    return fresh_process([sys.executable, "-c", "import django; django.setup()"], **env)


# --- Outages: 503 within the connect timeout, JSON under /api/, recovery without restart -------


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Collect the static files once, as the image does, for pages rendered in production mode."""
    root = tmp_path_factory.mktemp("static")
    result = fresh_process(
        [sys.executable, "manage.py", "collectstatic", "--no-input"],
        DJANGO_STATIC_ROOT=str(root),
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    return root


def during_outage(mode, *paths, static_root, **env):
    """Ask for paths in production mode with the database in an outage; return the answers."""
    result = fresh_process(
        [sys.executable, "-m", "tests.outages", mode, *paths],
        DJANGO_STATIC_ROOT=str(static_root),
        **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
        **env,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def assert_friendly_503(page, api):
    assert page["status"] == HTTPStatus.SERVICE_UNAVAILABLE
    assert page["headers"]["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert page["headers"]["Content-Type"].startswith("text/html")
    assert "<h1>Back in a moment</h1>" in page["body"]
    assert f"try again in {RETRY_AFTER_SECONDS} seconds" in page["body"]
    assert "Content-Security-Policy" in page["headers"]
    assert api["status"] == HTTPStatus.SERVICE_UNAVAILABLE
    assert api["headers"]["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert api["headers"]["Content-Type"] == "application/json"
    assert "try again" in json.loads(api["body"])["detail"]


def test_an_unreachable_database_gets_a_friendly_503_at_once(static_root):
    page, api = during_outage("closed", "/requests/", "/api/requests/", static_root=static_root)
    assert_friendly_503(page, api)
    assert page["seconds"] < 3 and api["seconds"] < 3


def test_a_database_that_never_answers_gets_a_503_within_the_connect_timeout(static_root):
    page, api = during_outage(
        "silent",
        "/requests/",
        "/api/requests/",
        static_root=static_root,
        DATABASE_CONNECT_TIMEOUT="2",
    )
    assert_friendly_503(page, api)
    for answer in (page, api):
        assert 2 <= answer["seconds"] < 3.5


def test_a_database_that_fails_mid_request_gets_a_503_and_the_next_request_works(
    client, monkeypatch, db
):
    client.raise_request_exception = False

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refuse)
        down = client.get("/requests/")
        api_down = client.get("/api/requests/")
    assert down.status_code == api_down.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert down["Retry-After"] == api_down["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert api_down.json()["detail"].startswith("The service is unavailable")
    assert client.get("/requests/").status_code == HTTPStatus.OK
    assert client.get("/api/requests/").status_code == HTTPStatus.OK


def test_pages_in_the_page_cache_are_still_served_while_the_database_is_down(
    client, monkeypatch, settings, demo
):
    settings.PAGE_CACHE_SECONDS = 60
    assert client.get(demo.get_absolute_url())["X-Cache"] == "miss"
    client.raise_request_exception = False

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refuse)
        cached = client.get(demo.get_absolute_url())
        uncached = client.get("/stats/")
    assert cached.status_code == HTTPStatus.OK and cached["X-Cache"] == "hit"
    assert uncached.status_code == HTTPStatus.SERVICE_UNAVAILABLE


@on_postgresql
def test_the_site_reconnects_by_itself_once_the_database_is_back(transactional_db):
    """Through the WSGI application gunicorn runs, with a real connection lost and regained."""
    real = connection.settings_dict.copy()
    proxy = Proxy((real["HOST"] or "127.0.0.1", int(real["PORT"] or 5432)))
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    try:
        assert wsgi_get("/requests/")["status"] == HTTPStatus.SERVICE_UNAVAILABLE
        proxy.relaying = True
        assert wsgi_get("/requests/")["status"] == HTTPStatus.OK
        # The connection kept open since the last request dies with the server ...
        proxy.cut()
        assert wsgi_get("/requests/")["status"] == HTTPStatus.SERVICE_UNAVAILABLE
        # ... and a new one is made as soon as the server is back.
        proxy.relaying = True
        assert wsgi_get("/requests/")["status"] == HTTPStatus.OK
    finally:
        connection.close()
        connection.settings_dict.update(HOST=real["HOST"], PORT=real["PORT"])
        proxy.close()


@pytest.mark.django_db
def test_api_server_errors_are_json_and_site_errors_are_the_site_s_page(client, monkeypatch):
    client.raise_request_exception = False

    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(CoalitionViewSet, "list", fail)
    monkeypatch.setattr(HomeView, "get", fail)
    api = client.get("/api/coalitions/")
    assert api.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert api.json() == {"detail": "A server error occurred."}
    assert "Retry-After" not in api
    page = client.get("/")
    assert page.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert "<h1>Something went wrong</h1>" in page.content.decode()


@pytest.mark.django_db
def test_api_errors_of_every_kind_are_json(client):
    client.raise_request_exception = False
    missing = client.get("/api/no-such-thing/")
    assert missing.status_code == HTTPStatus.NOT_FOUND
    assert missing.json() == {"detail": "Not found."}
    bad_host = client.get("/api/coalitions/", HTTP_HOST="evil.example")
    assert bad_host.status_code == HTTPStatus.BAD_REQUEST
    assert bad_host.json() == {"detail": "Bad request."}


# --- Production settings -------------------------------------------------------------------------


def test_check_deploy_passes_with_hsts_and_the_ssl_redirect_turned_on():
    result = fresh_process(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_SSL_REDIRECT="1",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_hsts_and_the_ssl_redirect_are_off_until_asked_for():
    off = "settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT"
    assert evaluate(off, **PRODUCTION) == (0, False)
    on = evaluate(
        off + ", settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DJANGO_SECURE_SSL_REDIRECT="yes",
        **PRODUCTION,
    )
    assert on == (31536000, True, True, True)
    assert evaluate("settings.SECURE_PROXY_SSL_HEADER", **PRODUCTION) == (
        "HTTP_X_FORWARDED_PROTO",
        "https",
    )


@pytest.mark.parametrize("value", ["flase", "2", "enabled", "O"])
def test_a_flag_that_is_neither_true_nor_false_stops_start_up_naming_it(value):
    result = start_up(DJANGO_DEBUG=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_DEBUG must be one of" in result.stderr
    assert repr(value) in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", False), ("off", False), ("FALSE", False), (" no ", False), ("1", True), ("On", True)],
)
def test_true_and_false_words_are_read_in_any_case(value, expected):
    assert evaluate("settings.SESSION_COOKIE_SECURE", DJANGO_SECURE_COOKIES=value) is expected


@pytest.mark.parametrize(
    "key",
    [
        "short-secret-key",
        "k" * 50,  # long but only one character
        "abcd" * 20,  # four different characters
        "django-insecure-" + "0123456789abcdef" * 4,
    ],
)
def test_a_weak_secret_key_is_refused_in_production(key):
    result = start_up(**{**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak for production" in result.stderr
    assert key not in result.stderr


def test_a_short_secret_key_is_allowed_while_developing():
    assert start_up(DJANGO_SECRET_KEY="x").returncode == 0


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_CONN_MAX_AGE", "sixty"),
        ("DATABASE_CONNECT_TIMEOUT", "5s"),
        ("DATABASE_STATEMENT_TIMEOUT_MS", "1.5"),
        ("DJANGO_PAGE_CACHE_SECONDS", "-1"),
        ("DJANGO_FIGURES_CACHE_SECONDS", "1h"),
        ("ATTACHMENT_MAX_BYTES", "20MB"),
        ("STATS_MIN_REQUESTS_TO_RANK", "three"),
        ("DJANGO_SECURE_HSTS_SECONDS", "a year"),
        ("DJANGO_LOGIN_FAILURE_LIMIT", "0"),
        ("DJANGO_LOGIN_LOCKOUT_MINUTES", "15m"),
    ],
)
def test_a_number_that_is_not_a_whole_number_in_range_stops_start_up_naming_it(name, value):
    result = start_up(**{name: value})
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {name} must be a whole number of at least" in result.stderr
    assert repr(value) in result.stderr


def test_an_unknown_log_level_stops_start_up_naming_it():
    result = start_up(DJANGO_LOG_LEVEL="LOUD")
    assert "ImproperlyConfigured: DJANGO_LOG_LEVEL must be one of DEBUG, INFO" in result.stderr
    assert evaluate("settings.LOGGING['root']['level']", DJANGO_LOG_LEVEL="warning") == "WARNING"


def test_numbers_and_flags_still_have_their_defaults_when_unset_or_empty():
    names = "settings.DATABASE_CONNECT_TIMEOUT, settings.ATTACHMENT_MAX_BYTES, settings.DEBUG"
    assert evaluate(names) == (5, 20 * 1024 * 1024, True)
    assert evaluate(names, DATABASE_CONNECT_TIMEOUT="", DJANGO_DEBUG=" ") == (5, 20971520, True)


# --- Security headers ----------------------------------------------------------------------------

STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response):
    """Return a response's Content-Security-Policy as a dict of directive to sources."""
    directives = (
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return {name: sources for name, sources in directives}


def assert_security_headers(response):
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def public_paths(demo):
    letter = demo.letters.first()
    attachment = attach(letter, pdf("The letter"), "letter.pdf")
    return [
        "/",
        "/requests/",
        "/requests/?q=48",
        demo.get_absolute_url(),
        demo.coalition.get_absolute_url(),
        demo.recipient.get_absolute_url(),
        "/coalitions/",
        "/organisations/",
        "/stats/",
        "/feeds/latest/",
        "/requests/export.csv",
        "/robots.txt",
        "/sitemap.xml",
        "/api/",
        "/api/requests/",
        "/api/schema/",
        "/no-such-page/",
        "/admin/login/",
        reverse("campaigns:letter-attachment", args=[demo.slug, letter.pk]),
        reverse("campaigns:attachment", args=[demo.slug, attachment.pk]),
    ]


def test_every_page_has_the_strict_policy_and_refuses_to_be_framed(client, demo):
    for path in public_paths(demo):
        response = client.get(path)
        assert response.status_code < 500, path
        if "sandbox" in response.get("Content-Security-Policy", ""):
            continue  # an attachment, served with a policy of its own
        assert policy(response) == STRICT_POLICY, path
        assert response["X-Frame-Options"] == "DENY", path
        assert_security_headers(response)


def test_admin_pages_have_the_strict_policy(staff_client, demo):
    for path in (
        "/admin/",
        "/admin/campaigns/request/",
        f"/admin/campaigns/request/{demo.pk}/change/",
    ):
        response = staff_client.get(path)
        assert response.status_code == HTTPStatus.OK
        assert policy(response) == STRICT_POLICY, path
        assert response["X-Frame-Options"] == "DENY"
        assert_security_headers(response)


def test_the_embed_page_may_be_framed_anywhere_and_nothing_else_is_loosened(client, demo):
    response = client.get(reverse("campaigns:request-embed", args=[demo.slug]))
    assert policy(response) == {**STRICT_POLICY, "frame-ancestors": "*"}
    assert "X-Frame-Options" not in response
    assert_security_headers(response)


def test_the_api_docs_may_show_data_images_and_nothing_else_is_loosened(client, db):
    response = client.get("/api/docs/")
    assert policy(response) == {**STRICT_POLICY, "img-src": "'self' data:"}
    assert response["X-Frame-Options"] == "DENY"


def test_pages_served_from_the_cache_carry_the_same_policy(client, demo, settings):
    settings.PAGE_CACHE_SECONDS = 60
    embed = reverse("campaigns:request-embed", args=[demo.slug])
    for path, expected in (
        ("/", STRICT_POLICY),
        (embed, {**STRICT_POLICY, "frame-ancestors": "*"}),
    ):
        client.get(path)
        hit = client.get(path)
        assert hit["X-Cache"] == "hit"
        assert policy(hit) == expected
        assert_security_headers(hit)


def inline_code(html):
    """Return the inline scripts, styles and event handlers in a page, which the policy refuses."""
    found = re.findall(r"<script\b(?![^>]*\bsrc=)[^>]*>", html)
    found += re.findall(r"<style\b[^>]*>", html)
    found += re.findall(r"<[^>]*\s(?:style|on[a-z]+)=[^>]*>", html)
    found += re.findall(r"javascript:", html)
    return found


def test_no_page_has_inline_scripts_or_styles(client, staff_client, demo):
    anonymous_paths = [*public_paths(demo), reverse("campaigns:request-embed", args=[demo.slug])]
    pages = [client.get(path) for path in anonymous_paths if "api" not in path]
    pages.append(client.get("/api/docs/"))
    admin_paths = [
        "/admin/",
        "/admin/campaigns/request/",
        "/admin/campaigns/request/add/",
        f"/admin/campaigns/request/{demo.pk}/change/",
        f"/admin/campaigns/coalition/{demo.coalition.pk}/change/",
        "/admin/campaigns/organisation/add/",
        "/admin/campaigns/person/add/",
    ]
    pages += [staff_client.get(path) for path in admin_paths]
    for response in pages:
        if response["Content-Type"].startswith("text/html"):
            assert inline_code(response.content.decode()) == [], response.request["PATH_INFO"]


def test_a_form_refused_by_the_csrf_check_says_what_to_do_in_the_site_s_style(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "a", "password": "b"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    page = response.content.decode()
    assert "<h1>This form could not be sent</h1>" in page
    assert "Go back: what you typed is usually still there." in page
    assert "accepts cookies from this site" in page
    assert inline_code(page) == []


def test_the_error_pages_have_no_inline_scripts_or_styles(client, db):
    for name in ("500.html", "503.html", "403_csrf.html"):
        assert inline_code(render_to_string(name)) == [], name


# --- Admin login throttling ----------------------------------------------------------------------

PASSWORD = "x-long-pw-1"


@pytest.fixture
def campaigner(django_user_model):
    return django_user_model.objects.create_superuser("campaigner", "c@example.org", PASSWORD)


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def test_admin_login_locks_out_a_username_and_address_after_too_many_wrong_passwords(
    client, campaigner
):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        answer = log_in(client, "campaigner", "wrong")
        assert answer.status_code == HTTPStatus.OK
        assert "Please enter the correct username and password" in answer.content.decode()
    locked = log_in(client, "campaigner", "wrong")
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    page = locked.content.decode()
    assert "Too many failed logins" in page
    assert f"After {limit} wrong passwords in a row" in page
    assert f"paused for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in page
    # Even the right password is refused while locked out ...
    assert log_in(client, "campaigner", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    # ... but only for that username from that address.
    assert log_in(client, "campaigner", PASSWORD, address="198.51.100.1").status_code == 302


def test_behind_a_trusted_proxy_lockouts_follow_the_forwarded_address(client, campaigner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"

    def via_proxy(client_address, password):
        return client.post(
            reverse("admin:login"),
            {"username": "campaigner", "password": password, "next": "/admin/"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.99, {client_address}",  # the first one is forged
        )

    for _ in range(settings.AXES_FAILURE_LIMIT):
        via_proxy("203.0.113.7", "wrong")
    assert via_proxy("203.0.113.7", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    # The same proxy forwarding someone else: not locked out.
    assert via_proxy("198.51.100.1", PASSWORD).status_code == HTTPStatus.FOUND


def test_a_lockout_ends_after_the_cool_off_time(client, campaigner, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "campaigner", "wrong")
    assert log_in(client, "campaigner", PASSWORD).status_code == HTTPStatus.TOO_MANY_REQUESTS
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert log_in(client, "campaigner", PASSWORD).status_code == HTTPStatus.FOUND


def test_a_successful_login_clears_the_count_of_failures(client, campaigner):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "campaigner", "wrong")
    assert log_in(client, "campaigner", PASSWORD).status_code == HTTPStatus.FOUND
    client.logout()
    assert log_in(client, "campaigner", "wrong").status_code == HTTPStatus.OK


def test_logins_made_in_code_still_work(client, campaigner):
    assert client.login(username="campaigner", password=PASSWORD)
    assert client.get("/admin/").status_code == HTTPStatus.OK
    client.logout()
    assert not client.login(username="campaigner", password="wrong")
    client.force_login(campaigner)
    assert client.get("/admin/").status_code == HTTPStatus.OK


# --- Backups -------------------------------------------------------------------------------------

# Every byte value, so that any change on the way through the archive shows.
ATTACHMENT = pdf("The attachment's own words.")


def saved_rows():
    """Return what a backup must bring back: requests with their stored facts, and letters."""
    return {
        "requests": list(
            Request.objects.values_list(
                "pk", "slug", "title", "first_sent_on", "open_due_on", "search_vector"
            )
        ),
        "letters": list(Letter.objects.values_list("pk", "body", "due_on")),
        "attachments": list(Attachment.objects.values_list("pk", "letter", "file", "text")),
        "members": list(Request.objects.values_list("coalition__members__slug", flat=True)),
    }


def test_backup_then_restore_brings_back_the_rows_and_the_attachment_bytes(
    transactional_db, tmp_path
):
    letter = LetterFactory(body="The letter's own words.")
    stored = Path(attach(letter, ATTACHMENT, "letter.pdf").file.path)
    before = saved_rows()
    archive = tmp_path / "tracker-backup.tar.gz"

    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    stored.unlink()
    assert not Request.objects.exists() and not stored.exists()

    call_command("restore", str(archive), interactive=False)
    assert saved_rows() == before
    assert stored.read_bytes() == ATTACHMENT


def test_a_backup_streams_to_standard_output_and_restores_from_standard_input(
    transactional_db, monkeypatch, capsysbinary
):
    LetterFactory(body="Streamed.")
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO()))
    call_command("backup", "-")
    sys.stdout.flush()
    archive = sys.stdout.buffer.getvalue()
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        assert {"manifest.json", "data.json"} <= set(tar.getnames())
    Letter.objects.all().delete()

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(archive)))
    call_command("restore", "-", interactive=False)
    assert Letter.objects.get().body == "Streamed."


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(transactional_db, tmp_path):
    LetterFactory()
    not_a_backup = tmp_path / "notes.tar.gz"
    not_a_backup.write_bytes(b"just some words")
    with pytest.raises(CommandError, match="Nothing was restored: Could not read the backup"):
        call_command("restore", str(not_a_backup), interactive=False)
    assert Letter.objects.count() == 1


def test_restore_refuses_a_backup_from_another_database_structure(transactional_db, tmp_path):
    archive = tmp_path / "old.tar.gz"
    call_command("backup", str(archive))
    edited = tmp_path / "edited.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(edited, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.load(content)
                manifest["migrations"].append("campaigns.9999_from_the_future")
                data = json.dumps(manifest).encode()
                member.size = len(data)
                content = io.BytesIO(data)
            target.addfile(member, content)
    LetterFactory()
    with pytest.raises(CommandError, match="campaigns.9999_from_the_future"):
        call_command("restore", str(edited), interactive=False)
    assert Letter.objects.count() == 1


def test_restore_from_standard_input_needs_no_input_to_be_said(db):
    with pytest.raises(CommandError, match="add --no-input"):
        call_command("restore", "-")
