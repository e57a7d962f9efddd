"""python-calamine, a second reader besides openpyxl, reads the same cells in every workbook the app writes.

Calamine (Rust) shares no code with openpyxl: a cell only one of them reads, or reads
differently, is a file that some spreadsheet would show otherwise.
"""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tasks.models import Status
from tests.factories import ProgressUpdateFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def normalised(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date()
    return value


def rows_of(rows):
    """Return the rows as lists of normalised values, trailing empty cells and rows left out."""
    table = []
    for row in rows:
        cells = [normalised(value) for value in row]
        while cells and cells[-1] == "":
            cells.pop()
        table.append(cells)
    while table and not table[-1]:
        table.pop()
    return table


def by_openpyxl(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: rows_of(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def by_calamine(content):
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: rows_of(workbook.get_sheet_by_name(name).to_python()) for name in workbook.sheet_names}


def assert_same_cells(content, sheets):
    first, second = by_openpyxl(content), by_calamine(content)
    assert list(first) == list(second) == sheets
    for name in sheets:
        assert second[name] == first[name], name
        assert len(first[name]) > 1, name


@pytest.fixture
def tricky():
    """Tasks whose texts a reader could get wrong: lines, formulas, non-Latin scripts, long text."""
    TaskFactory(position=1, title='=HYPERLINK("http://x")')
    for position, title, narrative in [
        (2, "Two\nlines", "First line\nsecond line"),
        (3, "Документ 文件 وثيقة", "+1 and -1 & <b>tags</b>"),
        (4, "Long", "word " * 400),
    ]:
        task = TaskFactory(position=position, title=title)
        ProgressUpdateFactory(task=task, status=Status.DRAFT, narrative=narrative)
        ProgressUpdateFactory(task=task, status=Status.COMPLETED, reported_on=datetime.date(2021, 5, 6))


def read(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_export_reads_the_same_in_both(client, seed):
    assert_same_cells(
        read(client.get(reverse("tasks:export_xlsx"), {"history": "1"})), ["Status table", "Data", "History"]
    )


def test_a_filtered_export_of_tricky_texts_reads_the_same_in_both(client, tricky):
    content = read(client.get(reverse("tasks:export_xlsx"), {"history": "1", "hide": "lead"}))
    assert_same_cells(content, ["Status table", "Data", "History"])
    assert any("Two\nlines" in row for row in by_calamine(content)["Data"])


def test_the_import_template_reads_the_same_in_both(client, seed):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    content = read(client.get(reverse("admin:tasks_progressupdate_import_template")))
    assert_same_cells(content, ["Data"])
