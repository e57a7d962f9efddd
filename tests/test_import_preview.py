"""The import's preview: what each row of the uploaded sheet would do, and why."""

import datetime

import pytest
from django.urls import reverse

from tasks.models import Meeting, ProgressUpdate, Status, Task
from tests.factories import MeetingFactory, ProgressUpdateFactory
from tests.progress_import import (
    IISG3_END,
    IMPORT_URL,
    SESSION_KEY,
    confirm,
    current_rows,
    page_text,
    set_row,
    upload,
    workbook_bytes,
)

# The round trip through the admin.


def test_changelist_links_to_the_import(seed, secretariat_client):
    page = secretariat_client.get(reverse("admin:tasks_progressupdate_changelist"))
    assert reverse(IMPORT_URL) in page.content.decode()
    assert "Import progress updates" in page.content.decode()


def test_import_form_offers_the_template_and_the_latest_meeting(seed, secretariat_client):
    page = secretariat_client.get(reverse(IMPORT_URL))
    assert page.status_code == 200
    assert reverse(f"{IMPORT_URL}_template") in page.content.decode()
    assert page.context["form"].initial["meeting"] == Meeting.objects.get(short_title="IISG-5")


def test_upload_preview_confirm_creates_the_changed_updates(seed, secretariat_client, secretariat):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="The study was completed and presented.")
    set_row(rows, 2, status="draft")  # a key, narrative kept: the status change alone is an update
    set_row(rows, 3, status="  in PROGRESS ", narrative="Work continues on the draft.")
    set_row(rows, 4, narrative=rows[3][6] + " A second reading is planned.")
    before = ProgressUpdate.objects.count()

    response = upload(secretariat_client, workbook_bytes(rows))
    assert response.status_code == 302
    assert response.url == reverse(f"{IMPORT_URL}_preview")
    assert ProgressUpdate.objects.count() == before  # the preview writes nothing

    preview = secretariat_client.get(response.url)
    assert preview.status_code == 200
    assert preview.context["counts"] == {"create": 4, "earlier": 0, "unchanged": 14, "error": 0}
    assert preview.context["can_confirm"]
    text = page_text(preview)
    assert "4 updates to create" in text
    assert "14 rows unchanged (skipped)" in text
    assert "Confirm: create 4 updates" in text
    # The difference is visible: old status → new, the narrative's words removed and added.
    row4 = preview.content.decode().split('id="import-row-5"')[1].split("</tr>")[0]
    assert "<ins>" in row4 and "A second reading is planned." in row4
    row1 = page_text(preview).split('id="import-row-2"')[1].split("</tr>")[0]
    assert "→" in row1 and "Completed" in row1

    done = confirm(secretariat_client)
    assert done.status_code == 302
    assert ProgressUpdate.objects.count() == before + 4
    created = ProgressUpdate.objects.filter(reported_on=IISG3_END)
    assert created.count() == 4
    assert set(created.values_list("recorded_by", flat=True)) == {secretariat.pk}
    assert set(created.values_list("meeting__short_title", flat=True)) == {"IISG-3"}
    statuses = dict(Task.objects.filter(position__in=[1, 2, 3, 4]).values_list("position", "current_status"))
    assert statuses[1] == Status.COMPLETED
    assert statuses[2] == Status.DRAFT
    assert statuses[3] == Status.IN_PROGRESS
    assert Task.objects.get(position=1).current_update.narrative == "The study was completed and presented."
    assert SESSION_KEY not in secretariat_client.session

    changelist = secretariat_client.get(done.url)
    assert changelist.context["cl"].result_count == 4
    message = page_text(changelist)
    assert "Imported 4 progress updates; skipped 14 unchanged rows." in message
    for update in created:
        assert reverse("admin:tasks_progressupdate_change", args=[update.pk]) in changelist.content.decode()


def test_a_large_import_is_listed_by_meeting_and_date(seed, secretariat_client, monkeypatch):
    monkeypatch.setattr("tasks.import_wizard.LIST_IMPORTED_BY_ID", 1)
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    set_row(rows, 2, status="Completed", narrative="Done too.")
    upload(secretariat_client, workbook_bytes(rows))
    done = confirm(secretariat_client)
    changelist = secretariat_client.get(done.url)
    assert changelist.status_code == 200
    assert {update.narrative for update in changelist.context["cl"].result_list} == {"Done.", "Done too."}


def test_importing_the_same_file_again_creates_nothing(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 5, status="Completed", narrative="Done.")
    content = workbook_bytes(rows)
    upload(secretariat_client, content)
    confirm(secretariat_client)
    count = ProgressUpdate.objects.count()

    upload(secretariat_client, content)
    preview = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert preview.context["counts"] == {"create": 0, "earlier": 0, "unchanged": 18, "error": 0}
    assert not preview.context["can_confirm"]
    assert "Nothing to import" in page_text(preview)
    assert "Confirm:" not in page_text(preview)
    confirm(secretariat_client)
    assert ProgressUpdate.objects.count() == count


def test_reported_on_defaults_to_the_meeting_end_and_can_be_given(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 6, status="Completed", narrative="Completed.")
    upload(secretariat_client, workbook_bytes(rows), reported_on="2017-03-23")
    assert secretariat_client.session[SESSION_KEY]["reported_on"] == "2017-03-23"
    confirm(secretariat_client)
    assert Task.objects.get(position=6).current_update.reported_on == datetime.date(2017, 3, 23)


def test_a_new_status_with_no_narrative_yet_is_required_to_say_something(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 6, status="Completed", narrative="")
    upload(secretariat_client, workbook_bytes(rows))
    preview = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert "the progress status is empty" in page_text(preview)
    assert preview.context["counts"]["error"] == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: rows.append([9999, 99, "", "", "", "Completed", "Done."]), "No task has the ID 9999."),
        (lambda rows: rows.append(list(rows[0])), "appears in more than one row (rows 2, 20)"),
        (lambda rows: set_row(rows, 1, status="Finished"), "'Finished' is not one of the statuses."),
        (lambda rows: set_row(rows, 1, status="Completed", narrative="  "), "the progress status is empty"),
        (lambda rows: set_row(rows, 1, status=""), "The status is empty."),
        (lambda rows: rows.append(["seven", 7, "", "", "", "Completed", "Done."]), "'seven' is not a task ID."),
        (lambda rows: rows.append([None, None, "New task", "", "", "Completed", "Done."]), "only updates existing"),
        (lambda rows: set_row(rows, 1, narrative="x" * 10_001), "at most 10000 are taken"),
    ],
)
def test_rows_in_error_are_explained_and_block_the_import(seed, secretariat_client, change, message):
    rows = current_rows()
    set_row(rows, 2, status="Completed", narrative="A valid change in the same file.")
    change(rows)
    response = upload(secretariat_client, workbook_bytes(rows))
    assert response.status_code == 302
    preview = secretariat_client.get(response.url)
    assert message in page_text(preview)
    assert preview.context["counts"]["error"] >= 1
    assert not preview.context["can_confirm"]
    assert "Confirm:" not in page_text(preview)
    before = ProgressUpdate.objects.count()
    refused = confirm(secretariat_client)  # posting anyway changes nothing
    assert refused.status_code == 302
    assert ProgressUpdate.objects.count() == before
    assert "cannot be confirmed" in page_text(secretariat_client.get(refused.url))


@pytest.mark.parametrize(
    ("meeting", "reported_on", "message"),
    [
        ("IISG-3", "2017-03-01", "The meeting starts on"),
        ("IISG-3", (datetime.date.today() + datetime.timedelta(days=3)).isoformat(), "is in the future"),
        ("LTWG-3", "", "no verified dates"),
    ],
)
def test_meeting_and_date_are_checked(seed, secretariat_client, meeting, reported_on, message):
    content = workbook_bytes(current_rows())
    response = upload(secretariat_client, content, Meeting.objects.get(short_title=meeting), reported_on)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["reported_on"])
    assert SESSION_KEY not in secretariat_client.session


def test_a_meeting_in_the_future_of_today_is_refused(seed, secretariat_client):
    soon = datetime.date.today() + datetime.timedelta(days=10)
    meeting = MeetingFactory(start_date=soon, end_date=soon)
    response = upload(secretariat_client, workbook_bytes(current_rows()), meeting)
    assert "is in the future" in " ".join(response.context["form"].errors["reported_on"])


def test_statuses_are_read_by_label_or_key_in_any_case(seed, secretariat_client):
    rows = current_rows()
    for position, status in [(1, "NOT_STARTED"), (2, " completed "), (3, "draft prepared"), (5, "Pending")]:
        set_row(rows, position, status=status, narrative=f"Narrative {position}.")
    upload(secretariat_client, workbook_bytes(rows))
    confirm(secretariat_client)
    statuses = dict(Task.objects.filter(position__in=[1, 2, 3, 5]).values_list("position", "current_status"))
    assert statuses == {1: Status.NOT_STARTED, 2: Status.COMPLETED, 3: Status.DRAFT, 5: Status.PENDING}


def test_narratives_are_cleaned_and_compared_cleaned(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="  First line.\r\nSecond\x8d line.\rThird line.   ")
    content = workbook_bytes(rows)
    upload(secretariat_client, content)
    confirm(secretariat_client)
    assert Task.objects.get(position=1).current_update.narrative == "First line.\nSecond line.\nThird line."
    upload(secretariat_client, content)
    assert secretariat_client.get(reverse(f"{IMPORT_URL}_preview")).context["counts"]["create"] == 0


def test_blank_rows_and_rows_without_status_or_narrative_are_skipped(seed, secretariat_client):
    rows = current_rows()
    for row in rows:
        row[5] = row[6] = None
    set_row(rows, 7, status="Completed", narrative="Finished.")
    rows.insert(3, [None] * 9)
    upload(secretariat_client, workbook_bytes(rows))
    preview = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert preview.context["counts"] == {"create": 1, "earlier": 0, "unchanged": 17, "error": 0}


def test_formulas_are_imported_as_their_text_never_evaluated(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative='=HYPERLINK("http://example.org","click")')
    set_row(rows, 2, status="Completed", narrative="=1+1")
    upload(secretariat_client, workbook_bytes(rows))
    preview = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert "looks like a formula" in page_text(preview)
    confirm(secretariat_client)
    assert Task.objects.get(position=1).current_update.narrative == '=HYPERLINK("http://example.org","click")'
    assert Task.objects.get(position=2).current_update.narrative == "=1+1"


def test_a_formula_in_the_status_cell_is_not_a_status(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 1, status='=IF(1,"Completed","")')
    upload(secretariat_client, workbook_bytes(rows))
    preview = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert "is not one of the statuses" in page_text(preview)


def test_a_later_update_is_noted_and_stays_current(seed, secretariat_client):
    task = Task.objects.get(position=8)
    ProgressUpdateFactory(task=task, reported_on=datetime.date(2018, 1, 1), status=Status.PENDING, narrative="Later.")
    rows = current_rows()
    set_row(rows, 8, status="Completed", narrative="Back-dated.")
    upload(secretariat_client, workbook_bytes(rows))
    preview = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert "stays the task's current status" in page_text(preview)
    assert preview.context["counts"]["earlier"] == 1
    token = secretariat_client.session[SESSION_KEY]["token"]
    secretariat_client.post(reverse(f"{IMPORT_URL}_confirm"), {"token": token, "include_earlier": "1"})
    task.refresh_from_db()
    assert task.current_status == Status.PENDING
    assert task.updates.filter(reported_on=IISG3_END, narrative="Back-dated.").exists()


@pytest.mark.parametrize("task_id", [100000000000000000000, 1e20, "99999999999999999999"])
def test_a_huge_task_id_is_an_error_row_not_a_crash(seed, secretariat_client, task_id):
    rows = current_rows()
    rows[0][0] = task_id
    set_row(rows, 1, status="Completed", narrative="Done.")
    assert upload(secretariat_client, workbook_bytes(rows)).status_code == 302
    preview = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert preview.context["counts"]["error"] == 1
