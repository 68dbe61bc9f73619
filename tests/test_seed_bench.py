"""The benchmark's data set (`seed_bench`) and the runner's reading of wrk's output."""

import importlib.util
import random
from collections import Counter
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from campaigns import bench_data
from campaigns.choices import Direction, LetterKind, MembershipRole
from campaigns.deadlines import reply_due
from campaigns.management.commands.seed_bench import tracker_data_flush
from campaigns.models import (
    AskAnswer,
    Coalition,
    Commitment,
    DeadlineChange,
    Event,
    Letter,
    Membership,
    Organisation,
    Request,
)
from campaigns.search import search

REQUESTS = 60


def load_runner():
    """Import bench/run.py, a script outside the packages."""
    path = Path(__file__).resolve().parent.parent / "bench" / "run.py"
    spec = importlib.util.spec_from_file_location("bench_run", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module (each test still runs in its own transaction), then flush."""
    with django_db_blocker.unblock():
        call_command("seed_bench", requests=REQUESTS, seed=7, stdout=StringIO())
        yield
        tracker_data_flush()


def test_seed_bench_creates_published_requests_and_a_few_drafts(seeded):
    assert Request.objects.published().count() == REQUESTS
    assert Request.objects.count() == REQUESTS + bench_data.draft_count(REQUESTS)


def test_seed_bench_scales_organisations_and_coalitions(seeded):
    assert Organisation.objects.count() == bench_data.organisation_count(REQUESTS)
    assert Coalition.objects.count() == bench_data.coalition_count(REQUESTS)


def test_seed_bench_gives_every_coalition_one_lead_and_two_to_eight_members(seeded):
    for coalition in Coalition.objects.annotate(member_count=Count("memberships")):
        assert 2 <= coalition.member_count <= 8
    leads = Counter(
        Membership.objects.filter(role=MembershipRole.LEAD).values_list("coalition", flat=True)
    )
    assert sorted(leads.values()) == [1] * Coalition.objects.count()


def test_seed_bench_writes_about_four_letters_and_half_an_event_per_request(seeded):
    requests = Request.objects.count()
    assert 3 <= Letter.objects.count() / requests <= 6
    assert 0.1 <= Event.objects.count() / requests <= 1.5
    kinds = set(Letter.objects.values_list("kind", flat=True))
    assert kinds == set(LetterKind.values)


def test_seed_bench_stores_the_reply_deadline_of_sent_letters(seeded):
    sent = Letter.objects.filter(direction=Direction.SENT).prefetch_related("deadline_changes")
    for letter in sent:
        assert letter.original_due_on == reply_due(letter.date, letter.reply_requested_by)
        moved = [change.new_due_on for change in letter.deadline_changes.all()]
        assert letter.due_on == (moved[-1] if moved else letter.original_due_on)
    assert not Letter.objects.filter(direction=Direction.RECEIVED, due_on__isnull=False).exists()


def test_seed_bench_holds_asks_commitments_deadline_changes_and_chains(seeded):
    assert not Request.objects.filter(asks__isnull=True).exists()
    several = Request.objects.annotate(count=Count("asks")).filter(count__gt=1)
    assert several.exists()
    assert AskAnswer.objects.filter(ask__request__in=several).exists()
    assert not AskAnswer.objects.filter(ask__text__contains="{").exists()  # no unfilled template
    assert Commitment.objects.filter(kept_by__isnull=False).exists()
    assert Commitment.objects.filter(kept_by__isnull=True).exists()
    assert DeadlineChange.objects.exists()
    escalated = Request.objects.filter(escalated_from__isnull=False)
    assert escalated.exists()
    for request in escalated:
        assert request.chain_root_id == (
            request.escalated_from.chain_root_id or request.escalated_from_id
        )


def test_seed_bench_requests_show_several_statuses_after_refresh(seeded):
    statuses = set(Request.objects.published().with_status().values_list("status", flat=True))
    assert len(statuses) >= 5


def test_seed_bench_puts_the_common_word_in_half_the_requests_and_the_rare_one_in_few(seeded):
    published = Request.objects.published()
    common = search(published, bench_data.COMMON_WORD).count()
    rare = search(published, bench_data.RARE_WORD).count()
    assert 0.3 * REQUESTS <= common <= 0.7 * REQUESTS
    assert rare == bench_data.rare_count(REQUESTS) == bench_data.MIN_RARE


@pytest.mark.parametrize("requests", [1_000, 100_000])
def test_at_every_size_the_rare_word_and_the_bodies_fill_a_page_and_the_word_is_ranked(
    requests, settings
):
    from campaigns.pagination import SEARCH_COUNT_LIMIT

    assert settings.REQUESTS_PER_PAGE < bench_data.rare_count(requests) <= SEARCH_COUNT_LIMIT
    recipients = bench_data.organisation_count(requests) * bench_data.RECIPIENT_SHARE
    assert recipients >= settings.PARTIES_PER_PAGE


def test_seed_bench_refuses_to_add_to_existing_data_without_flush(seeded):
    with pytest.raises(CommandError, match="--flush"):
        call_command("seed_bench", requests=5, stdout=StringIO())


def test_seed_bench_with_flush_gives_the_same_data_for_the_same_seed(seeded):
    def seed_and_snapshot(seed):
        options = {"requests": 20, "seed": seed, "flush": True, "no_refresh": True}
        call_command("seed_bench", **options, stdout=StringIO())
        return list(Request.objects.order_by("slug").values_list("slug", "letters__date"))

    assert seed_and_snapshot(1) == seed_and_snapshot(1) != seed_and_snapshot(2)


def test_letter_history_keeps_the_letter_rules():
    rng, today = random.Random(3), date(2025, 6, 2)
    for _ in range(500):
        letters = bench_data.letter_history(rng, bench_data.first_sent_on(rng, today), today)
        first = letters[0]
        assert (first.direction, first.kind) == (Direction.SENT, LetterKind.INITIAL)
        for letter in letters:
            assert first.date <= letter.date <= today
            substantive = letter.kind == LetterKind.SUBSTANTIVE
            assert bool(letter.outcome) == substantive
            if letter.reply_requested_by:
                assert letter.is_sent and letter.reply_requested_by >= letter.date


# Captured from `wrk -t2 -c8 -d3s --latency` against gunicorn on this project.
WRK_OUTPUT = """\
Running 3s test @ http://127.0.0.1:57217/bench/trivial/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    24.88ms   69.05ms 732.53ms   97.58%
    Req/Sec   270.27    106.18   440.00     63.33%
  Latency Distribution
     50%   13.77ms
     75%   18.60ms
     90%   28.38ms
     99%  478.70ms
  1622 requests in 3.02s, 422.92KB read
Requests/sec:    537.79
Transfer/sec:    140.22KB
"""
WRK_OUTPUT_WITH_ERRORS = """\
Running 3s test @ http://127.0.0.1:51331/requests/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   731.84ms  120.10ms 991.91ms   77.27%
    Req/Sec     7.57      5.31    20.00     65.22%
  Latency Distribution
     50%  722.35ms
     75%  736.54ms
     90%  874.14ms
     99%  991.91ms
  26 requests in 3.03s, 21.79KB read
  Socket errors: connect 0, read 0, write 0, timeout 4
  Non-2xx or 3xx responses: 26
Requests/sec:      8.59
Transfer/sec:      7.19KB
"""
WRK_OUTPUT_NONE_DONE = """\
Running 3s test @ http://127.0.0.1:57217/requests/?status=closed
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.00us    0.00us   0.00us    -nan%
    Req/Sec     0.00      0.00     0.00      -nan%
  Latency Distribution
     50%    0.00us
     75%    0.00us
     90%    0.00us
     99%    0.00us
  0 requests in 3.01s, 0.00B read
Requests/sec:      0.00
Transfer/sec:       0.00B
"""


def test_parse_wrk_reads_throughput_and_percentiles():
    result = load_runner().parse_wrk(WRK_OUTPUT)
    assert result.requests_per_second == 537.79
    assert result.p50_ms == pytest.approx(13.77)
    assert result.p99_ms == pytest.approx(478.70)
    assert result.requests == 1622
    assert (result.timeouts, result.errors, result.non_2xx) == (0, 0, 0)


def test_parse_wrk_reads_timeouts_and_error_responses():
    result = load_runner().parse_wrk(WRK_OUTPUT_WITH_ERRORS)
    assert result.requests_per_second == 8.59
    assert result.p99_ms == pytest.approx(991.91)
    assert (result.timeouts, result.errors, result.non_2xx) == (4, 0, 26)


def test_parse_wrk_gives_no_latency_when_no_request_finished():
    result = load_runner().parse_wrk(WRK_OUTPUT_NONE_DONE)
    assert result.requests == 0
    assert result.p99_ms is None


@pytest.mark.parametrize(
    ("text", "milliseconds"),
    [("812.00us", 0.812), ("13.77ms", 13.77), ("1.20s", 1200), ("2.00m", 120_000)],
)
def test_duration_ms_converts_wrk_units(text, milliseconds):
    assert load_runner().duration_ms(text) == pytest.approx(milliseconds)
