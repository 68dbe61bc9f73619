"""Measure the public pages: seed a database, serve it with gunicorn, drive each page with wrk.

Run it with the project's virtualenv, usually through `make bench`; bench/README.md explains the
options and the figures. Standard library only: it calls manage.py, gunicorn and wrk.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/tracker_bench"
CACHE_ON_SECONDS = 300
HTTP_TIMEOUT = 300  # seconds for one request, the full CSV included
SINGLE_SAMPLES = 5
SINGLE_BUDGET = 30  # seconds: fewer samples of a page slower than this
WRK_TIMEOUT = "60s"  # wrk's own default (2s) would drop slow responses from the latency figures
JSON_MARK = "BENCH_JSON "
DRAIN_LIMIT = 300  # seconds to wait at most for requests wrk left behind
FEW_REQUESTS = 100  # a p99 of fewer requests than this is shown with their number

# Run by `manage.py shell` with the bench settings: what is in the database, and which URLs.
INFO_SCRIPT = """
import json, math, sqlite3
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from campaigns import bench_data
from campaigns.choices import RequestStatus
from campaigns.models import Coalition, Event, Letter, Organisation, Request

published = Request.objects.published()
total = published.count()
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
else:
    version, size = "SQLite " + sqlite3.sqlite_version, None
info = {
    "published": total,
    "counts": {
        "requests": Request.objects.count(),
        "letters": Letter.objects.count(),
        "events": Event.objects.count(),
        "organisations": Organisation.objects.count(),
        "coalitions": Coalition.objects.count(),
    },
    "database": version,
    "database_bytes": size,
    "common": bench_data.COMMON_WORD,
    "rare": bench_data.RARE_WORD,
    "trivial": reverse("bench-trivial"),
    "csv": reverse("campaigns:request-list-csv"),
    "paths": [],
}
if total:
    def busiest(field):
        return (
            published.values(field).annotate(n=Count("pk")).order_by("-n", field).first()[field]
        )

    def sitemap_sections():
        # Where the sitemap is an index, its largest section is the page that does the work.
        try:
            return [reverse("sitemap-section", kwargs={"section": "requests"})]
        except NoReverseMatch:
            return []

    requests = reverse("campaigns:request-list")
    page = min(2000, math.ceil(total / settings.REQUESTS_PER_PAGE))
    longest = published.annotate(n=Count("letters")).order_by("-n", "pk").first()
    # A later stage of a chain with several asks: the asks, answers, chain and commitments read.
    chained = (
        published.filter(escalated_from__isnull=False)
        .annotate(n=Count("asks"))
        .order_by("-n", "pk")
        .first()
    )
    info["paths"] = [
        reverse("campaigns:home"),
        requests,
        *[f"{requests}?status={status}" for status in RequestStatus.values],
        f"{requests}?page={page}",
        f"{requests}?q={bench_data.COMMON_WORD}",
        f"{requests}?q={bench_data.RARE_WORD}",
        reverse("campaigns:stats"),
        reverse("api:request-list"),
        reverse("campaigns:latest-feed"),
        reverse("sitemap"),
        *sitemap_sections(),
        longest.get_absolute_url(),
        *([chained.get_absolute_url()] if chained else []),
        reverse("campaigns:coalition-detail", kwargs={"slug": busiest("coalition__slug")}),
        reverse("campaigns:organisation-detail", kwargs={"slug": busiest("recipient__slug")}),
        f"{requests}?recipient={busiest('recipient__slug')}&counted=replied_after_reminder",
        reverse("campaigns:coalition-calendar", kwargs={"slug": busiest("coalition__slug")}),
        reverse("campaigns:organisation-calendar", kwargs={"slug": busiest("recipient__slug")}),
    ]
print("BENCH_JSON " + json.dumps(info))
"""

CREATE_DATABASE_SCRIPT = """
import sys
import psycopg
from psycopg import sql
url, name = sys.argv[1], sys.argv[2]
with psycopg.connect(url, dbname="postgres", autocommit=True) as connection:
    if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print("created")
"""


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    timeouts: int = 0
    errors: int = 0
    non_2xx: int = 0


@dataclass
class PageResult:
    path: str
    status: int | None = None
    single_ms: float | None = None
    size: int | None = None
    wrk: WrkResult | None = None
    note: str = ""


@dataclass
class CsvResult:
    status: int | None = None
    first_byte_s: float | None = None
    total_s: float | None = None
    rows: int | None = None
    megabytes: float | None = None
    rss_growth_mb: float | None = None
    peak_rss_mb: float | None = None
    note: str = ""


@dataclass
class Run:
    cache_seconds: int
    pages: list = field(default_factory=list)
    csv: CsvResult | None = None
    # The machine's 1-minute load average around the run: other work skews the figures.
    load: list = field(default_factory=list)

    @property
    def trivial_rps(self):
        first = self.pages[0] if self.pages else None
        return first.wrk.requests_per_second if first and first.wrk else None


# --- wrk --------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def duration_ms(text):
    """Return a wrk duration such as "812.00us", "1.20s" or "2.00m" in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"Not a wrk duration: {text!r}")
    return float(match[1]) * UNITS_MS[match[2]]


def parse_wrk(output):
    """Return the throughput, latency percentiles and errors from `wrk --latency` output."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not rate:
        raise ValueError("No Requests/sec line in the wrk output.")
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    total = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(total[1]) if total else 0
    # With no request done in time, wrk prints latencies of 0.00us: unknown, not fast.
    if not requests:
        percentiles = {}
    return WrkResult(
        requests_per_second=float(rate[1]),
        p50_ms=duration_ms(percentiles["50"]) if "50" in percentiles else None,
        p99_ms=duration_ms(percentiles["99"]) if "99" in percentiles else None,
        requests=requests,
        timeouts=int(sockets[4]) if sockets else 0,
        errors=sum(int(count) for count in sockets.groups()[:3]) if sockets else 0,
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
    )


def wrk(url, *, duration, threads, connections):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    command += ["--timeout", WRK_TIMEOUT, url]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 120, check=True
    )
    return parse_wrk(done.stdout)


# --- Processes and machine ---------------------------------------------------------------------


def run(command, *, env, timeout, capture=False):
    """Run a command in the project folder; fail loudly, and never wait longer than `timeout`."""
    return subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )


def manage(*args, env, timeout, capture=False):
    return run([PYTHON, "manage.py", *args], env=env, timeout=timeout, capture=capture)


def read_first(path, pattern, default="unknown"):
    try:
        match = re.search(pattern, Path(path).read_text(), re.MULTILINE)
    except OSError:
        return default
    return match[1].strip() if match else default


def machine(info):
    memory_kb = read_first("/proc/meminfo", r"^MemTotal:\s+(\d+)", "0")
    wrk_version = subprocess.run(
        ["wrk", "--version"], capture_output=True, text=True, timeout=10, check=False
    ).stdout.split(" [")[0]
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu": read_first("/proc/cpuinfo", r"^model name\s*:\s*(.+)$"),
        "memory": f"{int(memory_kb) / 1024 / 1024:.1f} GiB",
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "database": info["database"],
        "wrk": wrk_version.strip() or "wrk",
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid):
    """Return the ids of a process's children (gunicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in brackets and may hold spaces; the parent id follows it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def memory_kb(pid, key):
    return int(read_first(f"/proc/{pid}/status", rf"^{key}:\s+(\d+)", "0"))


class Gunicorn:
    """Serve the site with gunicorn while the `with` block runs, and always stop it after."""

    def __init__(self, *, env, workers, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env, self.workers, self.log_path = env, workers, log_path

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        command = [PYTHON, "-m", "gunicorn", "tracker.wsgi:application"]
        command += ["--workers", str(self.workers), "--worker-class", "sync"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--timeout", "120"]
        # Its default control socket is one path for every gunicorn on the machine.
        command += ["--no-control-socket"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.log_tail()}")
            if len(self.worker_pids()) >= self.workers:
                try:
                    fetch(self.base + "/bench/trivial/", timeout=5)
                    return
                except (OSError, urllib.error.URLError):
                    pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout} s:\n{self.log_tail()}")

    def worker_pids(self):
        return children(self.process.pid)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the session started above
                self.process.wait(timeout=10)
        self.log.close()

    def log_tail(self, lines=30):
        self.log.flush()
        return "\n".join(Path(self.log_path).read_text().splitlines()[-lines:])


# --- Measuring -------------------------------------------------------------------------------


def fetch(url, timeout=HTTP_TIMEOUT):
    """Return (status, body size) of a GET, reading the whole body."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


def measure_page(base, path, *, duration, threads, connections, workers):
    page = PageResult(path)
    try:
        page.status, page.size = fetch(base + path)  # warm-up: templates, connections, caches
        if page.status != 200:
            page.note = f"answered {page.status}; skipped"
            return page
        samples, started = [], time.monotonic()
        while len(samples) < SINGLE_SAMPLES and time.monotonic() - started < SINGLE_BUDGET:
            begin = time.perf_counter()
            fetch(base + path)
            samples.append((time.perf_counter() - begin) * 1000)
    except OSError as error:
        page.note = f"failed: {error}; skipped"
        return page
    page.single_ms = statistics.median(samples)
    try:
        page.wrk = wrk(base + path, duration=duration, threads=threads, connections=connections)
    except (subprocess.SubprocessError, ValueError) as error:
        page.note = f"wrk failed: {error}"
    finally:
        # wrk leaves up to one request per connection queued; the workers still serve them,
        # which would slow the next page down. Let them finish first.
        time.sleep(min(DRAIN_LIMIT, connections * page.single_ms / 1000 / workers))
    if page.wrk and (page.wrk.non_2xx or page.wrk.errors or page.wrk.timeouts):
        page.note = (
            f"{page.wrk.non_2xx} non-2xx, {page.wrk.errors} socket errors, "
            f"{page.wrk.timeouts} timeouts"
        )
    return page


def measure_csv(server, path):
    """Download the full CSV once: time to first byte, total time, rows and worker memory."""
    result = CsvResult()
    pids = server.worker_pids()
    before = {pid: memory_kb(pid, "VmRSS") for pid in pids}
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(server.base + path, timeout=HTTP_TIMEOUT) as response:
            result.status = response.status
            first = response.read(1)
            result.first_byte_s = time.perf_counter() - started
            lines, size = first.count(b"\n"), len(first)
            while chunk := response.read(1 << 16):
                lines += chunk.count(b"\n")
                size += len(chunk)
    except urllib.error.HTTPError as error:
        result.status, result.note = error.code, f"answered {error.code}"
        return result
    except OSError as error:
        result.note = f"failed: {error}"
        return result
    result.total_s = time.perf_counter() - started
    result.rows = max(0, lines - 1)  # the header line
    result.megabytes = size / 1e6
    after = {pid: memory_kb(pid, "VmRSS") for pid in pids}
    growth = {pid: after[pid] - before[pid] for pid in pids if after.get(pid)}
    if growth:
        grown = max(growth, key=growth.get)
        result.rss_growth_mb = growth[grown] / 1024
        result.peak_rss_mb = memory_kb(grown, "VmHWM") / 1024
    return result


def measure(env, info, options, cache_seconds, workdir):
    # A temporary folder of its own, so a file-based cache starts empty in every run.
    tmp = tempfile.mkdtemp(prefix=f"tmp-cache-{cache_seconds}-", dir=workdir)
    env = {**env, "DJANGO_PAGE_CACHE_SECONDS": str(cache_seconds), "TMPDIR": tmp}
    result = Run(cache_seconds, load=[os.getloadavg()[0]])
    log_path = workdir / f"gunicorn-cache-{cache_seconds}.log"
    with Gunicorn(env=env, workers=options.workers, log_path=log_path) as server:
        for path in [info["trivial"], *info["paths"]]:
            page = measure_page(
                server.base,
                path,
                duration=options.duration,
                threads=options.threads,
                connections=options.connections,
                workers=options.workers,
            )
            result.pages.append(page)
            print(page_line(page, result.trivial_rps), flush=True)
        result.csv = measure_csv(server, info["csv"])
        print(csv_line(info["csv"], result.csv), flush=True)
    result.load.append(os.getloadavg()[0])
    print(f"  Load average (1 min) before and after: {describe_load(result)}.")
    return result


# --- Reporting -------------------------------------------------------------------------------


def figure(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}"


def rate(result):
    """Return requests per second, with wrk's two decimals for slow pages."""
    return figure(result.requests_per_second, 1 if result.requests_per_second >= 10 else 2)


def share(value):
    """Return a ratio to the trivial view: 0.123, or 1/1,500 when it is tiny."""
    if not value:
        return "–"
    return f"{value:.3f}" if value >= 0.01 else f"1/{round(1 / value):,}"


def p99(result):
    """Return the 99th percentile in ms, with the number of requests when too few to trust it."""
    if not result.requests:
        return "none done"
    few = f" (n={result.requests})" if result.requests < FEW_REQUESTS else ""
    return figure(result.p99_ms) + few


def ratio(page, trivial_rps):
    if not page.wrk or not trivial_rps:
        return None
    return page.wrk.requests_per_second / trivial_rps


def page_line(page, trivial_rps):
    if not page.wrk:
        return f"  {page.path:<48} {page.note}"
    return (
        f"  {page.path:<48} {rate(page.wrk):>9} req/s"
        f"  p99 {p99(page.wrk):>16} ms"
        f"  x {share(ratio(page, trivial_rps)):>8} of trivial"
        f"  single {figure(page.single_ms):>8} ms  {page.note}"
    )


def csv_line(path, csv):
    return (
        f"  {path:<48} status {csv.status}, first byte {figure(csv.first_byte_s, 2)} s, "
        f"total {figure(csv.total_s, 2)} s, {csv.rows or 0:,} rows, "
        f"{figure(csv.megabytes)} MB, worker RSS +{figure(csv.rss_growth_mb)} MB "
        f"(peak {figure(csv.peak_rss_mb)} MB) {csv.note}"
    )


def describe_load(each):
    return " and ".join(f"{load:.1f}" for load in each.load)


def describe_data(info):
    counts = info["counts"]
    size = info["database_bytes"]
    return (
        f"{info['published']:,} published requests ({counts['requests']:,} in all), "
        f"{counts['letters']:,} letters, {counts['events']:,} events, "
        f"{counts['organisations']:,} organisations, {counts['coalitions']:,} coalitions"
        + (f"; database {size / 1e6:,.0f} MB" if size else "")
    )


def describe_machine(box):
    return (
        f"{box['cpus']} CPUs ({box['cpu']}), {box['memory']} RAM, {box['system']}, "
        f"Python {box['python']}, {box['database']}, {box['wrk']}"
    )


def mode(each):
    return f"cache {each.cache_seconds}s" if each.cache_seconds else "no cache"


def markdown(info, box, runs, options):
    label = f", {options.label}" if options.label else ""
    lines = [
        f"### {info['published']:,} requests{label} ({date.today().isoformat()})",
        "",
        f"- Data: {describe_data(info)}. Search words: common `{info['common']}`, "
        f"rare `{info['rare']}`.",
        f"- Machine: {describe_machine(box)}.",
        f"- Load: gunicorn {options.workers} sync workers, `wrk -t{options.threads} "
        f"-c{options.connections} -d{options.duration}s --latency`, on the same machine.",
        "- Load average (1 min) before and after each run: "
        + "; ".join(f"{mode(each)} {describe_load(each)}" for each in runs)
        + f" (on {box['cpus']} CPUs).",
        "",
    ]
    header = "| Page |"
    rule = "|---|"
    for each in runs:
        header += f" req/s ({mode(each)}) | p99 ms | × trivial | single ms |"
        rule += "---:|---:|---:|---:|"
    lines += [header, rule]
    for number, page in enumerate(runs[0].pages):
        row = f"| `{page.path}` |"
        for each in runs:
            other = each.pages[number]
            if other.wrk:
                row += (
                    f" {rate(other.wrk)} | {p99(other.wrk)} |"
                    f" {share(ratio(other, each.trivial_rps))} | {figure(other.single_ms)} |"
                )
            else:
                row += f" {other.note} | | | |"
        lines.append(row)
    lines += ["", "Full CSV download (`" + info["csv"] + "`), one request on an idle server:", ""]
    lines += [
        "| Run | status | first byte s | total s | rows | MB | worker RSS +MB | peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for each in runs:
        csv = each.csv
        lines.append(
            f"| {mode(each)} | {csv.status} | {figure(csv.first_byte_s, 2)}"
            f" | {figure(csv.total_s, 2)} | {csv.rows or 0:,} | {figure(csv.megabytes)}"
            f" | {figure(csv.rss_growth_mb)} | {figure(csv.peak_rss_mb)} |"
        )
    notes = [f"- `{page.path}`: {page.note}" for each in runs for page in each.pages if page.note]
    return "\n".join(lines + ([""] + notes if notes else []) + [""])


# --- Setting up ------------------------------------------------------------------------------


def database_create(url, env):
    """Create the PostgreSQL database named in the URL if it does not exist yet."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    done = run([PYTHON, "-c", CREATE_DATABASE_SCRIPT, url, name], env=env, timeout=60, capture=True)
    if "created" in done.stdout:
        print(f"Created database {name}.")


def database_info(env):
    done = manage("shell", "-c", INFO_SCRIPT, env=env, timeout=600, capture=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith(JSON_MARK))
    return json.loads(line.removeprefix(JSON_MARK))


def prepare(options, env, workdir):
    """Create, migrate and seed the database as needed; collect static files. Return its info."""
    if not options.skip_seed:
        database_create(options.database_url, env)
        manage("migrate", "--no-input", "-v", "0", env=env, timeout=600)
    info = database_info(env)
    if options.skip_seed:
        if info["published"] != options.requests:
            print(
                f"Note: the database has {info['published']:,} published requests, not "
                f"{options.requests:,}; measuring what is there."
            )
    elif info["published"] == options.requests:
        print(f"The database already has {options.requests:,} published requests; not seeding.")
    else:
        print(f"Seeding {options.requests:,} requests...", flush=True)
        manage(
            "seed_bench",
            "--requests",
            str(options.requests),
            "--seed",
            str(options.seed),
            "--flush",
            env=env,
            timeout=options.seed_timeout,
        )
        info = database_info(env)
    print("Collecting static files...", flush=True)
    manage("collectstatic", "--no-input", "-v", "0", env=env, timeout=600)
    return info


def parse_args(argv=None):
    env = os.environ
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests",
        type=int,
        default=int(env.get("BENCH_REQUESTS") or 1000),
        help="published requests in the data set (BENCH_REQUESTS, default 1000)",
    )
    parser.add_argument(
        "--database-url",
        default=env.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL,
        help=f"database to seed and serve (BENCH_DATABASE_URL, default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument(
        "--duration",
        type=lambda text: int(text.rstrip("s")),
        default=env.get("BENCH_DURATION") or "10",
        help="seconds of wrk per page (BENCH_DURATION, default 10)",
    )
    parser.add_argument(
        "--skip-seed",
        action="store_true",
        default=bool(env.get("BENCH_SKIP_SEED")),
        help="use the database as it is: no migrate, no seed (BENCH_SKIP_SEED=1)",
    )
    parser.add_argument(
        "--markdown",
        nargs="?",
        const="-",
        default=env.get("BENCH_MARKDOWN") or None,
        metavar="PATH",
        help="also write the figures as Markdown to PATH, or print them (BENCH_MARKDOWN)",
    )
    parser.add_argument(
        "--label",
        default=env.get("BENCH_LABEL", ""),
        help="words for the Markdown heading, e.g. the code's state (BENCH_LABEL)",
    )
    parser.add_argument(
        "--cache",
        default=env.get("BENCH_CACHE") or f"0,{CACHE_ON_SECONDS}",
        help="DJANGO_PAGE_CACHE_SECONDS of each run, comma-separated (default 0,300)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed_bench's random seed")
    parser.add_argument("--seed-timeout", type=int, default=2 * 3600, help="seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    return parser.parse_args(argv)


def main(argv=None):
    options = parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": options.database_url,
        "DJANGO_SETTINGS_MODULE": "tracker.bench_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),  # throwaway: nothing outlives the run
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    try:
        measure_all(options, env, workdir)
    except BaseException:
        print(f"\nStopped; gunicorn's logs are in {workdir}.", file=sys.stderr)
        raise
    shutil.rmtree(workdir, ignore_errors=True)


def measure_all(options, env, workdir):
    info = prepare(options, env, workdir)
    box = machine(info)
    print(f"Data: {describe_data(info)}.")
    print(f"Machine: {describe_machine(box)}.")
    runs = []
    for cache_seconds in [int(value) for value in options.cache.split(",")]:
        print(f"\nPage cache {cache_seconds or 'off'} (DJANGO_PAGE_CACHE_SECONDS={cache_seconds}):")
        runs.append(measure(env, info, options, cache_seconds, workdir))
    text = markdown(info, box, runs, options)
    if options.markdown == "-":
        print("\n" + text)
    elif options.markdown:
        Path(options.markdown).write_text(text)
        print(f"\nMarkdown written to {options.markdown}.")


if __name__ == "__main__":
    main()
