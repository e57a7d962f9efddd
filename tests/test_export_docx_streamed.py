"""The streamed Word writer makes the same document as python-docx building it whole in memory."""

import io
import zipfile

import pytest
from lxml import etree

from tasks.filters import TaskFilter
from tasks.generation import generate_roadmap
from tasks.models import Meeting
from tasks.spreadsheets.docx import DocumentLines, add_task_row, document_template, write_docx
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
