"""LibreOffice prints both exports as a reader would: every page under its header row, no row split.

Both files are converted to PDF in one LibreOffice run (its own throwaway profile, so that
it never meets another LibreOffice on the machine) and read back with pypdf, text and
position: on the seed and on a generated road map of 200 tasks.
"""

import math
import subprocess

import pypdf
import pytest
from django.urls import reverse

from tasks.generation import generate_roadmap
from tasks.models import Task
from tasks.spreadsheets.layout import DATA_COLUMNS, HISTORY_COLUMNS
from tests.outside_tools import soffice

pytestmark = pytest.mark.django_db

STATUS_HEADERS = ("Tasks", "Progress status", "Relevant articles", "Lead group", "Status")
WORD_HEADERS = ("Tasks", "Progress status", "Relevant articles")


def to_pdf(tmp_path, files):
    """Convert {name: bytes} to PDF with LibreOffice; return {name: PdfReader}."""
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    paths = [str(tmp_path / name) for name in files]
    subprocess.run(  # noqa: S603  (our own command line, no shell)
        [soffice(), profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *paths],
        capture_output=True,
        timeout=240,
        check=True,
    )
    return {name: pypdf.PdfReader(tmp_path / f"{name.rsplit('.', 1)[0]}.pdf") for name in files}


def fragments(page):
    """Return the page's text as (x, y, size, text), y upwards from the bottom of the page."""
    found = []

    def visit(text, cm, tm, _font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, size * (cm[3] or 1), " ".join(text.split())))

    page.extract_text(visitor_text=visit)
    return found


def header_row(page_fragments, headers):
    """Return the fragments of the header row, or [] if the page does not show all ``headers``."""
    words = {word for header in headers for word in header.split()}
    top = [f for f in page_fragments if f[3] in headers or f[3] in words]
    seen = " ".join(f[3] for f in top)
    return top if all(header.split()[0] in seen for header in headers) and _whole(top, headers) else []


def _whole(row, headers):
    """Return whether every header is there in full, on one line or wrapped over several."""
    texts = [f[3] for f in row]
    return all(header in texts or all(word in texts for word in header.split()) for header in headers)


def assert_clear_of_the_body(page_fragments, row, where):
    """Assert the header row's last line stands a full line above the first line of the body."""
    lowest = min(f[1] for f in row)
    body = [f for f in page_fragments if f[1] < lowest - 0.5 and f[3] and not f[3].startswith("Page")]
    body = [f for f in body if f[1] > 40]  # above the footer
    if body:
        first = max(body, key=lambda f: f[1])
        assert lowest - first[1] >= first[2], f"{where}: the header row's text runs into the first row"


def sheet_pages(reader):
    """Return the workbook PDF's pages as [(sheet, fragments, header row)], failing on a page of none."""
    pages = []
    for number, page in enumerate(reader.pages, 1):
        found = fragments(page)
        for sheet, headers in (("Status table", STATUS_HEADERS), ("Data", DATA_COLUMNS), ("History", HISTORY_COLUMNS)):
            row = header_row(found, headers)
            if row:
                pages.append((sheet, found, row))
                break
        else:
            pytest.fail(f"page {number} of the workbook shows no sheet's whole header row: {found[:6]}")
    return pages


def check_workbook(reader, tasks, updates):
    pages = sheet_pages(reader)
    counts = {sheet: sum(1 for page in pages if page[0] == sheet) for sheet in ("Status table", "Data", "History")}
    for number, (sheet, found, row) in enumerate(pages, 1):
        assert_clear_of_the_body(found, row, f"workbook page {number} ({sheet})")
    assert 1 <= counts["Status table"] <= math.ceil(tasks / 3)  # at least three tasks a page
    assert 1 <= counts["Data"] <= math.ceil(tasks / 25)  # one page wide, 25 rows a page at least
    assert 1 <= counts["History"] <= math.ceil(updates / 25)
    assert [page[0] for page in pages] == sorted((page[0] for page in pages), key=list(counts).index)
    return counts


def check_document(reader, titles):
    """Assert every page after the first repeats the header row and starts with the start of a task."""
    starts = [" ".join(title.split())[:20] for title in titles]
    for number, page in enumerate(reader.pages, 1):
        found = fragments(page)
        row = header_row(found, WORD_HEADERS)
        if number == 1:
            continue
        assert row, f"page {number} of the document does not repeat the header row"
        lowest = min(f[1] for f in row)
        body = [f for f in found if f[1] < lowest - 0.5 and f[1] > 40]
        first = max(body, key=lambda f: (f[1], -f[0]))
        assert first[0] <= min(f[0] for f in row) + 1, f"page {number} starts with a row split from the page before"
        assert any(start.startswith(first[3][:20]) or first[3].startswith(start) for start in starts), (
            f"page {number} starts with {first[3]!r}, no task's title"
        )
    return len(reader.pages)


def exports(client):
    workbook = client.get(reverse("tasks:export_xlsx"), {"history": "1"})
    document = client.get(reverse("tasks:export_docx"))
    return {
        "workbook.xlsx": b"".join(workbook.streaming_content),
        "document.docx": b"".join(document.streaming_content),
    }


def titles():
    return list(Task.objects.order_by("position").values_list("title", flat=True))


def test_the_seed_prints_under_its_header_rows(client, seed, tmp_path):
    readers = to_pdf(tmp_path, exports(client))
    counts = check_workbook(readers["workbook.xlsx"], tasks=18, updates=18)
    # Here (LibreOffice 7.4, DejaVu fonts) 2, 1 and 1 pages; unfixed, 2, 5 and 3 (a column or two a page).
    assert counts["Data"] == counts["History"] == 1
    assert counts["Status table"] in (2, 3)  # another machine's fonts may run a little wider
    assert check_document(readers["document.docx"], titles()) in (2, 3)


def test_a_road_map_of_200_tasks_prints_under_its_header_rows(client, tmp_path):
    generate_roadmap(tasks=200, updates_per_task=2, meetings=4, seed=11)
    readers = to_pdf(tmp_path, exports(client))
    check_workbook(readers["workbook.xlsx"], tasks=200, updates=400)
    assert check_document(readers["document.docx"], titles()) > 10
