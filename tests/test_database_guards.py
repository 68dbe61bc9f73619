"""PostgreSQL guards read from the environment: connect and statement timeouts, no JIT or
Memoize; and parameters bound server-side, which prepared statements need, with bulk writes
batched to the parameters a query may bind."""

import os
import socket
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from campaigns.models import Organisation
from tests.test_settings import ROOT, evaluate

OPTIONS = "settings.DATABASES['default'].get('OPTIONS', {})"
POSTGRES = "postgres://tracker@db:5432/tracker"

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The guards are PostgreSQL settings; set DATABASE_URL to a PostgreSQL database.",
)


# --- Read from the environment --------------------------------------------------------------------


def test_postgresql_gives_up_after_5_s_cancels_statements_after_5_s_runs_without_jit_or_memoize():
    assert evaluate(OPTIONS, DATABASE_URL=POSTGRES) == {
        "connect_timeout": 5,
        "options": "-c statement_timeout=5000 -c jit=off -c enable_memoize=off",
        "server_side_binding": True,
    }


def test_timeouts_come_from_the_environment_and_zero_lifts_the_statement_timeout():
    options = evaluate(
        OPTIONS,
        DATABASE_URL=POSTGRES,
        DATABASE_CONNECT_TIMEOUT="2",
        DATABASE_STATEMENT_TIMEOUT_MS="0",
    )
    assert options == {
        "connect_timeout": 2,
        "options": "-c statement_timeout=0 -c jit=off -c enable_memoize=off",
        "server_side_binding": True,
    }


def test_options_given_in_the_database_url_are_kept_and_win():
    options = evaluate(
        OPTIONS,
        DATABASE_URL=POSTGRES
        + "?sslmode=require&connect_timeout=10&options=-c%20statement_timeout%3D100",
    )
    assert options == {
        "sslmode": "require",
        "connect_timeout": 10,
        "options": "-c statement_timeout=5000 -c jit=off -c enable_memoize=off"
        " -c statement_timeout=100",
        "server_side_binding": True,
    }


def test_sqlite_gets_no_postgresql_options():
    assert evaluate(OPTIONS) == {}


# --- Enforced by the server -----------------------------------------------------------------------


def database_url():
    """Return the address of the test database this run uses."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )


def run_query(sql, **env):
    """Run one query through the settings in a fresh process; return the result and seconds."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DATABASE_")}
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.db import connection;"
            f" cursor = connection.cursor(); cursor.execute({sql!r}); print(cursor.fetchone()[0])",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return result, time.monotonic() - started


@on_postgresql
@pytest.mark.django_db
def test_connections_run_with_the_configured_statement_timeout_and_jit_and_memoize_off():
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
        assert cursor.fetchone()[0] == str(settings.DATABASE_STATEMENT_TIMEOUT_MS)
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW enable_memoize")
        assert cursor.fetchone()[0] == "off"


@on_postgresql
@pytest.mark.django_db
def test_a_statement_longer_than_the_timeout_is_cancelled_at_once():
    result, seconds = run_query(
        "SELECT pg_sleep(20)", DATABASE_URL=database_url(), DATABASE_STATEMENT_TIMEOUT_MS="300"
    )
    assert result.returncode != 0
    assert "QueryCanceled" in result.stderr
    assert "statement timeout" in result.stderr
    assert seconds < 10


@on_postgresql
@pytest.mark.django_db
def test_a_long_command_can_lift_the_statement_timeout():
    result, _ = run_query(
        "SELECT 'slept' FROM pg_sleep(0.5)",
        DATABASE_URL=database_url(),
        DATABASE_STATEMENT_TIMEOUT_MS="0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["slept"]


def test_a_server_that_does_not_answer_fails_after_the_connect_timeout():
    # A socket that accepts connections and never answers, like a server that has hung.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        result, seconds = run_query(
            "SELECT 1",
            DATABASE_URL=f"postgres://tracker@127.0.0.1:{port}/tracker",
            DATABASE_CONNECT_TIMEOUT="2",
        )
    assert result.returncode != 0
    assert "OperationalError" in result.stderr
    assert 2 <= seconds < 10


# --- Parameters bound server-side -----------------------------------------------------------------


@on_postgresql
def test_a_query_binds_at_most_65535_parameters_so_bulk_writes_are_batched_to_fit():
    fields = [Organisation._meta.get_field(name) for name in ("name", "slug", "kind")]
    assert connection.features.max_query_params == 65_535
    assert connection.ops.bulk_batch_size(fields, range(100_000)) == 65_535 // 3
    assert connection.ops.bulk_batch_size([], range(100_000)) == 100_000


@on_postgresql
@pytest.mark.django_db
def test_a_bulk_insert_and_a_read_by_keys_past_the_parameter_limit_succeed():
    columns = len(Organisation._meta.concrete_fields) - 1  # all but the generated id
    rows = 65_535 // columns + 1
    Organisation.objects.bulk_create(
        Organisation(name=f"Body {number}", slug=f"body-{number}") for number in range(rows)
    )
    assert Organisation.objects.count() == rows
    ids = list(Organisation.objects.values_list("pk", flat=True)) + list(range(-70_000, 0))
    assert len(Organisation.objects.in_bulk(ids)) == rows
