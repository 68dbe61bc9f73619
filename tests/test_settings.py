"""Start-up configuration from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
    result = start(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50)
    assert "must be set: DJANGO_ALLOWED_HOSTS." in result.stderr


def test_production_with_everything_set_uses_postgresql_from_database_url():
    result = start(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_ALLOWED_HOSTS="tracker.example.org",
        DATABASE_URL="postgres://u:p@db:5432/tracker",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.postgresql"]


def test_empty_database_url_falls_back_to_sqlite():
    result = start(DATABASE_URL="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]
