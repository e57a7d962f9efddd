"""Import cases the mutation sample found untested: the template's status drop-down, a task with no
updates, line endings Excel and Word write, a formula behind spaces, the user the command records."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from tasks.models import ProgressUpdate, Status, Task
from tasks.services import ImportConflict, apply_progress_import
from tasks.spreadsheets.layout import DATA_COLUMNS, STATUS
from tasks.spreadsheets.progress_import import CREATE, ERROR, UNCHANGED, ImportRow, check_rows
from tests.factories import ProgressUpdateFactory, TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2021, 1, 1)


def test_the_import_template_offers_the_statuses_in_a_drop_down(secretariat_client):
    TaskFactory.create_batch(3)
    response = secretariat_client.get(reverse("admin:tasks_progressupdate_import_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    data = workbook["Data"]
    [validation] = data.data_validations.dataValidation
    column = openpyxl.utils.get_column_letter(DATA_COLUMNS.index(STATUS) + 1)
    assert validation.type == "list" and validation.allow_blank
    assert str(validation.sqref) == f"{column}2:{column}4"
    assert validation.formula1 == '"' + ",".join(str(label) for _value, label in Status.choices) + '"'
    assert [data.cell(row=row, column=DATA_COLUMNS.index(STATUS) + 1).value for row in (2, 3, 4)] == [None] * 3


def test_a_task_with_no_updates_gets_its_first():
    task = TaskFactory()
    [row] = check_rows([(2, task.pk, "In progress", "Begun.")], reported_on=ON)
    assert (row.action, row.compared_update_id, row.current_update_id, row.notes) == (CREATE, None, None, [])


@pytest.mark.parametrize("ending", ["_x000D_\n", "\r\n", "\u2029", "\u2028", "\r"])
def test_excel_and_word_line_endings_are_read_as_newlines(ending):
    update = ProgressUpdateFactory(reported_on=ON, status=Status.DRAFT, narrative="First line\nsecond line")
    [row] = check_rows([(2, update.task_id, "Draft prepared", f"First line{ending}second line")], reported_on=ON)
    assert row.narrative == "First line\nsecond line"
    assert row.action == UNCHANGED


@pytest.mark.parametrize("cell", ["=1+1", "   =1+1", "\t=HYPERLINK(1)"])
def test_a_formula_behind_spaces_is_noted_and_kept_as_text(cell):
    task = TaskFactory()
    [row] = check_rows([(2, task.pk, "In progress", cell)], reported_on=ON)
    assert row.notes == ["The progress status looks like a formula: its text is imported as written."]
    assert row.narrative == cell.strip()


def test_text_that_only_mentions_an_equals_sign_is_not_noted():
    task = TaskFactory()
    [row] = check_rows([(2, task.pk, "In progress", "Costs: a = b")], reported_on=ON)
    assert row.notes == []


def test_the_command_records_the_user_it_is_given(seed, tmp_path):
    clerk = UserFactory(username="clerk", is_staff=True)
    task = Task.objects.get(position=1)
    path = tmp_path / "updates.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append(list(DATA_COLUMNS))
    sheet.append([task.pk, 1, "", "", "", "Completed", "Done at last."])
    workbook.save(path)
    call_command("import_progress", str(path), "--meeting", "IISG-3", "--user", "clerk", stdout=io.StringIO())
    update = ProgressUpdate.objects.get(narrative="Done at last.")
    assert update.recorded_by == clerk
    record = update.history.get()
    assert (record.history_user, record.history_change_reason) == (clerk, "Imported from a spreadsheet")


def test_an_import_conflict_names_the_tasks():
    first, second = TaskFactory(position=3, title="First task"), TaskFactory(position=4, title="Second task")
    assert str(ImportConflict([first, second])) == "3. First task, 4. Second task"


def test_an_import_with_an_error_row_is_refused_with_a_reason():
    with pytest.raises(ValueError, match=r"^an import with rows in error cannot be applied$"):
        apply_progress_import(rows=[ImportRow(row=2, action=ERROR)], meeting=None, reported_on=None, user=None)


def test_an_import_whose_date_breaks_two_rules_gives_both_reasons():
    from tests.factories import MeetingFactory

    future = MeetingFactory(start_date=datetime.date(2099, 3, 1), end_date=datetime.date(2099, 3, 2))
    with pytest.raises(ValueError) as refused:
        apply_progress_import(rows=[], meeting=future, reported_on=datetime.date(2099, 1, 1), user=None)
    reasons = str(refused.value)
    assert reasons.startswith("The reported-on date 1 January 2099 is in the future. The meeting starts on ")


def test_a_conflict_names_the_changed_tasks_in_road_map_order():
    later = TaskFactory(position=9, title="Ninth")  # created first: the lower id
    sooner = TaskFactory(position=2, title="Second")
    rows = check_rows([(2, later.pk, "In progress", "Begun."), (3, sooner.pk, "In progress", "Begun.")], reported_on=ON)
    for task in (later, sooner):
        ProgressUpdateFactory(task=task, reported_on=ON, status=Status.DRAFT)  # since the preview
    with pytest.raises(ImportConflict) as conflict:
        apply_progress_import(rows=rows, meeting=None, reported_on=ON, user=None)
    assert str(conflict.value) == "2. Second, 9. Ninth"
