"""Benchmark: how long importing a full spreadsheet of progress updates takes (5,000 rows by default).

In a throwaway database (a temporary SQLite file; with --postgres, a database roadmap_bench_import_<pid>
made and dropped on the server DATABASE_URL names, which is itself never touched) this makes N tasks
with one update each, writes a Data sheet changing every status, and times: reading and checking the
file (the preview), writing it (the confirmation), and checking it again (every row unchanged);
then the same through the admin's pages (upload, preview, confirm) with a second file.

    .venv/bin/python bench/import_progress.py
    .venv/bin/python bench/import_progress.py --rows 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/roadmap .venv/bin/python bench/import_progress.py --postgres
"""

import argparse
import datetime
import io
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def throwaway_database(postgres):
    """Point DATABASE_URL at a new empty database; return a function that drops it."""
    if not postgres:
        folder = tempfile.mkdtemp(prefix="roadmap-bench-import-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        return lambda: None
    import psycopg2

    server = urlsplit(os.environ["DATABASE_URL"])
    name = f"roadmap_bench_import_{os.getpid()}"
    admin = psycopg2.connect(urlunsplit(server._replace(path="/postgres")))
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(server._replace(path=f"/{name}"))

    def drop():
        from django.db import connections

        connections.close_all()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()

    return drop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway database on DATABASE_URL's server")
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
    os.environ["DJANGO_SETTINGS_MODULE"] = "roadmap.settings"
    drop = throwaway_database(options.postgres)
    try:
        run(options.rows)
    finally:
        drop()


def run(count):
    import django

    django.setup()
    import openpyxl
    from django.core.management import call_command

    from tasks.current_update import refresh_current_update
    from tasks.models import Meeting, ProgressUpdate, Status, Task
    from tasks.services import apply_progress_import
    from tasks.spreadsheets.layout import DATA_COLUMNS
    from tasks.spreadsheets.progress_import import read_progress_file, summarise

    call_command("migrate", verbosity=0)
    tasks = Task.objects.bulk_create(Task(position=n, title=f"Task number {n}") for n in range(1, count + 1))
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            task=task, reported_on=datetime.date(2020, 1, 1), status=Status.IN_PROGRESS, narrative="Under way. " * 30
        )
        for task in tasks
    )
    refresh_current_update()
    meeting = Meeting.objects.create(
        title="Bench meeting",
        short_title="BENCH",
        body=Meeting.Body.WORKING_GROUP,
        start_date=datetime.date(2021, 5, 3),
        end_date=datetime.date(2021, 5, 4),
    )

    def data_sheet(status):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Data"
        sheet.append(list(DATA_COLUMNS))
        for task in Task.objects.order_by("position"):
            sheet.append([task.pk, task.position, task.title, None, None, status, f"{status}. " * 30, None, None])
        out = io.BytesIO()
        workbook.save(out)
        return out

    out = data_sheet("Completed")
    size = len(out.getvalue())

    started = time.perf_counter()
    rows = read_progress_file(out, reported_on=meeting.end_date, max_rows=count)
    checked = time.perf_counter()
    created = apply_progress_import(rows=rows, meeting=meeting, reported_on=meeting.end_date, user=None)
    written = time.perf_counter()
    again = summarise(read_progress_file(out, reported_on=meeting.end_date, max_rows=count))
    rechecked = time.perf_counter()

    vendor = django.db.connection.vendor
    print(f"{count} rows, file {size / 1024:.0f} KiB, {vendor}")
    print(f"  read and check (preview): {checked - started:6.2f} s  {summarise(rows)}")
    print(f"  write (confirm):          {written - checked:6.2f} s  {len(created)} updates created")
    print(f"  check again:              {rechecked - written:6.2f} s  {again}")
    through_the_admin(meeting, data_sheet("Pending").getvalue(), count)


def through_the_admin(meeting, content, count):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client, override_settings

    from tasks.models import ProgressUpdate

    user = get_user_model().objects.create_superuser("bench", password="bench-password-1")  # noqa: S106
    client = Client()
    client.force_login(user)
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES={"default": static, "staticfiles": static}):
        before = ProgressUpdate.objects.count()
        started = time.perf_counter()
        uploaded = client.post(
            "/admin/tasks/progressupdate/import/",
            {"file": SimpleUploadedFile("bench.xlsx", content), "meeting": meeting.pk, "reported_on": ""},
        )
        posted = time.perf_counter()
        preview = client.get(uploaded.url)
        shown = time.perf_counter()
        token = client.session["tasks.progress_import"]["token"]
        done = client.post("/admin/tasks/progressupdate/import/confirm/", {"token": token})
        confirmed = time.perf_counter()
    assert done.status_code == 302 and ProgressUpdate.objects.count() == before + count
    print("through the admin:")
    print(f"  upload:                   {posted - started:6.2f} s")
    print(f"  preview page:             {shown - posted:6.2f} s  {len(preview.content) / 1024 / 1024:.1f} MiB of HTML")
    print(f"  confirm:                  {confirmed - shown:6.2f} s")


if __name__ == "__main__":
    main()
