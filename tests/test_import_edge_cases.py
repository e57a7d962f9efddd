"""Import cases the mutation sample found untested: the template's status drop-down, a task with no
updates, line endings Excel and Word write, a formula behind spaces, the user the command records;
and what the preview says of each kind of row and file, word for word (the errors and notes staff read)."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.formula import ArrayFormula

from tasks.models import ProgressUpdate, Status, Task
from tasks.services import ImportConflict, apply_progress_import
from tasks.spreadsheets.layout import DATA_COLUMNS, NARRATIVE, STATUS, TASK_ID
from tasks.spreadsheets.progress_import import (
    CREATE,
    EARLIER,
    ERROR,
    NARRATIVE_MAX_LENGTH,
    UNCHANGED,
    ImportFileError,
    ImportRow,
    cell_text,
    check_meeting_date,
    check_package,
    check_rows,
    parse_task_id,
    read_sheet,
)
from tests.factories import MeetingFactory, ProgressUpdateFactory, TaskFactory, UserFactory
from tests.progress_import import plain_zip, with_encrypted_flag, with_member_edited

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
    [row] = check_rows([(2, task.pk, "Done-ish", "Begun.")], reported_on=ON)
    assert (row.status_text, row.status) == ("Done-ish", "")  # a text, as the session keeps it


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


def test_a_workbook_without_a_data_sheet_names_the_first_ten_sheets_it_has():
    def build(workbook):
        workbook.active.title = "Sheet1"
        for number in range(2, 12):
            workbook.create_sheet(f"Sheet{number}")

    with pytest.raises(ImportFileError) as refused:
        read_sheet(workbook_file(build), max_rows=10)
    assert str(refused.value) == (
        'The workbook has no sheet named "Data" (its sheets: '
        + ", ".join(f"Sheet{number}" for number in range(1, 11))
        + "). Use the export's layout."
    )


def test_a_sheet_whose_xml_is_broken_is_refused_in_words():
    def build(workbook):
        workbook.active.title = "Data"
        workbook.active.append([TASK_ID, STATUS, NARRATIVE])

    # The workbook opens; its sheet stops mid-element.
    broken = with_member_edited(workbook_file(build), "xl/worksheets/sheet1.xml", lambda data: data[: len(data) // 2])
    with pytest.raises(ImportFileError) as refused:
        read_sheet(broken, max_rows=10)
    assert str(refused.value) == "The workbook is damaged: its sheet cannot be read."


def test_a_data_chart_sheet_is_no_data_sheet():
    def build(workbook):
        workbook.active.title = "Values"
        workbook.active.append([1])
        chart = BarChart()
        chart.add_data(Reference(workbook.active, min_col=1, min_row=1, max_row=1))
        workbook.create_chartsheet("Data").add_chart(chart)

    with pytest.raises(ImportFileError) as refused:
        read_sheet(workbook_file(build), max_rows=10)
    assert str(refused.value) == (
        'The workbook has no sheet named "Data" (its sheets: Values, Data). Use the export\'s layout.'
    )


def test_the_sheet_named_exactly_data_is_read_before_one_named_data_in_another_case():
    def build(workbook):
        workbook.active.title = "Data"
        workbook.active.append([TASK_ID, STATUS, NARRATIVE])
        workbook.active.append([7, "Completed", "Done."])
        other = workbook.create_sheet("Other")
        other.append([TASK_ID, STATUS, NARRATIVE])
        other.append([8, "Draft", "Not this sheet."])

    # Renamed by hand in the package: Excel and openpyxl would refuse "data" beside "Data".
    edited = with_member_edited(
        workbook_file(build), "xl/workbook.xml", lambda data: data.replace(b'name="Other"', b'name="data"')
    )
    assert read_sheet(edited, max_rows=10) == [(2, 7, "Completed", "Done.")]


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


def refusal(upload, max_bytes=10_000):
    with pytest.raises(ImportFileError) as refused:
        check_package(upload, max_bytes)
    return str(refused.value)


def test_the_file_checks_say_what_is_wrong_word_for_word():
    assert refusal(io.BytesIO(b"")) == "The file is empty."
    assert refusal(io.BytesIO(b"PK\x03\x04" + b"x" * 10_001)) == (
        "The file is 9.8\xa0KB; the import takes files of up to 9.8\xa0KB."
    )
    assert refusal(io.BytesIO(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"x" * 100)) == (
        "The file is password-protected, or not an .xlsx workbook (an old .xls file?). "
        "Remove the password, or save it as .xlsx, and upload it again."
    )
    assert refusal(io.BytesIO(b"%PDF-1.7 ...")) == "The file is a PDF document, not an Excel workbook (.xlsx)."
    assert refusal(io.BytesIO(b"Task ID,Status\n")) == (
        "The file is not an Excel workbook (.xlsx). Save the spreadsheet as .xlsx and upload it again."
    )


MIB = 1024 * 1024


def spaces_zip(*sizes):
    """A zip of members of ``sizes`` spaces each: a few kilobytes that expand to the sizes given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, size in enumerate(sizes):
            with archive.open(f"part{number}.xml", "w", force_zip64=True) as member:
                for start in range(0, size, MIB):
                    member.write(b" " * min(MIB, size - start))
    return io.BytesIO(out.getvalue())


def test_the_package_checks_say_what_is_wrong_word_for_word():
    assert refusal(io.BytesIO(plain_zip({f"part{n}.xml": "" for n in range(1001)})), max_bytes=1_000_000) == (
        "The workbook holds too many parts (1001) to be imported."
    )
    check_package(io.BytesIO(plain_zip({f"part{n}.xml": "" for n in range(1000)})), 1_000_000)  # at the limit
    assert refusal(io.BytesIO(with_encrypted_flag(plain_zip({"a.xml": "<a/>"}))), max_bytes=1_000_000) == (
        "The workbook is encrypted. Remove the password and upload it again."
    )
    package = plain_zip({"a.xml": "<a/>"})
    assert refusal(io.BytesIO(package[: len(package) // 2])) == (
        "The workbook is damaged: it cannot be opened as an .xlsx file."
    )
    assert refusal(spaces_zip(100 * MIB, 50 * MIB), max_bytes=1_000_000) == (
        "The workbook would expand to 150.0\xa0MB when opened, more than the 100.0\xa0MB allowed; it was refused."
    )


def test_a_package_may_expand_to_the_larger_of_100_mb_and_twenty_times_the_file_limit():
    check_package(spaces_zip(100 * MIB), 1_000_000)  # exactly the floor: taken
    check_package(spaces_zip(110 * MIB), 6 * MIB)  # under 20 x 6 MB = 120 MB: taken
    assert refusal(spaces_zip(121 * MIB), max_bytes=6 * MIB) == (
        "The workbook would expand to 121.0\xa0MB when opened, more than the 120.0\xa0MB allowed; it was refused."
    )


def test_a_file_of_exactly_the_limit_and_of_one_byte_pass_the_size_checks():
    def build(workbook):
        workbook.active.title = "Data"

    upload = workbook_file(build)
    size = len(upload.getvalue())
    check_package(upload, size)  # at the limit: taken
    assert upload.tell() == 0  # and read from its start afterwards
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        check_package(io.BytesIO(b"x"), 10)  # one byte is not empty: it fails the signature instead


def test_a_sheet_over_the_row_limit_says_so():
    def build(workbook):
        workbook.active.title = "Data"
        workbook.active.append([TASK_ID, STATUS, NARRATIVE])
        for n in range(1, 5):
            workbook.active.append([n, "Completed", "Done."])

    assert len(read_sheet(workbook_file(build), max_rows=4)) == 4
    with pytest.raises(ImportFileError) as refused:
        read_sheet(workbook_file(build), max_rows=3)
    assert str(refused.value) == "The sheet has more than 3 rows; the import takes at most 3 at a time."


@pytest.mark.parametrize(
    "value, text",
    [
        (None, ""),
        ("As typed ", "As typed "),
        (12.0, "12"),
        (12.5, "12.5"),
        (7, "7"),
        (datetime.date(2021, 3, 4), "2021-03-04"),
        (datetime.datetime(2021, 3, 4, 5, 6), "2021-03-04T05:06:00"),
        (ArrayFormula("A1:A2", "=SUM(B1:B2)"), "=SUM(B1:B2)"),
        (ArrayFormula("A1:A2", None), ""),
    ],
)
def test_a_cell_reads_as_the_text_it_shows(value, text):
    assert cell_text(value) == text


def test_a_meeting_without_verified_dates_asks_for_the_date():
    meeting = MeetingFactory(start_date=None, end_date=None)
    assert check_meeting_date(meeting, None) == ["The meeting has no verified dates: give the reported-on date."]
