"""Time issuing an edition of a large road map: freezing the rows, writing the Word and Excel files.

    python bench/issue_edition.py                    # 10,000 tasks, SQLite, median of 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/roadmap python bench/issue_edition.py --tasks 10000

The road map is generated in a throwaway database (SQLite file, or roadmap_bench_issue_<pid> on the
server DATABASE_URL names, dropped at the end); each run prepares a new edition of the whole table,
takes it through submission and clearance, then times ``issue_edition`` (one transaction) and its
steps separately: the frozen rows, the Word file, the Excel file.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def database(url):
    """Return (throwaway DATABASE_URL, drop function)."""
    if not url or url.startswith("sqlite"):
        folder = tempfile.mkdtemp(prefix="roadmap-issue-")
        return f"sqlite:///{folder}/issue.sqlite3", lambda: None
    import psycopg2

    parts = urlsplit(url)
    name = f"roadmap_bench_issue_{os.getpid()}"

    def execute(statement):
        connection = psycopg2.connect(
            dbname="postgres", user=parts.username, password=parts.password, host=parts.hostname, port=parts.port
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
        connection.close()

    execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: execute(f'DROP DATABASE IF EXISTS "{name}"')


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def measure(args):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from editions import documents, services
    from editions.models import Edition
    from tasks.generation import generate_roadmap
    from tasks.models import Meeting

    call_command("migrate", verbosity=0)
    _generated, seconds = timed(generate_roadmap, tasks=args.tasks, updates_per_task=10, meetings=args.meetings, seed=0)
    print(f"generated {args.tasks:,} tasks (and issued an edition per IISG meeting) in {seconds:.1f} s", flush=True)
    users = get_user_model().objects
    preparer = users.create_superuser("preparer", "", "bench-password")
    clearer = users.create_superuser("clearer", "", "bench-password")
    meeting = Meeting.objects.filter(body=Meeting.Body.STEERING_GROUP).order_by("-start_date").first()
    runs = []
    for run in range(args.repeat):
        edition = Edition.objects.create(meeting=meeting, symbol=f"BENCH/{run}", created_by=preparer)
        services.submit_edition(edition=edition, user=preparer)
        services.clear_edition(edition=edition, user=clearer)
        edition, total = timed(services.issue_edition, edition=edition, user=clearer)
        # The steps alone, as the issuing ran them, on the rows it froze (rolled back).
        with transaction.atomic():
            rows = list(documents.live_rows(edition))
            _rows, read = timed(list, documents.live_rows(edition))
            scope = documents.EditionScope(edition)
            _docx, docx = timed(documents.render, scope, "docx")
            _xlsx, xlsx = timed(documents.render, scope, "xlsx")
            transaction.set_rollback(True)
        runs.append({"issue_s": total, "read_live_rows_s": read, "docx_s": docx, "xlsx_s": xlsx, "rows": len(rows)})
        print(
            f"  run {run + 1}: issued {len(rows):,} rows in {total:.2f} s (Word {docx:.2f} s, Excel {xlsx:.2f} s)",
            flush=True,
        )
    summary = {key: round(statistics.median(run[key] for run in runs), 2) for key in runs[0]}
    summary["database"] = connection.vendor
    print(json.dumps(summary))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--meetings", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url, drop = database(os.environ.get("DATABASE_URL", ""))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    try:
        measure(args)
    finally:
        from django.db import connections

        connections.close_all()
        drop()


if __name__ == "__main__":
    main()
