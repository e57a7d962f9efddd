"""What the import preview says of each kind of row, word for word: the errors and notes staff read."""

import datetime
import io

import openpyxl
import pytest

from tasks.models import Status
from tasks.spreadsheets.layout import NARRATIVE, STATUS, TASK_ID
from tasks.spreadsheets.progress_import import (
    CREATE,
    EARLIER,
    ERROR,
    NARRATIVE_MAX_LENGTH,
    UNCHANGED,
    ImportFileError,
    check_rows,
    parse_task_id,
    read_sheet,
)
from tests.factories import ProgressUpdateFactory, TaskFactory

pytestmark = pytest.mark.django_db

ON = datetime.date(2021, 1, 1)
LATER = datetime.date(2021, 1, 31)


def drafted(task, day=ON):
    return ProgressUpdateFactory(task=task, reported_on=day, status=Status.DRAFT, narrative="Drafted.")


def checked(task_cell, status, narrative):
    [row] = check_rows([(2, task_cell, status, narrative)], reported_on=ON)
    return row.action, row.errors, row.notes


def test_a_task_id_that_is_not_one():
    assert checked("abc", "In progress", "Begun.") == (ERROR, ["The task ID 'abc' is not a task ID."], [])
    _action, [error], _notes = checked("x" * 50, "In progress", "Begun.")
    assert error == f"The task ID '{'x' * 40}' is not a task ID."  # quoted, cut at 40 characters


def test_an_empty_task_id():
    assert checked("  ", "In progress", "Begun.") == (
        ERROR,
        ["The task ID is empty: the import only updates existing tasks."],
        [],
    )


def test_a_status_that_is_not_one():
    task = TaskFactory()
    assert checked(task.pk, "Done-ish", "Begun.") == (ERROR, ["'Done-ish' is not one of the statuses."], [])
    _action, [error], _notes = checked(task.pk, "y" * 70, "Begun.")
    assert error == f"'{'y' * 60}' is not one of the statuses."


def test_a_narrative_at_and_over_the_limit():
    task = TaskFactory()
    assert checked(task.pk, "In progress", "n" * NARRATIVE_MAX_LENGTH) == (CREATE, [], [])
    assert checked(task.pk, "In progress", "n" * (NARRATIVE_MAX_LENGTH + 1)) == (
        ERROR,
        ["The progress status is 10001 characters long; at most 10000 are taken."],
        [],
    )


def test_a_blank_row():
    task = drafted(TaskFactory()).task
    assert checked(task.pk, "", "") == (UNCHANGED, [], ["Status and progress status are blank: nothing to record."])


def test_a_narrative_without_a_status():
    task = TaskFactory()
    assert checked(task.pk, "", "Begun.") == (ERROR, ["The status is empty."], [])


def test_a_new_status_without_a_narrative():
    task = drafted(TaskFactory()).task
    assert checked(task.pk, "In progress", "") == (
        ERROR,
        ["The status changed but the progress status is empty: say what happened."],
        [],
    )


def test_the_same_status_without_a_narrative():
    task = drafted(TaskFactory()).task
    assert checked(task.pk, "Draft prepared", "") == (
        UNCHANGED,
        [],
        ["The progress status is blank: nothing to record."],
    )


def test_a_row_dated_before_a_later_update():
    task = drafted(TaskFactory(), day=LATER).task
    assert checked(task.pk, "Completed", "Done.") == (
        EARLIER,
        [],
        [
            "A later update (31 January 2021) stays the task's current status: this one would be dated before "
            "it, so it is recorded only if you ask for it."
        ],
    )


def test_a_row_dated_the_same_day_as_the_latest_update_is_created():
    task = drafted(TaskFactory(), day=ON).task
    assert checked(task.pk, "Completed", "Done.") == (CREATE, [], [])


def test_a_row_saying_what_stood_on_its_date_is_unchanged_though_a_later_update_differs():
    task = drafted(TaskFactory(), day=ON).task
    ProgressUpdateFactory(task=task, reported_on=LATER, status=Status.COMPLETED, narrative="Done.")
    assert checked(task.pk, "Draft prepared", "Drafted.") == (UNCHANGED, [], [])


@pytest.mark.parametrize(
    "cell, expected",
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        (" 12 ", 12),
        (12.5, None),
        (True, None),
        ("abc", None),
        (0, None),
        (None, None),
    ],
)
def test_a_task_id_cell_as_excel_gives_it(cell, expected):
    assert parse_task_id(cell) == expected


def test_an_unknown_task_and_a_task_in_two_rows():
    task = TaskFactory()
    first, second, unknown = check_rows(
        [(2, task.pk, "In progress", "Begun."), (5, task.pk, "Completed", "Done."), (6, 999_999, "Completed", "x")],
        reported_on=ON,
    )
    repeated = f"The task ID {task.pk} appears in more than one row (rows 2, 5)."
    assert first.errors == second.errors == [repeated]
    assert unknown.errors == ["No task has the ID 999999."]


def test_a_row_for_another_groups_task_says_why_it_is_refused():
    from django.contrib.auth.models import Group

    from tasks.models import WorkingGroup
    from tasks.permissions import refuse_rows_outside_own_groups
    from tests.factories import UserFactory

    own, other = (
        WorkingGroup.objects.create(name="Own", short_name="OWN", slug="own"),
        WorkingGroup.objects.create(name="Other", short_name="OTH", slug="oth"),
    )
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Working-group editor"))
    own.editors.add(editor)
    mine, theirs = TaskFactory(lead_group=own), TaskFactory(lead_group=other)
    rows = check_rows([(2, mine.pk, "In progress", "Begun."), (3, theirs.pk, "In progress", "Begun.")], reported_on=ON)
    refuse_rows_outside_own_groups(editor, rows)
    assert [(row.action, row.errors) for row in rows] == [
        (CREATE, []),
        (ERROR, ["You may not add updates to this task: another working group leads it."]),
    ]


def workbook_file(build):
    workbook = openpyxl.Workbook()
    build(workbook)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_a_sheet_named_data_in_any_case_is_read():
    def build(workbook):
        workbook.active.title = "data"
        workbook.active.append([TASK_ID, STATUS, NARRATIVE])
        workbook.active.append([7, "Completed", "Done."])

    assert read_sheet(workbook_file(build), max_rows=10) == [(2, 7, "Completed", "Done.")]


def test_a_data_sheet_without_the_columns_names_them_and_the_layout():
    def build(workbook):
        workbook.active.title = "Data"
        workbook.active.append([TASK_ID, "State", "Narrative"])

    with pytest.raises(ImportFileError) as refused:
        read_sheet(workbook_file(build), max_rows=10)
    assert str(refused.value) == (
        'The "Data" sheet has no column "Status", "Progress status". Its first row should read: '
        "Task ID | Position | Task | Lead group | Relevant articles | Status | Progress status | Last update | Meeting."
    )


def test_a_damaged_workbook_is_refused_in_words():
    with pytest.raises(ImportFileError) as refused:
        read_sheet(io.BytesIO(b"PK\x03\x04 not really a zip"), max_rows=10)
    assert str(refused.value) == "The workbook is damaged: it cannot be opened as an .xlsx file."
