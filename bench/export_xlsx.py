"""Benchmark the Excel export against the floor: openpyxl write-only writing the same cells.

    .venv/bin/python bench/export_xlsx.py [--tasks 10000] [--updates 10] [--runs 3] [--scenarios export,word]

Builds a throwaway SQLite database (a temporary file; --database-url for another) with
``--tasks`` tasks of ``--updates`` progress updates each, then measures four scenarios, each
in a fresh process so that one's memory does not flatter the next:

- export: the whole table through the view's code path (TaskFilter, ExportScope, xlsx_response),
  file built and read out of the spool, as a download is;
- export + history: the same with ``history=1``;
- word: the Word export of the same table (docx_response), drained as a download is;
- floor, floor + history: the same sheets, cells, styles, row heights and page setup written
  with plain openpyxl write-only from lists prepared beforehand (database reads, labels and
  row heights outside the timing), then read out of the same spool.

Time: time.perf_counter (wall) and time.process_time (CPU, steadier on a shared machine),
median of ``--runs`` runs after a first, warm-up run, the garbage collector's view of what
is at rest frozen (gc.freeze) in both.
Memory: peak resident set size (Linux VmHWM, reset through /proc/self/clear_refs) during the
first run, above the resident size of the process at rest (Django set up, a database
connection open; for the floor, its prepared lists included in the rest). RSS counts what tracemalloc cannot see
(lxml's buffers, SQLite's cache).

The floor's file is checked against the export's, cell by cell (values and types), unless
--no-verify.
"""

import argparse
import gc
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A vocabulary for synthetic titles and narratives: none starts a formula, so the floor's
# plain appends write the same cells as the export.
VOCABULARY = (
    "paperless trade cross-border data documents electronic exchange single window legal technical working group "
    "guide framework pilot project national regional international standards mutual recognition capacity building "
    "checklist template draft review members comments collecting process improving template benchmarking interoperable "
    "systems agreement implementation readiness gap analysis secretariat partners support strategy transition live"
)
WORDS = VOCABULARY.split()
# "word": the Word export of the same tasks (/tasks/export.docx), against the Excel export's time.
SCENARIOS = ("export", "floor", "export+history", "floor+history", "word")
STATUSES = ["not_started", "in_progress", "draft", "completed", "pending", "cancelled"]


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "roadmap.settings"
    os.environ["DJANGO_DEBUG"] = "0"  # no query log, production code paths
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def sentence(rng, low, high):
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def build(tasks, updates):
    """Fill the database: articles, two groups, a meeting per round of updates, tasks, updates."""
    import datetime

    from django.core.management import call_command
    from django.db import transaction

    from articles.models import Article
    from tasks.current_update import refresh_current_update
    from tasks.models import Meeting, ProgressUpdate, Task, TaskArticle, WorkingGroup

    call_command("migrate", verbosity=0)
    rng = random.Random(4)
    with transaction.atomic():
        articles = Article.objects.bulk_create(Article(number=n) for n in range(1, 17))
        groups = WorkingGroup.objects.bulk_create(
            [
                WorkingGroup(name="Legal Working Group", short_name="LWG", slug="lwg", position=1),
                WorkingGroup(name="Technical Working Group", short_name="TWG", slug="twg", position=2),
            ]
        )
        meetings = Meeting.objects.bulk_create(
            Meeting(
                title=f"Meeting {n + 1} of the Legal and Technical Working Group",
                short_title=f"LTWG-{n + 1}",
                body=Meeting.Body.WORKING_GROUP,
                start_date=datetime.date(2015 + n, 3, 23),
                end_date=datetime.date(2015 + n, 3, 25),
                venue="Bangkok",
            )
            for n in range(updates)
        )
        rows = Task.objects.bulk_create(
            (
                Task(position=n + 1, title=sentence(rng, 8, 30), lead_group=groups[n % 3] if n % 3 < 2 else None)
                for n in range(tasks)
            ),
            batch_size=2000,
        )
        TaskArticle.objects.bulk_create(
            (
                TaskArticle(task=task, article=article)
                for task in rows
                for article in rng.sample(articles, rng.choice([0, 1, 1, 1, 2, 2, 3]))
            ),
            batch_size=5000,
        )
        ProgressUpdate.objects.bulk_create(
            (
                ProgressUpdate(
                    task=task,
                    meeting=meeting,
                    reported_on=meeting.start_date,
                    status=rng.choice(STATUSES),
                    narrative=" ".join(sentence(rng, 6, 18) for _ in range(rng.randint(1, 3))),
                )
                for task in rows
                for meeting in meetings
            ),
            batch_size=5000,
        )
        refresh_current_update()


def rss_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def reset_peak():
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")


def drain(response):
    size = 0
    for block in response.streaming_content:
        size += len(block)
    response.close()
    return size


def export_runner(history):
    from django.http import QueryDict

    from tasks.filters import TaskFilter
    from tasks.spreadsheets.scope import ExportScope
    from tasks.spreadsheets.xlsx import xlsx_response

    def run():
        scope = ExportScope.from_filter(TaskFilter(QueryDict()))
        return drain(xlsx_response(scope, {"history": history}))

    return run, None


def floor_runner(history):
    """Return a function writing the export's cells with plain openpyxl, from prepared lists."""
    from django.http import QueryDict
    from django.utils.translation import gettext
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    from tasks.filters import TaskFilter
    from tasks.spreadsheets import xlsx
    from tasks.spreadsheets.layout import DATA_COLUMNS, HISTORY_COLUMNS
    from tasks.spreadsheets.scope import ExportScope, spooled_response, status_labels

    scope = ExportScope.from_filter(TaskFilter(QueryDict()))
    heading = xlsx._heading(scope)
    columns = xlsx.TABLE_COLUMNS
    widths = [width for _key, _header, width in columns]
    headers = [str(header) for _key, header, _width in columns]
    labels, english = status_labels(), status_labels("en")
    no_progress, no_update = gettext("No progress reported yet."), gettext("No update yet")
    table_rows, data_rows = [], []
    for row in scope.rows():
        texts = [
            row.title,
            row.narrative or no_progress,
            row.articles_label,
            row.lead_group,
            labels.get(row.status, no_update),
        ]
        table_rows.append(([text or None for text in texts], xlsx.row_height(texts, widths)))
        data_rows.append(
            [
                row.id,
                row.position,
                row.title,
                row.lead_group or None,
                row.article_numbers or None,
                english.get(row.status),
                row.narrative or None,
                row.reported_on,
                row.meeting or None,
            ]
        )
    history_rows = [
        [u.task_id, u.position, u.reported_on, u.meeting or None, english.get(u.status), u.narrative, u.recorded_at]
        for u in (scope.history() if history else ())
    ]
    header_row = len(heading) + 2

    def write(out):
        workbook = Workbook(write_only=True)
        workbook.properties.title = scope.title
        workbook.properties.creator = str(xlsx.COMMISSION)
        for style in xlsx._named_styles():
            workbook.add_named_style(style)
        table = workbook.create_sheet(xlsx.STATUS_SHEET)
        xlsx._set_up_status_sheet(table, columns, header_row)

        def styled(sheet, value, style):
            cell = WriteOnlyCell(sheet, value)
            cell.style = style
            return cell

        for text, style in heading:
            table.append([styled(table, text, style) if style else text])
        table.append([])
        table.row_dimensions[header_row].height = xlsx.row_height(headers, widths)
        table.append([styled(table, header, xlsx.HEADER) for header in headers])
        data = workbook.create_sheet(xlsx.DATA_SHEET)
        xlsx._set_widths(data, xlsx.DATA_WIDTHS)
        data.freeze_panes = "A2"
        data.append([styled(data, header, xlsx.HEADER) for header in DATA_COLUMNS])
        for line, ((texts, height), values) in enumerate(zip(table_rows, data_rows, strict=True), header_row + 1):
            table.row_dimensions[line].height = height
            table.append([styled(table, text, xlsx.CELL) for text in texts])
            del table.row_dimensions[line]
            data.append(values)
        data.auto_filter.ref = f"A1:{get_column_letter(len(DATA_COLUMNS))}{len(data_rows) + 1}"
        if history:
            sheet = workbook.create_sheet(xlsx.HISTORY_SHEET)
            xlsx._set_widths(sheet, xlsx.HISTORY_WIDTHS)
            sheet.freeze_panes = "A2"
            sheet.append([styled(sheet, header, xlsx.HEADER) for header in HISTORY_COLUMNS])
            for values in history_rows:
                sheet.append(values)
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(HISTORY_COLUMNS))}{len(history_rows) + 1}"
        workbook.save(out)

    def run():
        return drain(spooled_response(write, filename="floor.xlsx", content_type=xlsx.CONTENT_TYPE))

    return run, write


def word_runner(history):
    from django.http import QueryDict

    from tasks.filters import TaskFilter
    from tasks.spreadsheets.docx import docx_response
    from tasks.spreadsheets.scope import ExportScope

    def run():
        scope = ExportScope.from_filter(TaskFilter(QueryDict()))
        return drain(docx_response(scope, {}))

    return run, None


def measure(scenario, runs, keep):
    """Run one scenario in this process; print its figures as JSON."""
    history = scenario.endswith("history")
    make = {"floor": floor_runner, "word": word_runner}.get(scenario.split("+")[0], export_runner)
    run, write = make(history)
    rest = rss_kib("VmRSS")
    try:
        reset_peak()
        peak_field = "VmHWM"
    except OSError:
        peak_field = None
    gc.collect()
    gc.freeze()  # what is at rest (the floor's prepared lists) is not the collector's work in the runs
    times, cpu_times, size = [], [], 0
    for index in range(runs + 1):  # the first run warms up: its memory counts, its time does not
        start, cpu_start = time.perf_counter(), time.process_time()
        size = run()
        if index == 0:
            peak = rss_kib(peak_field) if peak_field else None
        else:
            times.append(time.perf_counter() - start)
            cpu_times.append(time.process_time() - cpu_start)
    if keep:
        if write is None:
            from django.http import QueryDict

            from tasks.filters import TaskFilter
            from tasks.spreadsheets.scope import ExportScope
            from tasks.spreadsheets.xlsx import write_xlsx

            with open(keep, "wb") as out:
                write_xlsx(ExportScope.from_filter(TaskFilter(QueryDict())), out, history=history)
        else:
            with open(keep, "wb") as out:
                write(out)
    print(
        json.dumps(
            {
                "scenario": scenario,
                "times": times,
                "median": statistics.median(times),
                "cpu_median": statistics.median(cpu_times),
                "rest_mib": rest / 1024,
                "peak_above_rest_mib": (peak - rest) / 1024 if peak else None,
                "bytes": size,
            }
        )
    )


def same_cells(first, second):
    """Compare two workbooks' sheets cell by cell: values and data types."""
    from openpyxl import load_workbook

    a, b = load_workbook(first, read_only=True), load_workbook(second, read_only=True)
    assert a.sheetnames == b.sheetnames, (a.sheetnames, b.sheetnames)
    cells = 0
    for name in a.sheetnames:
        for row_a, row_b in zip(a[name].iter_rows(), b[name].iter_rows(), strict=True):
            for cell_a, cell_b in zip(row_a, row_b, strict=True):
                assert (cell_a.value, cell_a.data_type) == (cell_b.value, cell_b.data_type), (name, cell_a, cell_b)
                cells += 1
    return cells


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="an empty database to fill (default: a temporary SQLite file)")
    parser.add_argument("--no-verify", action="store_true", help="skip comparing the floor's cells with the export's")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help=f"comma-separated, of {', '.join(SCENARIOS)}")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--keep", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django(args.database_url)
        if args.child == "build":
            build(args.tasks, args.updates)
        else:
            measure(args.child, args.runs, args.keep)
        return

    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
        base = [sys.executable, __file__, "--database-url", url, "--runs", str(args.runs)]
        started = time.perf_counter()
        sizes = ["--tasks", str(args.tasks), "--updates", str(args.updates)]
        subprocess.run([*base, "--child", "build", *sizes], check=True)
        print(f"built {args.tasks} tasks x {args.updates} updates in {time.perf_counter() - started:.1f} s")
        results = {}
        scenarios = [name for name in args.scenarios.split(",") if name in SCENARIOS]
        verify = not args.no_verify and {"export+history", "floor+history"} <= set(scenarios)
        for scenario in scenarios:
            command = [*base, "--child", scenario]
            if verify and scenario.endswith("history"):
                command += ["--keep", f"{folder}/{scenario}.xlsx"]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[scenario] = json.loads(output.strip().splitlines()[-1])
        print(f"\nmedian of {args.runs} runs; memory: peak RSS above the process at rest")
        headers = ("wall (s)", "CPU (s)", "peak (MiB)", "rest (MiB)", "file (MB)")
        print(f"{'scenario':<16}" + "".join(f"{header:>12}" for header in headers))
        for name, result in results.items():
            peak = result["peak_above_rest_mib"]
            figures = (
                result["median"],
                result["cpu_median"],
                peak if peak is not None else float("nan"),
                result["rest_mib"],
                result["bytes"] / 1e6,
            )
            print(f"{name:<16}" + "".join(f"{figure:>12.2f}" for figure in figures))
        for suffix in ("", "+history"):
            if f"export{suffix}" not in results or f"floor{suffix}" not in results:
                continue
            export, floor = results[f"export{suffix}"], results[f"floor{suffix}"]
            print(
                f"export{suffix} / floor{suffix}: {export['median'] / floor['median']:.2f}x wall, "
                f"{export['cpu_median'] / floor['cpu_median']:.2f}x CPU"
            )
        if "word" in results and "export" in results:
            word, export = results["word"], results["export"]
            print(
                f"word / export: {word['median'] / export['median']:.2f}x wall, "
                f"{word['cpu_median'] / export['cpu_median']:.2f}x CPU (goal: 2x); "
                f"word's peak {word['peak_above_rest_mib']:.1f} MiB above rest (goal: under 100 MB)"
            )
        if verify:
            cells = same_cells(f"{folder}/export+history.xlsx", f"{folder}/floor+history.xlsx")
            print(f"verified: the floor wrote the export's {cells} cells")


if __name__ == "__main__":
    main()
