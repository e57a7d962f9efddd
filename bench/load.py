"""Load test: gunicorn (3 workers) on PostgreSQL with a large generated road map, driven by wrk.

Starts everything it needs on loopback and stops it again; every request loop is bounded in
time. Run with `make bench-load` (installs wrk from Debian's packages if it is missing).

    python bench/load.py [--tasks 10000] [--updates-per-task 10] [--duration 15] [--connections 16]
    python bench/load.py --redis redis://127.0.0.1:6379/5   # a second round with REDIS_URL set

Reports, per URL: requests per second, latency percentiles, non-2xx responses and socket
errors (which must be zero), and each public page's ratio to the admin's task list (goal: 3x,
p99 under 300 ms). With --redis the same URLs are measured again, side by side in the same run,
with the servers' cache in that Redis (its keys under a prefix of this run, deleted at the end).
Delegates are not signed in: their requests share the page cache. "/tasks/, not shared" sends a
session cookie, so it shows what a page costs when built (a signed-in reader's, or a cache miss).
Results are also written to bench/results/load.json.

BENCH_DB_NAME names the throwaway database (default roadmap_load_bench), BENCH_PORT gunicorn's port.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB_NAME", "roadmap_load_bench")
PUBLIC_PAGES = ("/tasks/", "/ (dashboard)", "latest edition", "meeting page")
RATIO_GOAL, P99_GOAL_MS = 3.0, 300.0
WARMUP_SECONDS = 3


def free_port():
    if os.environ.get("BENCH_PORT"):
        return int(os.environ["BENCH_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, text=True, capture_output=True, **kwargs)


def psql(sql):
    subprocess.run(["psql", f"{PG_SERVER}/postgres", "-q", "-c", sql], check=True, capture_output=True)


def prepare():
    """In the benchmark's environment: sign in a superuser, pick a task and a meeting; print them."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roadmap.settings")
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from tasks.models import Meeting, Task

    user = get_user_model().objects.create_superuser("bench", "", secrets.token_urlsafe())
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    count = Task.objects.count()
    task = Task.objects.order_by("position")[count // 2]
    with_updates = Meeting.objects.filter(updates__isnull=False).distinct().order_by("-start_date")
    meeting, latest = with_updates[2], with_updates[0]
    from editions.selectors import published_editions

    edition = published_editions().filter(state="issued").order_by("-issued_at", "-pk").first()
    print(
        json.dumps(
            {
                "session": session.session_key,
                "task_id": task.pk,
                "meeting_id": meeting.pk,
                "latest_meeting": latest.pk,
                "latest_edition": edition.pk if edition else None,
            }
        )
    )


def parse_wrk(output):
    """Return requests/s, latency percentiles (ms), non-2xx and socket errors from wrk's report."""

    def ms(value):
        number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    latencies = {p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", output, re.M)}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latencies.get("50"),
        "p90_ms": latencies.get("90"),
        "p99_ms": latencies.get("99"),
        "non_2xx": int((re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1]),
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def start_server(env):
    """Start gunicorn (3 workers) and wait until it answers; return (process, base URL)."""
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "roadmap.wsgi", "--workers", "3", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/tasks/", timeout=5)  # noqa: S310 (loopback)
            break
        except OSError:
            time.sleep(0.3)
    return server, base


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def targets(prepared):
    """Return (name, path, headers) of every URL measured."""
    admin = {"Cookie": f"sessionid={prepared['session']}"}
    return [
        ("/tasks/", "/tasks/", {}),
        ("/tasks/ filtered", "/tasks/?group=twg&status=in_progress&status=draft", {}),
        ("/tasks/ as at a meeting", f"/tasks/?meeting={prepared['meeting_id']}", {}),
        ("/ (dashboard)", "/", {}),
        ("latest edition", f"/editions/{prepared['latest_edition']}/", {}),
        ("meeting page", f"/meetings/{prepared['latest_meeting']}/", {}),
        ("task page", f"/tasks/{prepared['task_id']}/", {}),
        ("/tasks/, not shared", "/tasks/", {"Cookie": "sessionid=not-signed-in"}),
        ("admin task list", "/admin/tasks/task/", admin),
        ("/tasks/export.xlsx", "/tasks/export.xlsx?group=lwg", {}),
    ]


def measure(base, name, path, headers, options):
    """Drive one URL with wrk; return its row of figures (or why it was skipped)."""
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
            status = response.status
            response.read()
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        print(f"{name:26} answers HTTP {status}: not measured", flush=True)
        return {"name": name, "path": path, "first_status": status, "skipped": True}
    heavy = "export" in path
    args = ["wrk", "--latency", "-t", "2", "-c", str(2 if heavy else options.connections), "--timeout", "60s"]
    for key, value in headers.items():
        args += ["-H", f"{key}: {value}"]
    # Untimed warm-up: each worker builds the page once (with the local-memory cache, every worker
    # has its own); the measured run is the steady state of a morning when the data does not change.
    subprocess.run([*args, "-d", f"{WARMUP_SECONDS}s", base + path], capture_output=True, check=True)
    output = subprocess.run(
        [*args, "-d", f"{options.duration}s", base + path], capture_output=True, text=True, check=True
    ).stdout
    row = {"name": name, "path": path, "first_status": status, **parse_wrk(output)}
    print(
        f"{name:26} {row['rps']:8.1f} req/s  p50 {row['p50_ms']:7.1f} ms  p90 {row['p90_ms']:7.1f} ms  "
        f"p99 {row['p99_ms']:7.1f} ms  non-2xx {row['non_2xx']}  errors {row['socket_errors']}",
        flush=True,
    )
    return row


def run_round(label, env, prepared, options):
    """Serve with ``env`` and measure every URL; return the rows, and the goals' verdict printed."""
    print(f"\n--- {label} (load average {os.getloadavg()[0]:.1f}) ---", flush=True)
    server, base = start_server(env)
    try:
        rows = [measure(base, name, path, headers, options) for name, path, headers in targets(prepared)]
    finally:
        stop_server(server)
    by_name = {row["name"]: row for row in rows}
    admin = by_name["admin task list"]["rps"]
    for name in PUBLIC_PAGES:
        row = by_name[name]
        row["ratio_to_admin"] = row["rps"] / admin
        met = row["ratio_to_admin"] >= RATIO_GOAL and row["p99_ms"] < P99_GOAL_MS
        print(f"{name:26} {row['ratio_to_admin']:6.2f}x the admin's task list, p99 {row['p99_ms']:.0f} ms: "
              f"{'goal met' if met else 'goal NOT met'}")  # fmt: skip
    return {"label": label, "load_average": os.getloadavg(), "results": rows}


def failures_of(rows):
    measured = [row for row in rows if not row.get("skipped")]
    failures = sum(row["non_2xx"] + row["socket_errors"] for row in measured)
    return failures + sum(1 for row in rows if row.get("skipped") and row["first_status"] != 404)


def delete_cache_keys(redis_url, prefix):
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


def generate(env, options):
    print(f"Generating {options.tasks:,} tasks x {options.updates_per_task} updates on PostgreSQL...", flush=True)
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run(
        [PYTHON, "manage.py", "generate_roadmap", "--tasks", str(options.tasks),
         "--updates-per-task", str(options.updates_per_task), "--meetings", "24", "--seed", "1"],
        env,
    )  # fmt: skip
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    return json.loads(run([PYTHON, __file__, "--prepare"], env).stdout.strip().splitlines()[-1])


def server_env():
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "REDIS_URL"},
        "DATABASE_URL": f"{PG_SERVER}/{DB_NAME}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: no TLS redirect or HSTS in front of the load generator.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--updates-per-task", type=int, default=10)
    parser.add_argument("--duration", type=int, default=15, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", ""), help="measure again with REDIS_URL")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        return prepare()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (make bench-load does it)")

    env = server_env()
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    prefix = f"roadmap-load-{secrets.token_hex(4)}"
    rounds = []
    try:
        prepared = generate(env, options)
        rounds.append(run_round("local-memory cache (one per worker)", env, prepared, options))
        if options.redis:
            redis_env = {**env, "REDIS_URL": options.redis, "ROADMAP_CACHE_PREFIX": prefix}
            rounds.append(run_round(f"REDIS_URL={options.redis}", redis_env, prepared, options))
    finally:
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        if options.redis:
            delete_cache_keys(options.redis, prefix)

    failures = sum(failures_of(entry["results"]) for entry in rounds)
    print(f"\nNon-2xx responses and socket errors, all URLs and rounds: {failures}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    summary = {"options": vars(options), "rounds": rounds, "failures": failures}
    (out / "load.json").write_text(json.dumps(summary, indent=2))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
