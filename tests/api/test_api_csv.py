"""CSV of the task list and of the updates: the Excel export's Data and History columns, the same values."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tasks.models import Meeting, Status, Task
from tasks.spreadsheets.layout import DATA_COLUMNS, DATA_SHEET, HISTORY_COLUMNS
from tests.factories import ProgressUpdateFactory

LATER = datetime.date(2026, 6, 1)  # after the seed, before today: updates may not be dated ahead

pytestmark = pytest.mark.django_db


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def data_sheet(client, query=""):
    workbook = load_workbook(io.BytesIO(b"".join(client.get(reverse("tasks:export_xlsx") + query).streaming_content)))
    rows = list(workbook[DATA_SHEET].iter_rows(values_only=True))
    as_text = [
        ["" if v is None else v.date().isoformat() if hasattr(v, "date") else str(v) for v in row] for row in rows
    ]
    return as_text


@pytest.mark.parametrize("query", ["", "?group=twg&status=in_progress", "?meeting={iisg2}"])
def test_task_csv_is_the_data_sheet(client, seed, query):
    query = query.format(iisg2=Meeting.objects.get(short_title="IISG-2").pk)
    rows = read_csv(client.get(reverse("api:tasks") + (query + "&" if query else "?") + "format=csv"))
    assert tuple(rows[0]) == DATA_COLUMNS
    assert rows == data_sheet(client, query)


def test_accept_text_csv_gives_csv_of_every_row_not_a_page(client, seed):
    rows = read_csv(client.get(reverse("api:tasks"), {"per_page": 10}, headers={"Accept": "text/csv"}))
    assert len(rows) == 1 + 18


def test_updates_csv_has_the_history_columns(client, seed):
    task = Task.objects.get(position=6)
    ProgressUpdateFactory(task=task, reported_on=LATER, status=Status.COMPLETED, narrative="Done.")
    rows = read_csv(client.get(reverse("api:updates"), {"format": "csv", "status": "completed"}))
    assert tuple(rows[0]) == HISTORY_COLUMNS
    assert rows[1][:6] == [str(task.pk), "6", "2026-06-01", "", "Completed", "Done."]
    task_rows = read_csv(client.get(reverse("api:task-updates", kwargs={"pk": task.pk}), {"format": "csv"}))
    assert [row[2] for row in task_rows[1:]] == ["2026-06-01", "2016-03-23"]


def test_text_a_spreadsheet_would_run_is_kept_as_text(client, seed):
    task = Task.objects.get(position=6)
    ProgressUpdateFactory(task=task, reported_on=LATER, status=Status.COMPLETED, narrative="=HYPERLINK(1)")
    rows = read_csv(client.get(reverse("api:tasks"), {"format": "csv"}))
    assert rows[6][DATA_COLUMNS.index("Progress status")] == "'=HYPERLINK(1)"
    assert client.get(reverse("api:task", kwargs={"pk": task.pk})).json()["narrative"] == "=HYPERLINK(1)"


def test_errors_in_a_csv_request_are_json(client, seed):
    response = client.get(reverse("api:tasks"), {"format": "csv", "status": "bogus"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["status"]


def test_other_resources_offer_no_csv(client, seed):
    response = client.get(reverse("api:articles"), headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
