"""Scale benchmark: what each page costs with 100, 1,000 and 10,000 tasks.

For each database backend (SQLite always; PostgreSQL too when DATABASE_URL names one) this makes a
throwaway database per size and generates a road map in it (tasks.generation, 10 updates per task),
then requests every page in-process with django.test.Client: once to count its SQL queries, then in
rounds of warm-up and timed requests, of which it reports the median and 95th percentile. Each round
visits every size in turn, so that other work on the machine weighs on all sizes alike. Pages that
do not exist yet (404, NoReverseMatch) are reported as "n/a".

    python bench/run.py                       # or: make bench
    python bench/run.py --sizes 100,1000 --repeat 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/roadmap python bench/run.py

The table goes to stdout, the same figures as JSON to bench/results/. The database in DATABASE_URL
is never touched: PostgreSQL figures come from databases roadmap_bench_<pid>_<size> (BENCH_DB_PREFIX
replaces "roadmap_bench"), made and dropped here.
"""

import argparse
import datetime
import gc
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_SIZES = [100, 1000, 10000]
NOT_MODIFIED_GOAL_MS = 5  # A conditional GET of an unchanged page, answered 304, in process.
TIME_GOAL = 1.5  # A page at the largest size may take at most this many times its time at the smallest.
# The export holds every task: fewer timed requests keep the run short at 10,000 tasks.
SLOW_PAGES = {"xlsx export"}


def timed_requests(page, repeat):
    return min(repeat, max(3, repeat // 4)) if page in SLOW_PAGES else repeat


# --- The pages ------------------------------------------------------------------------------------


def pages(*, task_id, meeting_id, edition_id=0, previous_edition_id=0):
    """Return (name, path, who asks) of every page measured, following the URL contract.

    Who asks: "anonymous" (a delegate, served from the shared page cache after the first
    request), "unshared" (a session cookie: the page is built every time, as for a signed-in
    reader or a cache miss), "uncached" (the same, the comparison of the two editions deleted from
    the cache before each request: computed as the first time), "revalidating" (sends the page's
    ETag: the answer is a 304), "admin".
    """
    return [
        ("dashboard", "/", "anonymous"),
        ("dashboard, built", "/", "unshared"),
        ("tasks", "/tasks/", "anonymous"),
        ("tasks, built", "/tasks/", "unshared"),
        ("tasks, 304", "/tasks/", "revalidating"),
        ("tasks, filtered", "/tasks/?group=twg&status=in_progress&status=draft&article=8", "anonymous"),
        ("tasks, sorted by status", "/tasks/?sort=status", "anonymous"),
        ("tasks, as at a meeting", f"/tasks/?meeting={meeting_id}", "anonymous"),
        ("task page", f"/tasks/{task_id}/", "anonymous"),
        ("meeting edition", f"/meetings/{meeting_id}/", "anonymous"),
        ("meeting edition, built", f"/meetings/{meeting_id}/", "unshared"),
        ("issued edition", f"/editions/{edition_id}/", "anonymous"),
        ("issued edition, built", f"/editions/{edition_id}/", "unshared"),
        ("edition comparison", f"/editions/compare/?from={previous_edition_id}&to={edition_id}", "anonymous"),
        # Built every time; the comparison itself is computed once per pair of issued editions.
        ("edition comparison, built", f"/editions/compare/?from={previous_edition_id}&to={edition_id}", "unshared"),
        # Its cached comparison deleted before each request: computed, as the first time a pair is asked for.
        ("edition comparison, first", f"/editions/compare/?from={previous_edition_id}&to={edition_id}", "uncached"),
        # With today's table nothing is kept: the comparison is computed on every request.
        ("comparison with today, built", f"/editions/compare/?from={edition_id}&to=live", "unshared"),
        ("xlsx export", "/tasks/export.xlsx", "anonymous"),
        ("admin task list", "/admin/tasks/task/", "admin"),
        ("api tasks", "/api/v1/tasks/", "anonymous"),
    ]


# --- The worker: one backend, in a process of its own (settings are read once, at start) -----------


def run_worker(args):
    """Generate a road map of each size in a database of its own, then time the pages, interleaved.

    Each database keeps its own open connection; the requests of a page go round the sizes, one
    request each in turn (in alternating order), so that whatever else the machine is doing weighs
    on all sizes alike and the ratios between them stay meaningful.
    """
    urls = {int(size): url for size, url in json.loads(args.database_urls).items()}
    os.environ["DATABASE_URL"] = urls[args.sizes[0]]
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()

    from django.db import connection

    result = {"django": django.get_version(), "generation": {}, "pages": []}
    targets = {}
    for size in args.sizes:
        targets[size] = Target(size=size, connection=open_database(urls[size]))
        targets[size].activate()
        result["database"] = database_label(connection)
        log(f"  {result['database']}: generating {size:,} tasks x {args.updates_per_task} updates...")
        seconds = targets[size].prepare(args)
        result["generation"][str(size)] = round(seconds, 2)
        log(f"    generated in {seconds:.1f} s")

    log(f"  measuring {len(PAGE_NAMES)} pages x {len(args.sizes)} sizes, {WARMUP} + {args.repeat} requests each...")
    times, cpu_times = {}, {}  # wall, and this process's CPU (the server's work, whatever else runs)
    for turn in range(WARMUP + args.repeat):
        order = args.sizes if turn % 2 == 0 else args.sizes[::-1]
        for name in PAGE_NAMES:
            if turn >= WARMUP + timed_requests(name, args.repeat):
                continue
            for size in order:
                target = targets[size]
                target.activate()
                path, client = target.page(name)
                if name not in target.probes:
                    target.probes[name] = probe(client, path)
                if target.probes[name]["status"] != "ok":
                    continue
                gc.collect()  # Let no request pay for the garbage of the one before (another size's).
                started, cpu_started = time.perf_counter(), time.process_time()
                body(client.get(path))
                if turn >= WARMUP:
                    times.setdefault((size, name), []).append((time.perf_counter() - started) * 1000)
                    cpu_times.setdefault((size, name), []).append((time.process_time() - cpu_started) * 1000)

    for size, target in targets.items():
        for name, path, who in target.pages:
            figures = target.probes[name]
            if figures["status"] == "ok":
                figures.update(summarise(times[size, name]))
                figures["cpu_median_ms"] = round(statistics.median(cpu_times[size, name]), 2)
            result["pages"].append({"page": name, "path": path, "n": size, "admin": who == "admin", **figures})
    Path(args.worker_output).write_text(json.dumps(result))


WARMUP = 2  # Untimed requests of each page and size before the timed ones.
PAGE_NAMES = [name for name, _path, _admin in pages(task_id=0, meeting_id=0)]


def open_database(url):
    """Return a connection of its own to one of the throwaway databases, kept open all run long."""
    import dj_database_url
    from django.db import connections
    from django.db.utils import load_backend

    settings_dict = {**connections["default"].settings_dict, "NAME": dj_database_url.parse(url)["NAME"]}
    settings_dict["CONN_MAX_AGE"] = None  # No request pays for reconnecting, whichever size came before.
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")


@dataclass
class Target:
    """One size: its database connection, its pages, and the clients that request them."""

    size: int
    connection: object
    pages: list = field(default_factory=list)
    clients: dict = field(default_factory=dict)
    probes: dict = field(default_factory=dict)

    def activate(self):
        """Make this size's database the default one: what views, models and the admin use."""
        from django.db import connections

        connections["default"] = self.connection

    def page(self, name):
        path, who = next((path, who) for page, path, who in self.pages if page == name)
        return path, self.clients[who]

    def prepare(self, args):
        """Migrate, generate the road map, sign the admin client in; return the generation's seconds."""
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from tasks.generation import generate_roadmap
        from tasks.models import Meeting, Task

        call_command("migrate", verbosity=0)
        generated = generate_roadmap(
            tasks=self.size, updates_per_task=args.updates_per_task, meetings=args.meetings, seed=args.seed
        )
        analyze(connection)
        # The task in the middle of the table, and the last steering-group meeting but one: a past edition.
        task = Task.objects.order_by("position")[self.size // 2]
        steering = Meeting.objects.filter(body=Meeting.Body.STEERING_GROUP).order_by("-start_date")
        meeting = steering[1] if steering.count() > 1 else steering.first()
        edition, previous = issued_editions(meeting)
        self.pages = pages(task_id=task.pk, meeting_id=meeting.pk, edition_id=edition, previous_edition_id=previous)
        admin = Client()
        admin.force_login(get_user_model().objects.create_superuser("bench-admin", "", "bench-password"))
        etag = Client().get("/tasks/")["ETag"]  # the data stays as generated: the ETag holds all run long
        self.clients = {
            "anonymous": Client(),
            "unshared": Client(HTTP_COOKIE="sessionid=bench-not-signed-in"),
            "uncached": forgetting_client(
                comparison_keys(edition, previous), HTTP_COOKIE="sessionid=bench-not-signed-in"
            ),
            "revalidating": Client(HTTP_IF_NONE_MATCH=etag),
            "admin": admin,
        }
        return generated.seconds


def forgetting_client(keys, **defaults):
    """Return a test client that deletes ``keys`` from the cache before each request (and nothing else)."""
    from django.core.cache import cache
    from django.test import Client

    class Forgetting(Client):
        def get(self, *args, **kwargs):
            cache.delete_many(keys)
            return super().get(*args, **kwargs)

    return Forgetting(**defaults)


def comparison_keys(edition_id, previous_id):
    """Return the cache key of the two editions' comparison (none before the editions app)."""
    if not edition_id:
        return []
    from editions.models import Edition
    from editions.selectors import comparison_key

    editions = Edition.objects.in_bulk([edition_id, previous_id])
    return [comparison_key(editions[previous_id], editions[edition_id])]


def issued_editions(meeting):
    """Return the ids of an issued edition that has one before it (the latest such), and of that one; 0s if none."""
    try:
        from editions.models import Edition, State
        from editions.selectors import previous_issued
    except ImportError:  # before the editions app
        return 0, 0
    for edition in Edition.objects.filter(state=State.ISSUED).order_by("-meeting__start_date"):
        previous = previous_issued(edition)
        if previous is not None:
            return edition.pk, previous.pk
    return 0, 0


def analyze(connection):
    """Give PostgreSQL's planner the statistics autovacuum would have gathered after the bulk load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def probe(client, path):
    """Request a page once: whether it exists, its SQL queries (count, time, slowest) and its size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch

    timer = QueryTimer()
    try:
        with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timer):
            response = client.get(path)
            size = len(body(response))
        count = len(queries.captured_queries)  # Now: the next request clears the log.
    except NoReverseMatch as error:
        return {"status": "n/a", "detail": f"NoReverseMatch: {error}"}
    except Exception as error:  # Report a broken page and go on measuring the others.
        return {"status": "error", "detail": f"{type(error).__name__}: {error}"}
    if response.status_code == 404:
        return {"status": "n/a", "detail": "404"}
    if response.status_code not in (200, 304):
        return {"status": "error", "detail": f"HTTP {response.status_code}"}
    return {
        "status": "ok",
        "queries": count,
        # The database's share of one request, and its slowest statements: where the time goes.
        "sql_ms": round(sum(ms for ms, _sql in timer.queries), 2),
        "slowest_sql": [{"ms": round(ms, 2), "sql": sql[:2000]} for ms, sql in sorted(timer.queries, reverse=True)[:3]],
        "kb": round(size / 1024, 1),
    }


def summarise(times):
    times = sorted(times)
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[math.ceil(0.95 * len(times)) - 1], 2),
        "requests": len(times),
    }


class QueryTimer:
    """Time each statement (execute only: SQLite fetches the rows afterwards, so it counts less)."""

    def __init__(self):
        self.queries = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))


def body(response):
    """Return the whole body (the test client closes the response, as a WSGI server would)."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def database_label(connection):
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10000)
    return f"PostgreSQL {major}.{minor}"


# --- The throwaway databases ------------------------------------------------------------------------


class SqliteDatabases:
    """A temporary folder with one SQLite file per size, removed at the end."""

    name = "sqlite"

    def __init__(self, sizes):
        self.sizes = sizes

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="roadmap-bench-")
        return {size: f"sqlite:///{self.folder}/bench-{size}.sqlite3" for size in self.sizes}

    def __exit__(self, *exc):
        shutil.rmtree(self.folder, ignore_errors=True)


class PostgresDatabases:
    """Databases of their own on the server DATABASE_URL names, one per size: created empty, then dropped."""

    name = "postgresql"

    def __init__(self, url, sizes):
        self.url = urlsplit(url)
        prefix = os.environ.get("BENCH_DB_PREFIX", "roadmap_bench")  # e.g. a name space of one's own on a shared server
        self.names = {size: f"{prefix}_{os.getpid()}_{size}" for size in sizes}
        if self.url.path.lstrip("/") in self.names.values():
            raise SystemExit(f"DATABASE_URL names {self.url.path.lstrip('/')}; refusing to drop it.")

    def execute(self, statement):
        import psycopg2

        parts = self.url
        connection = psycopg2.connect(
            dbname="postgres", user=parts.username, password=parts.password, host=parts.hostname, port=parts.port
        )
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        finally:
            connection.close()

    def __enter__(self):
        for name in self.names.values():
            self.execute(f'DROP DATABASE IF EXISTS "{name}"')
            self.execute(f'CREATE DATABASE "{name}"')
        return {size: urlunsplit(self.url._replace(path=f"/{name}", query="")) for size, name in self.names.items()}

    def __exit__(self, *exc):
        for name in self.names.values():
            self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_backend(databases, args):
    with databases as urls, tempfile.NamedTemporaryFile(suffix=".json") as output:
        command = [sys.executable, __file__, "--worker", output.name, "--database-urls", json.dumps(urls)]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run([*command, *forwarded(args)], env=env, cwd=ROOT, check=True)
        return json.loads(Path(output.name).read_text())


def forwarded(args):
    return [
        f"--sizes={','.join(str(size) for size in args.sizes)}",
        f"--repeat={args.repeat}",
        f"--updates-per-task={args.updates_per_task}",
        f"--meetings={args.meetings}",
        f"--seed={args.seed}",
    ]


# --- The report -------------------------------------------------------------------------------------


def ratio(after, before):
    return after / before if before else math.inf


def report(results, args):
    """Return the plain-text tables: figures per page and size, then growth from smallest to largest."""
    smallest, largest = min(args.sizes), max(args.sizes)
    lines = []
    for backend in results["backends"].values():
        lines += [
            "",
            f"{backend['database']}: {args.updates_per_task} updates per task, {args.meetings} meetings, "
            f"{args.repeat} timed requests per page ({timed_requests('xlsx export', args.repeat)} for the export)",
            "generated: " + ", ".join(f"{int(n):,} tasks in {s:.1f} s" for n, s in backend["generation"].items()),
            "load average (1 min) before and after: {} and {}".format(*backend.get("load_average", ["?", "?"])),
            "",
            f"{'page':<26} {'N':>6} {'queries':>7} {'median ms':>10} {'p95 ms':>9} {'SQL ms':>7} {'KB':>7}",
        ]
        by_page = {}
        for row in backend["pages"]:
            by_page.setdefault(row["page"], {})[row["n"]] = row
            if row["status"] == "ok":
                figures = (
                    f"{row['queries']:>7} {row['median_ms']:>10.1f} {row['p95_ms']:>9.1f} "
                    f"{row['sql_ms']:>7.1f} {row['kb']:>7.1f}"
                )
            else:
                figures = f"{row['status']:>7}  {row['detail'][:60]}" if row["status"] == "error" else "    n/a"
            lines.append(f"{row['page']:<26} {row['n']:>6} {figures}")
        lines += [
            "",
            f"growth {smallest:,} -> {largest:,} tasks  (goals: same queries at every N; "
            f"median at {largest:,} within {TIME_GOAL}x of {smallest:,})",
            f"{'page':<26} {'queries':>16} {'median ms':>24}  goals",
        ]
        for page, rows in by_page.items():
            first, last = rows.get(smallest), rows.get(largest)
            if not (first and last and first["status"] == last["status"] == "ok"):
                lines.append(f"{page:<26} {'n/a':>16}")
                continue
            same_queries = len({row["queries"] for row in rows.values()}) == 1
            time_ratio = ratio(last["median_ms"], first["median_ms"])
            queries = f"{first['queries']} -> {last['queries']}"
            median = f"{first['median_ms']:.1f} -> {last['median_ms']:.1f} ({time_ratio:.2f}x)"
            verdict = [
                "queries met" if same_queries else "queries MISSED",
                "time met" if time_ratio <= TIME_GOAL else f"time MISSED by {time_ratio / TIME_GOAL:.2f}x",
            ]
            lines.append(f"{page:<26} {queries:>16} {median:>24}  {', '.join(verdict)}")
        tasks, admin = by_page.get("tasks", {}).get(largest), by_page.get("admin task list", {}).get(largest)
        if tasks and admin and tasks["status"] == admin["status"] == "ok":
            versus = ratio(tasks["median_ms"], admin["median_ms"])
            verdict = "met" if versus <= 1 else "MISSED"
            lines.append(
                f"/tasks/ vs admin task list at {largest:,}: {tasks['median_ms']:.1f} / {admin['median_ms']:.1f} ms "
                f"= {versus:.2f}x (goal <= 1.00x: {verdict})"
            )
        else:
            lines.append(f"/tasks/ vs admin task list at {largest:,}: n/a")
        revalidated = by_page.get("tasks, 304", {}).get(largest)
        if revalidated and revalidated["status"] == "ok":
            verdict = "met" if revalidated["median_ms"] < NOT_MODIFIED_GOAL_MS else "MISSED"
            lines.append(
                f"304 (If-None-Match on /tasks/) at {largest:,}: median {revalidated['median_ms']:.2f} ms "
                f"(goal < {NOT_MODIFIED_GOAL_MS} ms: {verdict}); CPU median {revalidated['cpu_median_ms']:.2f} ms"
            )
    return "\n".join(lines)


def log(message):
    print(message, file=sys.stderr, flush=True)


def sizes(text):
    values = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("give sizes of at least 1, e.g. 100,1000,10000")
    return sorted(set(values))


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("give a number of at least 1")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=sizes, default=DEFAULT_SIZES, help="numbers of tasks (default 100,1000,10000)")
    parser.add_argument("--repeat", type=positive, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--updates-per-task", type=positive, default=10)
    parser.add_argument("--meetings", type=positive, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--backends", default=None, help="sqlite,postgresql (default: sqlite, plus postgresql if DATABASE_URL is set)"
    )
    parser.add_argument("--worker", dest="worker_output", help=argparse.SUPPRESS)
    parser.add_argument("--database-urls", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_output:
        return run_worker(args)

    url = os.environ.get("DATABASE_URL", "")
    wanted = args.backends.split(",") if args.backends else ["sqlite", *(["postgresql"] if url else [])]
    databases = []
    for name in wanted:
        if name == "sqlite":
            databases.append(SqliteDatabases(args.sizes))
        elif name == "postgresql":
            if not url.startswith(("postgres://", "postgresql://")):
                parser.error("the postgresql backend needs DATABASE_URL=postgres://... (the server to use)")
            databases.append(PostgresDatabases(url, args.sizes))
        else:
            parser.error(f"unknown backend {name!r}: choose sqlite or postgresql")

    started = time.perf_counter()
    results = {
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "sizes": args.sizes,
        "repeat": args.repeat,
        "updates_per_task": args.updates_per_task,
        "meetings": args.meetings,
        "seed": args.seed,
        "backends": {},
    }
    for database in databases:
        log(f"{database.name}:")
        load_before = os.getloadavg()[0]
        results["backends"][database.name] = run_backend(database, args)
        # Other processes on the machine skew the times: the load average says how much to trust them.
        results["backends"][database.name]["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    results["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    output = RESULTS / f"bench-{results['started'].replace(':', '')}.json"
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(report(results, args))
    print(f"\n{results['seconds']:.0f} s in all; figures written to {output.relative_to(ROOT)}")
    errors = [row for backend in results["backends"].values() for row in backend["pages"] if row["status"] == "error"]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
