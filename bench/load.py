"""Load test: gunicorn (3 workers) on PostgreSQL with a large generated road map, driven by wrk.

Starts everything it needs on loopback and stops it again; every request loop is bounded in
time. Run with `make bench-load` (installs wrk from Debian's packages if it is missing).

    python bench/load.py [--tasks 10000] [--updates-per-task 10] [--duration 15] [--connections 8]

Reports, per URL: requests per second, latency percentiles, non-2xx responses and socket
errors (which must be zero), and the ratio of the status table to the admin's task list.
Results are also written to bench/results/load.json.
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
DB_NAME = "roadmap_load_bench"


def free_port():
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
    meeting = Meeting.objects.filter(updates__isnull=False).distinct().order_by("-start_date")[2]
    print(json.dumps({"session": session.session_key, "task_id": task.pk, "meeting_id": meeting.pk}))


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--updates-per-task", type=int, default=10)
    parser.add_argument("--duration", type=int, default=15, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.prepare:
        return prepare()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (make bench-load does it)")

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
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
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    server = None
    try:
        print(f"Generating {options.tasks:,} tasks x {options.updates_per_task} updates on PostgreSQL...", flush=True)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run(
            [PYTHON, "manage.py", "generate_roadmap", "--tasks", str(options.tasks),
             "--updates-per-task", str(options.updates_per_task), "--meetings", "24", "--seed", "1"],
            env,
        )  # fmt: skip
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        prepared = json.loads(run([PYTHON, __file__, "--prepare"], env).stdout.strip().splitlines()[-1])
        session, task_id, meeting_id = prepared["session"], prepared["task_id"], prepared["meeting_id"]

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

        targets = [
            ("/tasks/", "/tasks/", {}),
            ("/tasks/ filtered", "/tasks/?group=twg&status=in_progress&status=draft", {}),
            ("/tasks/ as at a meeting", f"/tasks/?meeting={meeting_id}", {}),
            ("/ (dashboard)", "/", {}),
            ("task page", f"/tasks/{task_id}/", {}),
            ("admin task list", "/admin/tasks/task/", {"Cookie": f"sessionid={session}"}),
            ("/tasks/export.xlsx", "/tasks/export.xlsx?group=lwg", {}),
        ]
        results = []
        for name, path, headers in targets:
            request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
                    status = response.status
                    response.read()
            except urllib.error.HTTPError as error:
                status = error.code
            if status != 200:
                print(f"{name:26} answers HTTP {status}: not measured", flush=True)
                results.append({"name": name, "path": path, "first_status": status, "skipped": True})
                continue
            heavy = "export" in path
            args = ["wrk", "--latency", "-t", "2", "-c", str(2 if heavy else options.connections)]
            args += ["-d", f"{options.duration}s", "--timeout", "60s"]
            for key, value in headers.items():
                args += ["-H", f"{key}: {value}"]
            output = subprocess.run([*args, base + path], capture_output=True, text=True, check=True).stdout
            row = {"name": name, "path": path, "first_status": status, **parse_wrk(output)}
            results.append(row)
            print(
                f"{name:26} {row['rps']:8.1f} req/s  p50 {row['p50_ms']:7.1f} ms  p90 {row['p90_ms']:7.1f} ms  "
                f"p99 {row['p99_ms']:7.1f} ms  non-2xx {row['non_2xx']}  errors {row['socket_errors']}",
                flush=True,
            )
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        psql(f"DROP DATABASE IF EXISTS {DB_NAME}")

    by_name = {row["name"]: row for row in results}
    ratio = by_name["/tasks/"]["rps"] / by_name["admin task list"]["rps"]
    measured = [row for row in results if not row.get("skipped")]
    failures = sum(row["non_2xx"] + row["socket_errors"] for row in measured)
    failures += sum(1 for row in results if row.get("skipped") and row["first_status"] != 404)
    print(f"\n/tasks/ serves {ratio:.2f}x the requests per second of the admin's task list.")
    print(f"Non-2xx responses and socket errors, all URLs: {failures}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    summary = {"options": vars(options), "results": results, "tasks_vs_admin_rps": ratio, "failures": failures}
    (out / "load.json").write_text(json.dumps(summary, indent=2))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
