"""The streamed Word writer makes the same document as python-docx building it whole in memory."""

import io
import logging
import random
import string
import zipfile

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from docx import Document
from lxml import etree

from freshness import pages
from tasks.filters import TaskFilter
from tasks.generation import generate_roadmap
from tasks.models import Meeting
from tasks.spreadsheets import docx
from tasks.spreadsheets.docx import DocumentLines, add_task_row, document_template, write_docx
from tasks.spreadsheets.scope import ExportScope, TaskRow
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def in_memory_docx(scope, lines):
    """The writer as it was: every row added to python-docx's document, then the whole saved."""
    document = document_template(scope, lines)
    table = document.tables[0]
    for row in scope.rows():
        add_task_row(table, row, "No progress reported yet.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def streamed_docx(scope, lines):
    out = io.BytesIO()
    write_docx(scope, out, lines=lines)
    return out.getvalue()


def parts(data):
    """Return {part name: canonical XML}, so that equal documents compare equal byte for byte."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: etree.tostring(etree.fromstring(package.read(name)), method="c14n")
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        }


def assert_same_document(query):
    scope = ExportScope.from_filter(TaskFilter(query))
    lines = DocumentLines.for_scope(scope, {"symbol": "ESCAP/TEST/1"})
    old, new = parts(in_memory_docx(scope, lines)), parts(streamed_docx(scope, lines))
    assert old.keys() == new.keys()
    for name in old:
        assert old[name] == new[name], name
    rows = etree.fromstring(new["word/document.xml"]).findall(".//{*}tr")
    return len(rows)


def test_streamed_document_equals_the_in_memory_one_on_the_seed(seed):
    assert assert_same_document({"meeting": "5"}) == 1 + 18
    assert assert_same_document({}) == 1 + 18


def test_streamed_document_equals_the_in_memory_one_on_1000_generated_tasks():
    generate_roadmap(tasks=1000, updates_per_task=2, meetings=3, seed=7)
    meeting = Meeting.objects.order_by("-start_date").first()
    assert assert_same_document({}) == 1 + 1000
    assert assert_same_document({"meeting": str(meeting.pk), "group": "twg"}) > 1


def blocks_of_the_download(client):
    """Return the response and the blocks it sends, as a WSGI server reads them."""
    response = client.get(reverse("tasks:export_docx"), HTTP_COOKIE="sessionid=not-shared")
    return response, list(response.streaming_content)


def test_the_download_goes_out_in_blocks_as_its_rows_are_written(client, seed, monkeypatch):
    letters = random.Random(5)

    def many_rows(self):
        for n in range(1, 1001):  # random text: zlib cannot shrink the document to nothing
            narrative = "".join(letters.choices(string.ascii_letters + " ", k=1500))
            yield TaskRow(n, n, f"Task {n}", "TWG", (7,), "in_progress", narrative, None, "")

    monkeypatch.setattr(ExportScope, "rows", many_rows)
    response, blocks = blocks_of_the_download(client)
    assert response.streaming and not response.has_header("Content-Length")
    assert response["Content-Disposition"].startswith('attachment; filename="roadmap-status-')
    total = sum(map(len, blocks))
    assert total > 1_000_000
    assert max(map(len, blocks)) < total / 4  # never the document whole: a block every STREAM_EVERY rows
    assert len(Document(io.BytesIO(b"".join(blocks))).tables[0].rows) == 1 + 1000


def test_a_download_read_later_keeps_the_language_it_was_asked_in(client):
    TaskFactory(title="A task with no progress yet")
    response = client.get("/fr/tasks/export.docx", HTTP_COOKIE="sessionid=not-shared")
    translation.deactivate()  # as when the server reads the body after the view returned
    with translation.override("fr"):
        expected = gettext("No progress reported yet.")
    assert expected != "No progress reported yet."
    text = "\n".join(cell.text for cell in Document(io.BytesIO(b"".join(response.streaming_content))).tables[0]._cells)
    assert expected in text


def test_an_error_once_the_download_has_started_is_logged(client, seed, monkeypatch, caplog):
    def broken(table, rows, no_progress):
        raise RuntimeError("the disk is full")
        yield  # a generator, as task_rows is

    monkeypatch.setattr(docx, "task_rows", broken)
    response = client.get(reverse("tasks:export_docx"), HTTP_COOKIE="sessionid=not-shared")
    assert response.status_code == 200  # the rows' query ran in the view; the failure comes later
    with pytest.raises(RuntimeError), caplog.at_level(logging.ERROR, logger="tasks.spreadsheets.docx"):
        b"".join(response.streaming_content)
    assert "failed after its first bytes were sent" in caplog.text


def test_a_database_error_before_the_first_byte_is_an_error_page(client, seed, monkeypatch):
    def broken(self):
        raise DatabaseError("the server went away")
        yield

    monkeypatch.setattr(ExportScope, "rows", broken)
    with pytest.raises(DatabaseError):  # raised in the view: Django answers with its 500 page
        client.get(reverse("tasks:export_docx"), HTTP_COOKIE="sessionid=not-shared")


def test_the_streamed_package_opens_in_python_docx_whole(client, seed):
    response = client.get(reverse("tasks:export_docx"), HTTP_COOKIE="sessionid=not-shared")
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None  # every part's CRC matches, sizes in data descriptors
    table = Document(io.BytesIO(data)).tables[0]
    assert len(table.rows) == 1 + 18


def test_a_download_is_kept_in_the_cache_only_once_sent_whole(client, seed, django_assert_max_num_queries):
    url = reverse("tasks:export_docx")
    cut_short = client.get(url)
    next(iter(cut_short.streaming_content))  # the client went away after the first block: the rest is never read
    with CaptureQueriesContext(connection) as queries:
        whole = client.get(url)
        data = b"".join(whole.streaming_content)
    assert len(queries) > 1  # built again, its rows read: nothing of the cut-short one was kept
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
    with django_assert_max_num_queries(1):  # the stamp: the document comes from the cache
        again = client.get(url)
        assert b"".join(again.streaming_content) == data
    assert again["Content-Disposition"] == whole["Content-Disposition"]


def test_a_download_over_the_cache_limit_is_not_kept(client, seed, monkeypatch):
    monkeypatch.setattr(pages, "MAX_CACHED_BYTES", 1000)
    url = reverse("tasks:export_docx")
    b"".join(client.get(url).streaming_content)
    with CaptureQueriesContext(connection) as queries:
        b"".join(client.get(url).streaming_content)
    assert len(queries) > 1  # rebuilt: its rows read from the database again, not only the stamp


@pytest.mark.parametrize(
    "title, narrative",
    [
        ("A title", ""),  # no progress yet: the sentence that says so
        ("Line one\nline two\r\nline three\rfour", "Tab\there, two\t\ttabs"),
        ("  leading and trailing spaces ", "\nstarts with a break"),
        ("Ends with a break\n", " one\u00a0space\u2029and a paragraph separator"),
        ("Русский, 中文, français", "x"),
    ],
)
def test_a_copied_row_is_the_xml_python_docx_makes(title, narrative):
    from tasks.spreadsheets.docx import task_rows
    from tasks.spreadsheets.scope import TaskRow

    row = TaskRow(1, 1, title, "TWG", (7, 14), "", narrative, None, "")
    lines = DocumentLines()
    scope = ExportScope.from_filter(TaskFilter({}))
    made = add_task_row(document_template(scope, lines).tables[0], row, "No progress reported yet.")
    made.getparent().remove(made)
    (copied,) = task_rows(document_template(scope, lines).tables[0], [row], "No progress reported yet.")
    assert etree.tostring(copied, method="c14n") == etree.tostring(made, method="c14n")
