"""refresh_requests recomputes every request's stored facts, in one process or several."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.choices import DeadlineChangeKind, EventKind
from campaigns.management.commands import refresh_requests
from campaigns.models import PART_FIELDS, Ask, Commitment, Letter, Request
from campaigns.services import (
    attachments_save,
    deadline_change_delete,
    deadline_change_record,
    event_delete,
    event_record,
    request_refresh,
    requests_refresh,
)
from tests.documents import pdf
from tests.factories import LetterFactory, attach


def requests_with_rounds(count):
    for _ in range(count):
        request = LetterFactory(date=date(2022, 4, 29)).request
        LetterFactory(request=request, reply=True, date=date(2022, 5, 30))
        LetterFactory(request=request, follow_up=True, date=date(2022, 6, 6))


def forget_the_stored_facts():
    Request.objects.update(open_due_on=None, first_sent_on=None, latest_reply=None)
    Letter.objects.update(days_taken=None, on_time=None)


def assert_facts_are_back(count):
    assert Request.objects.filter(open_due_on=date(2022, 7, 4)).count() == count
    assert Request.objects.filter(latest_reply__isnull=False).count() == count
    assert Letter.objects.filter(on_time=True).count() == count


@pytest.mark.django_db
def test_refresh_recomputes_what_the_write_path_stored(capsys):
    requests_with_rounds(3)
    forget_the_stored_facts()
    call_command("refresh_requests", jobs=1, batch_size=2)
    assert_facts_are_back(3)
    assert "Refreshed 3 request(s)." in capsys.readouterr().out


def test_keys_are_split_into_runs_of_neighbours():
    assert refresh_requests.key_ranges([1, 2, 5, 8, 9], 2) == [(1, 2), (5, 8), (9, 9)]
    assert refresh_requests.key_ranges([], 2) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="workers are for PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_refresh_in_worker_processes_covers_every_request(capsys, monkeypatch):
    monkeypatch.setattr(refresh_requests, "SHARE_SIZE", 2)
    requests_with_rounds(5)
    forget_the_stored_facts()
    call_command("refresh_requests", jobs=2, batch_size=2)
    assert_facts_are_back(5)
    assert "Refreshed 5 request(s).\nVACUUM ANALYZE took" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'campaigns_request'"
        )
        pages, visible = cursor.fetchone()
    assert pages == visible  # vacuumed after the rewrite: index-only scans need no heap


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics of PostgreSQL")
@pytest.mark.django_db
def test_refresh_first_tells_the_planner_how_many_letters_there_are():
    requests_with_rounds(4)

    def letters_the_planner_knows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'campaigns_letter'")
            return cursor.fetchone()[0]

    assert letters_the_planner_knows() != 12  # never analysed: -1
    call_command("refresh_requests", jobs=1)
    assert letters_the_planner_knows() == 12


@pytest.mark.django_db
def test_a_batch_reads_each_table_once_however_many_requests_it_holds():
    def queries_to_refresh():
        with CaptureQueriesContext(connection) as queries:
            requests_refresh(requests=Request.objects.all())
        return len(queries)

    requests_with_rounds(2)
    few = queries_to_refresh()
    requests_with_rounds(6)
    assert queries_to_refresh() == few


def parts_of(request):
    request.refresh_from_db()
    return {name: getattr(request, name) for name in PART_FIELDS}


@pytest.mark.django_db
def test_a_requests_stored_parts_follow_each_write():
    sent = LetterFactory(date=date(2022, 4, 29))
    reply = LetterFactory(request=sent.request, reply=True, date=date(2022, 5, 30))
    request = sent.request
    none = {
        "has_attachments": False,
        "has_deadline_changes": False,
        "has_commitments": False,
        "has_events": False,
    }
    assert parts_of(request) == {**none, "ask_count": 1}

    event = event_record(
        request=request, kind=EventKind.MEETING, title="A meeting", date=date(2022, 6, 1)
    )
    assert parts_of(request)["has_events"]
    event_delete(event=event)
    assert not parts_of(request)["has_events"]

    attachment = attach(sent, pdf(), "letter.pdf", is_private=True)  # private ones count too
    assert parts_of(request)["has_attachments"]
    attachments_save(letter=sent, removed=[attachment.pk])
    request_refresh(request=request)
    assert not parts_of(request)["has_attachments"]

    change = deadline_change_record(
        letter=sent, kind=DeadlineChangeKind.EXTENSION, new_due_on=date(2022, 6, 15), reason="."
    )
    assert parts_of(request)["has_deadline_changes"]
    deadline_change_delete(change=change)
    assert not parts_of(request)["has_deadline_changes"]

    # The admin saves commitments and asks as inlines of the request, then refreshes it.
    Commitment.objects.create(request=request, letter=reply, text="Publish a report")
    Ask.objects.create(request=request, text="Meet the coalition", position=2)
    request_refresh(request=request)
    assert parts_of(request) == {**none, "has_commitments": True, "ask_count": 2}


def requests_with_each_part():
    """Return five requests: one with no optional part, then one with each."""
    plain, with_file, with_change, with_promise, with_event = [
        LetterFactory(date=date(2022, 4, 29)) for _ in range(5)
    ]
    event_record(
        request=with_event.request, kind=EventKind.MEETING, title="Met", date=date(2022, 5, 2)
    )
    attach(with_file, pdf())
    deadline_change_record(
        letter=with_change,
        kind=DeadlineChangeKind.EXTENSION,
        new_due_on=date(2022, 6, 15),
        reason=".",
    )
    reply = LetterFactory(request=with_promise.request, reply=True, date=date(2022, 5, 30))
    Commitment.objects.create(request=reply.request, letter=reply, text="Publish a report")
    Ask.objects.create(request=reply.request, text="Meet the coalition", position=2)
    request_refresh(request=reply.request)
    letters = (plain, with_file, with_change, with_promise, with_event)
    stored = {letter.request.pk: parts_of(letter.request) for letter in letters}
    assert [tuple(parts.values()) for parts in stored.values()] == [
        (False, False, False, 1, False),
        (True, False, False, 1, False),
        (False, True, False, 1, False),
        (False, False, True, 2, False),
        (False, False, False, 1, True),
    ]
    return stored


@pytest.mark.django_db
def test_a_batch_refresh_stores_the_parts_one_requests_refresh_stores():
    stored = requests_with_each_part()
    Request.objects.update(**dict.fromkeys(PART_FIELDS, 0))
    requests_refresh(requests=Request.objects.all())
    assert {pk: parts_of(Request(pk=pk)) for pk in stored} == stored


@pytest.mark.django_db
def test_the_migrations_store_for_existing_requests_the_parts_the_write_path_stores():
    from importlib import import_module

    stored = requests_with_each_part()
    Request.objects.update(**dict.fromkeys(PART_FIELDS, 0))
    for name in ("0032_request_parts_present", "0034_request_has_events"):
        migration = import_module(f"campaigns.migrations.{name}")
        (update,) = [op for op in migration.Migration.operations if hasattr(op, "sql")]
        with connection.cursor() as cursor:
            cursor.execute(update.sql)
    assert {pk: parts_of(Request(pk=pk)) for pk in stored} == stored
