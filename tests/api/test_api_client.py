"""A plain httpx client reads the seed through the API and finds the Excel export's Data sheet."""

import io

import httpx
import pytest
from django.core.wsgi import get_wsgi_application
from openpyxl import load_workbook

from tasks.spreadsheets.layout import DATA_COLUMNS, DATA_SHEET, NARRATIVE, STATUS, TASK_ID

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("same_connection")]


@pytest.fixture
def http(seed):
    transport = httpx.WSGITransport(app=get_wsgi_application())
    with httpx.Client(transport=transport, base_url="http://testserver") as client:
        yield client


def read_all(http, url):
    """Follow the pages' ``next`` links, as a client of the API would."""
    rows = []
    while url:
        response = http.get(url)
        response.raise_for_status()
        page = response.json()
        rows += page["results"]
        url = page["next"]
    return rows


def data_sheet(http):
    response = http.get("/tasks/export.xlsx")
    response.raise_for_status()
    sheet = load_workbook(io.BytesIO(response.content))[DATA_SHEET]
    header, *rows = sheet.iter_rows(values_only=True)
    assert header == DATA_COLUMNS
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_httpx_reads_the_seeds_18_tasks_as_the_data_sheet_has_them(http):
    tasks = read_all(http, "/api/v1/tasks/?per_page=10")
    sheet = data_sheet(http)
    assert len(tasks) == len(sheet) == 18
    assert [task["id"] for task in tasks] == [row[TASK_ID] for row in sheet]
    assert [task["status_label"] for task in tasks] == [row[STATUS] for row in sheet]
    assert [task["narrative"] for task in tasks] == [row[NARRATIVE] for row in sheet]


def test_httpx_gets_304_for_its_cached_copy(http):
    first = http.get("/api/v1/tasks/")
    assert http.get("/api/v1/tasks/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
