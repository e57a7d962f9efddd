"""Re-importing a fresh export creates only the rows changed: an untouched row is unchanged, whatever
the date, and an update that would go before a later one is recorded only when a person asks."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tasks.models import Meeting, ProgressUpdate, Status, Task
from tests.factories import ProgressUpdateFactory
from tests.progress_import import IMPORT_URL, SESSION_KEY, current_rows, page_text, set_row, upload, workbook_bytes

pytestmark = pytest.mark.django_db

LATER = datetime.date(2018, 1, 1)  # after the Third Meeting of the IISG, the import's default meeting


@pytest.fixture
def task_with_a_later_update(seed):
    task = Task.objects.get(position=8)
    ProgressUpdateFactory(task=task, reported_on=LATER, status=Status.PENDING, narrative="Later.")
    return task


def preview(client, rows):
    upload(client, workbook_bytes(rows))
    return client.get(reverse(f"{IMPORT_URL}_preview"))


def test_an_untouched_row_of_a_fresh_export_is_unchanged(task_with_a_later_update, secretariat_client):
    rows = current_rows()  # the export now: task 8's row shows its later update
    for position in (1, 2, 3):
        set_row(rows, position, status="Completed", narrative=f"Task {position} done.")
    page = preview(secretariat_client, rows)
    assert page.context["counts"] == {"create": 3, "earlier": 0, "unchanged": 15, "error": 0}
    token = secretariat_client.session[SESSION_KEY]["token"]
    secretariat_client.post(reverse(f"{IMPORT_URL}_confirm"), {"token": token})
    assert task_with_a_later_update.updates.count() == 2  # the seed's and the later one: no copy


def test_an_update_before_a_later_one_is_announced_and_skipped_by_default(task_with_a_later_update, secretariat_client):
    rows = current_rows()
    set_row(rows, 8, status="Completed", narrative="Back-dated.")
    page = preview(secretariat_client, rows)
    assert page.context["counts"] == {"create": 0, "earlier": 1, "unchanged": 17, "error": 0}
    text = page_text(page)
    assert "dated before the task's later one" in text and "Also record the 1 update" in text
    token = secretariat_client.session[SESSION_KEY]["token"]
    secretariat_client.post(reverse(f"{IMPORT_URL}_confirm"), {"token": token})
    assert not ProgressUpdate.objects.filter(narrative="Back-dated.").exists()


def test_an_update_before_a_later_one_is_recorded_when_asked(task_with_a_later_update, secretariat_client):
    rows = current_rows()
    set_row(rows, 8, status="Completed", narrative="Back-dated.")
    preview(secretariat_client, rows)
    token = secretariat_client.session[SESSION_KEY]["token"]
    secretariat_client.post(reverse(f"{IMPORT_URL}_confirm"), {"token": token, "include_earlier": "1"})
    task_with_a_later_update.refresh_from_db()
    assert task_with_a_later_update.updates.filter(narrative="Back-dated.").exists()
    assert task_with_a_later_update.current_update.reported_on == LATER


def test_an_editor_may_not_ask_for_earlier_updates_of_another_group(seed, twg_editor_client):
    task = Task.objects.get(position=7)  # led by the Legal Working Group
    ProgressUpdateFactory(task=task, reported_on=LATER, status=Status.PENDING, narrative="Later.")
    rows = current_rows()
    set_row(rows, 7, status="Completed", narrative="Back-dated.")
    page = preview(twg_editor_client, rows)
    assert page.context["counts"]["error"] == 1


@pytest.mark.parametrize(("flag", "created"), [((), False), (("--include-earlier",), True)])
def test_the_command_skips_earlier_updates_unless_asked(task_with_a_later_update, tmp_path, flag, created):
    rows = current_rows()
    set_row(rows, 8, status="Completed", narrative="Back-dated.")
    path = tmp_path / "updates.xlsx"
    path.write_bytes(workbook_bytes(rows))
    out = io.StringIO()
    meeting = Meeting.objects.get(short_title="IISG-3")
    call_command("import_progress", str(path), "--meeting", str(meeting.pk), *flag, stdout=out)
    assert ProgressUpdate.objects.filter(narrative="Back-dated.").exists() is created
