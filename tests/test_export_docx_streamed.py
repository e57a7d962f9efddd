"""The streamed Word writer makes the same document as python-docx building it whole in memory."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from lxml import etree

from freshness import pages
from tasks.filters import TaskFilter
from tasks.generation import generate_roadmap
from tasks.models import Meeting
from tasks.spreadsheets.docx import STREAM_EVERY, DocumentLines, add_task_row, document_template, write_docx
from tasks.spreadsheets.scope import ExportScope

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


def test_the_download_is_streamed_a_block_every_few_hundred_rows(client):
    generate_roadmap(tasks=1000, updates_per_task=1, meetings=3, seed=3)
    response = client.get(reverse("tasks:export_docx"), HTTP_COOKIE="sessionid=not-shared")
    assert response.streaming and not response.has_header("Content-Length")
    assert response["Content-Disposition"].startswith('attachment; filename="roadmap-status-')
    blocks = iter(response.streaming_content)
    first = next(blocks)  # the package's parts before the document
    assert first.startswith(b"PK")
    rest = list(blocks)
    assert len(rest) >= 1000 // STREAM_EVERY  # a block every STREAM_EVERY rows, not one at the end
    document = Document(io.BytesIO(first + b"".join(rest)))
    assert len(document.tables[0].rows) == 1 + 1000


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
    next(iter(cut_short.streaming_content))  # the client went away after the first block
    cut_short.close()
    whole = client.get(url)
    data = b"".join(whole.streaming_content)
    with django_assert_max_num_queries(1):  # the stamp: the document comes from the cache
        again = client.get(url)
        assert b"".join(again.streaming_content) == data
    assert again["Content-Disposition"] == whole["Content-Disposition"]


def test_a_download_over_the_cache_limit_is_not_kept(client, seed, monkeypatch):
    monkeypatch.setattr(pages, "MAX_CACHED_BYTES", 1000)
    url = reverse("tasks:export_docx")
    b"".join(client.get(url).streaming_content)
    again = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        b"".join(again.streaming_content)
    assert len(queries) >= 1  # rebuilt: its rows read from the database again


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
