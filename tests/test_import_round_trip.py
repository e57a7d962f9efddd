"""Export, edit, import: the template and the real export are read back as they were written."""

import io

import openpyxl
from django.urls import reverse

from tasks.models import Status, Task
from tasks.spreadsheets.layout import DATA_COLUMNS
from tests.progress_import import IMPORT_URL, confirm, current_rows, set_row, upload, workbook_bytes

# The blank template.


def test_template_lists_the_current_tasks_in_the_data_layout(seed, secretariat_client):
    response = secretariat_client.get(reverse(f"{IMPORT_URL}_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Data"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(DATA_COLUMNS)
    tasks = list(Task.objects.order_by("position"))
    assert [row[0] for row in rows[1:]] == [task.pk for task in tasks]
    assert [row[1] for row in rows[1:]] == [task.position for task in tasks]
    assert all(row[5] is None and row[6] is None for row in rows[1:])


def test_the_filled_in_template_imports(seed, secretariat_client):
    response = secretariat_client.get(reverse(f"{IMPORT_URL}_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook["Data"]
    sheet["F2"], sheet["G2"] = "Completed", "Finished at the meeting."
    out = io.BytesIO()
    workbook.save(out)
    upload(secretariat_client, out.getvalue())
    preview = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert preview.context["counts"] == {"create": 1, "earlier": 0, "unchanged": 17, "error": 0}
    confirm(secretariat_client)
    assert Task.objects.get(position=1).current_status == Status.COMPLETED


# The round trip with the real export.


def test_round_trip_export_edit_import_shows_the_new_statuses(seed, secretariat_client):
    export = secretariat_client.get(reverse("tasks:export_xlsx"))
    assert export.status_code == 200
    workbook = openpyxl.load_workbook(
        io.BytesIO(b"".join(export.streaming_content) if export.streaming else export.content)
    )
    sheet = workbook["Data"]
    header = [cell.value for cell in sheet[1]]
    id_column, status_column = header.index("Task ID") + 1, header.index("Status") + 1
    changes = {1: "Completed", 2: "Pending", 3: "Cancelled"}
    wanted = {}
    for row in range(2, sheet.max_row + 1):
        task = Task.objects.get(pk=sheet.cell(row, id_column).value)
        if task.position in changes:
            sheet.cell(row, status_column).value = changes[task.position]
            wanted[task.pk] = Status(changes[task.position].lower())
    assert len(wanted) == 3
    out = io.BytesIO()
    workbook.save(out)

    upload(secretariat_client, out.getvalue())
    preview = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert preview.context["counts"] == {"create": 3, "earlier": 0, "unchanged": 15, "error": 0}
    confirm(secretariat_client)

    table = secretariat_client.get(reverse("tasks:list"))
    shown = {row.record.pk: row.record.entry.status for row in table.context["table"].page.object_list}
    for pk, status in wanted.items():
        assert shown[pk] == status


def test_imported_updates_have_their_history_by_the_importing_user(seed, secretariat_client, secretariat):
    rows = current_rows()
    set_row(rows, 6, status="Completed", narrative="Completed and endorsed.")
    upload(secretariat_client, workbook_bytes(rows))
    confirm(secretariat_client)
    update = Task.objects.get(position=6).current_update
    [record] = update.history.all()
    assert (record.history_type, record.history_user) == ("+", secretariat)
