"""Start-up configuration from the environment."""

import ast
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Production refuses weak keys, as check --deploy would flag them: 50 characters, 5 different.
SECRET_KEY = "a-production-secret-key-of-more-than-fifty-characters-0123456789"


def start(**env):
    """Import the settings in a fresh process with only the given variables set."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup();"
            " print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_with_no_environment_it_runs_on_sqlite_with_debug_on():
    result = start()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def test_production_without_secret_key_and_hosts_stops_with_a_clear_message():
    result = start(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_without_allowed_hosts_names_only_that():
    result = start(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=SECRET_KEY)
    assert "must be set: DJANGO_ALLOWED_HOSTS." in result.stderr


def test_production_with_everything_set_uses_postgresql_from_database_url():
    result = start(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="tracker.example.org",
        DATABASE_URL="postgres://u:p@db:5432/tracker",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "tracker.postgresql"]


def test_empty_database_url_falls_back_to_sqlite():
    result = start(DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


def evaluate(expression, **env):
    """Return an expression on the settings, imported in a fresh process with only env set."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_"))
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup();"
            f" print(repr(({expression})))",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": SECRET_KEY,
    "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
}


def test_without_a_cache_url_pages_are_cached_in_files_every_worker_shares():
    backend, location = evaluate(
        "settings.CACHES['default']['BACKEND'], str(settings.CACHES['default']['LOCATION'])"
    )
    assert backend == "django.core.cache.backends.filebased.FileBasedCache"
    assert location.startswith(tempfile.gettempdir())


def test_a_redis_cache_url_selects_django_s_redis_backend():
    cache = evaluate("settings.CACHES['default']", DJANGO_CACHE_URL="redis://redis:6379/0")
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://redis:6379/0"


def test_an_unknown_cache_url_stops_with_a_clear_message():
    result = start(DJANGO_CACHE_URL="memcached://cache:11211")
    assert result.returncode != 0
    assert "DJANGO_CACHE_URL must start with redis://" in result.stderr


def test_cached_pages_belong_to_one_database():
    prefix = "settings.CACHES['default']['KEY_PREFIX']"
    assert evaluate(prefix, DATABASE_URL="postgres://u@db/one") != evaluate(
        prefix, DATABASE_URL="postgres://u@db/two"
    )


def test_page_cache_is_off_while_developing_and_on_for_five_minutes_in_production():
    assert evaluate("settings.PAGE_CACHE_SECONDS") == 0
    assert evaluate("settings.PAGE_CACHE_SECONDS", **PRODUCTION) == 300


def test_page_cache_seconds_come_from_the_environment_and_zero_turns_it_off():
    assert evaluate("settings.PAGE_CACHE_SECONDS", DJANGO_PAGE_CACHE_SECONDS="60") == 60
    assert evaluate("settings.PAGE_CACHE_SECONDS", DJANGO_PAGE_CACHE_SECONDS="0", **PRODUCTION) == 0
