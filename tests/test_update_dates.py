"""One rule for a progress update's date, on every path: not in the future, not before its meeting
starts, not more than three months after it ends."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from tasks.models import Meeting, ProgressUpdate, Status, Task, report_date_errors
from tasks.services import apply_progress_import
from tasks.spreadsheets.progress_import import check_rows
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import MeetingFactory, ProgressUpdateFactory, TaskFactory
from tests.progress_import import current_rows, set_row, upload, workbook_bytes

pytestmark = pytest.mark.django_db

IISG1 = "IISG-1"  # 1-3 April 2015


def tomorrow():
    return timezone.localdate() + datetime.timedelta(days=1)


def meeting(start, end):
    return MeetingFactory(start_date=start, end_date=end)


# The rule itself.


def test_rule_accepts_the_meeting_days_and_three_months_after():
    held = meeting(datetime.date(2020, 3, 2), datetime.date(2020, 3, 4))
    for day in (datetime.date(2020, 3, 2), datetime.date(2020, 3, 4), datetime.date(2020, 6, 4)):
        assert report_date_errors(day, held) == []
    assert report_date_errors(timezone.localdate(), None) == []


def test_rule_refuses_the_future_in_the_projects_time_zone(settings):
    assert "in the future" in report_date_errors(tomorrow(), None)[0]


def test_rule_refuses_a_date_before_the_meeting_starts():
    held = meeting(datetime.date(2020, 3, 2), datetime.date(2020, 3, 4))
    assert "The meeting starts on" in report_date_errors(datetime.date(2020, 3, 1), held)[0]


def test_rule_refuses_a_date_long_after_the_meeting_ends():
    held = meeting(datetime.date(2020, 3, 2), datetime.date(2020, 3, 4))
    assert report_date_errors(datetime.date(2020, 6, 4), held) == []
    assert "more than three months" in report_date_errors(datetime.date(2020, 6, 5), held)[0]
    one_day = meeting(datetime.date(2021, 3, 2), None)
    assert "more than three months" in report_date_errors(datetime.date(2021, 6, 3), one_day)[0]


def test_a_meeting_without_dates_only_keeps_the_future_out():
    undated = meeting(None, None)
    assert report_date_errors(datetime.date(2001, 1, 1), undated) == []
    assert report_date_errors(tomorrow(), undated)


# The model: clean() for forms, save() for every other path.


def test_model_refuses_to_save_a_future_or_misplaced_date():
    held = meeting(datetime.date(2015, 4, 1), datetime.date(2015, 4, 3))
    with pytest.raises(ValidationError) as future:
        ProgressUpdateFactory(reported_on=tomorrow())
    assert "reported_on" in future.value.message_dict
    update = ProgressUpdateFactory(meeting=held)
    update.reported_on = datetime.date(2026, 1, 1)
    with pytest.raises(ValidationError):
        update.full_clean()
    with pytest.raises(ValidationError):
        update.save()
    update.refresh_from_db()
    assert update.reported_on == datetime.date(2015, 4, 1)


# The admin: the update's own page and the task page's new-update form.


def test_admin_update_page_refuses_a_future_date(seed, secretariat_client):
    update = ProgressUpdate.objects.filter(meeting__isnull=False).first()
    url = reverse("admin:tasks_progressupdate_change", args=[update.pk])
    data = change_form_data(secretariat_client.get(url))
    data["reported_on"] = "2030-01-01"
    response = secretariat_client.post(url, data)
    assert response.status_code == 200
    assert "in the future" in " ".join(response.context["adminform"].form.errors["reported_on"])
    update.refresh_from_db()
    assert update.reported_on != datetime.date(2030, 1, 1)


@pytest.mark.parametrize(("reported_on", "message"), [("2030-01-01", "in the future"), ("2026-01-01", "three months")])
def test_admin_task_page_refuses_an_update_the_import_refuses(seed, secretariat_client, reported_on, message):
    task = Task.objects.get(position=6)
    before = (task.current_update_id, task.updates.count())
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = secretariat_client.get(url)
    data = change_form_data(page)
    prefix = inline_prefix(page, ProgressUpdate, 0)
    data.update(
        {
            f"{prefix}-0-reported_on": reported_on,
            f"{prefix}-0-meeting": Meeting.objects.get(short_title=IISG1).pk,
            f"{prefix}-0-status": Status.COMPLETED,
            f"{prefix}-0-narrative": "Completed.",
        }
    )
    response = secretariat_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    task.refresh_from_db()
    assert (task.current_update_id, task.updates.count()) == before


# The import: the admin's pages, the command, and the service they share.


def test_import_page_refuses_a_date_long_after_the_meeting(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 6, status="Completed", narrative="Done.")
    response = upload(secretariat_client, workbook_bytes(rows), Meeting.objects.get(short_title=IISG1), "2016-01-01")
    assert response.status_code == 200
    assert "three months" in " ".join(response.context["form"].errors["reported_on"])


def test_import_command_refuses_a_date_before_the_meeting(seed, tmp_path):
    rows = current_rows()
    set_row(rows, 6, status="Completed", narrative="Done.")
    path = tmp_path / "updates.xlsx"
    path.write_bytes(workbook_bytes(rows))
    before = ProgressUpdate.objects.count()
    with pytest.raises(CommandError, match="The meeting starts on"):
        call_command(
            "import_progress", str(path), "--meeting", "IISG-3", "--reported-on", "2017-01-01", stdout=io.StringIO()
        )
    assert ProgressUpdate.objects.count() == before


def test_import_service_refuses_a_date_the_rule_refuses(db):
    task = TaskFactory()
    held = meeting(datetime.date(2020, 3, 2), datetime.date(2020, 3, 4))
    rows = check_rows([(2, task.pk, "Completed", "Done.")], reported_on=datetime.date(2021, 1, 1))
    with pytest.raises(ValueError, match="three months"):
        apply_progress_import(rows=rows, meeting=held, reported_on=datetime.date(2021, 1, 1), user=None)
    assert not task.updates.exists()
