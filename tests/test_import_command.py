"""manage.py import_progress: the admin's import from the command line, with the same checks."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tasks.models import ProgressUpdate
from tests.factories import UserFactory
from tests.progress_import import IISG3_END, current_rows, iisg3, set_row, workbook_bytes

# The same import from the command line.


def write_file(tmp_path, content, name="updates.xlsx"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_progress", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_command_dry_run_reports_and_writes_nothing(seed, tmp_path):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    path = write_file(tmp_path, workbook_bytes(rows))
    before = ProgressUpdate.objects.count()
    output = run_command(path, "--meeting", str(iisg3().pk), "--dry-run")
    assert "row 2 (task" in output and "create" in output
    assert "Dry run: 1 to create, 17 unchanged (skipped), 0 in error" in output
    assert ProgressUpdate.objects.count() == before


def test_command_imports_once(seed, tmp_path):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    set_row(rows, 2, status="Pending", narrative="Waiting.")
    path = write_file(tmp_path, workbook_bytes(rows))
    user = UserFactory(username="clerk")
    assert "Imported 2 progress update(s); 16 unchanged" in run_command(path, "--meeting", "IISG-3", "--user", "clerk")
    assert ProgressUpdate.objects.filter(reported_on=IISG3_END, recorded_by=user).count() == 2
    assert "Imported 0 progress update(s); 18 unchanged" in run_command(path, "--meeting", "IISG-3")


def test_command_stops_on_rows_in_error_with_a_report(seed, tmp_path):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    set_row(rows, 2, status="Finished")
    path = write_file(tmp_path, workbook_bytes(rows))
    out = io.StringIO()
    before = ProgressUpdate.objects.count()
    with pytest.raises(CommandError, match="1 row\\(s\\) in error: nothing was imported") as error:
        call_command("import_progress", path, "--meeting", "IISG-3", stdout=out, stderr=io.StringIO())
    assert error.value.returncode == 1  # what manage.py exits with
    assert "row 3 (task" in out.getvalue() and "'Finished' is not one of the statuses." in out.getvalue()
    assert ProgressUpdate.objects.count() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--meeting", "IISG-3"], "password-protected"),
        (["--meeting", "NO-SUCH"], "No meeting has the id or short title 'NO-SUCH'"),
        (["--meeting", "IISG-3", "--reported-on", "2017-02-30"], "is not a date"),
        (["--meeting", "IISG-3", "--reported-on", "2017-03-01"], "The meeting starts on"),
    ],
)
def test_command_refuses_bad_input(seed, tmp_path, args, message):
    path = write_file(tmp_path, bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512)
    with pytest.raises(CommandError, match=message):
        run_command(path, *args)
