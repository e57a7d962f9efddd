"""After a meeting the secretariat imports the new statuses from a spreadsheet: previewed, atomic, repeatable."""

import datetime
import html
import io
import os
import random
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import NoReverseMatch, reverse

from tasks.models import Meeting, ProgressUpdate, Status, Task
from tasks.spreadsheets.layout import DATA_COLUMNS
from tests.factories import MeetingFactory, ProgressUpdateFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "admin:tasks_progressupdate_import"
SESSION_KEY = "tasks.progress_import"
IISG3_END = datetime.date(2017, 3, 24)


# Building the files a secretariat member (or an attacker) would upload.


def current_rows():
    """Return the Data sheet's rows for the current table, as the export writes them."""
    rows = []
    for task in Task.objects.with_current_status().prefetch_related("articles").order_by("position"):
        update = task.current_update
        rows.append(
            [
                task.pk,
                task.position,
                task.title,
                task.lead_group.short_name if task.lead_group else None,
                task.articles_label or None,
                update.get_status_display() if update else None,
                update.narrative if update else None,
                update.reported_on if update else None,
                update.meeting.short_title if update and update.meeting else None,
            ]
        )
    return rows


def workbook_bytes(rows, headers=DATA_COLUMNS, sheet="Data"):
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(headers))
    for row in rows:
        worksheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def set_row(rows, position, status=None, narrative=None):
    """Change the row of the task at ``position``: its Status and/or Progress status cell."""
    for row in rows:
        if row[1] == position:
            if status is not None:
                row[5] = status
            if narrative is not None:
                row[6] = narrative
            return row
    raise LookupError(position)


def iisg3():
    return Meeting.objects.get(short_title="IISG-3")


def upload(client, content, meeting=None, reported_on="", name="updates.xlsx"):
    meeting = meeting or iisg3()
    return client.post(
        reverse(IMPORT_URL),
        {"file": SimpleUploadedFile(name, content), "meeting": meeting.pk, "reported_on": reported_on},
    )


def confirm(client):
    token = client.session[SESSION_KEY]["token"]
    return client.post(reverse(f"{IMPORT_URL}_confirm"), {"token": token})


def file_error(response):
    assert response.status_code == 200
    assert SESSION_KEY not in response.wsgi_request.session
    return " ".join(response.context["form"].errors["file"])


def page_text(response):
    return html.unescape(response.content.decode())


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
    assert preview.context["counts"] == {"create": 4, "unchanged": 14, "error": 0}
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
    assert preview.context["counts"] == {"create": 0, "unchanged": 18, "error": 0}
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
    assert preview.context["counts"] == {"create": 1, "unchanged": 17, "error": 0}


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
    confirm(secretariat_client)
    task.refresh_from_db()
    assert task.current_status == Status.PENDING
    assert task.updates.filter(reported_on=IISG3_END, narrative="Back-dated.").exists()


# Files that are not what they claim.


def plain_zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def zip_bomb():
    """A valid-looking package whose one sheet expands from a few hundred kilobytes to 200 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(200):
                member.write(chunk)
    return out.getvalue()


def with_encrypted_flag(content):
    """Set the "encrypted" bit of every member, in the local headers and the central directory."""
    data = bytearray(content)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= 0x1
            start = data.find(signature, start + 4)
    return bytes(data)


BAD_FILES = {
    "csv renamed": (lambda: b"Task ID,Status,Progress status\n1,Completed,Done\n", "not an Excel workbook"),
    "pdf": (lambda: b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n", "PDF document"),
    "random bytes": (lambda: b"\x01" + random.Random(5).randbytes(4096), "not an Excel workbook"),
    "password-protected (CFB)": (lambda: bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024, "password-protected"),
    "truncated zip": (lambda: workbook_bytes(current_rows())[:3000], "damaged"),
    "zip that is no workbook": (lambda: plain_zip({"hello.txt": "hello"}), "damaged"),
    "no Data sheet": (
        lambda: workbook_bytes(current_rows(), sheet="Sheet1"),
        'no sheet named "Data" (its sheets: Sheet1)',
    ),
    "missing column": (
        lambda: workbook_bytes([r[:5] + r[6:] for r in current_rows()], headers=DATA_COLUMNS[:5] + DATA_COLUMNS[6:]),
        'no column "Status"',
    ),
    "empty sheet": (lambda: workbook_bytes([], headers=[]), 'no column "Task ID", "Status", "Progress status"'),
    "zip bomb": (zip_bomb, "would expand to"),
    "encrypted zip members": (lambda: with_encrypted_flag(workbook_bytes(current_rows())), "encrypted"),
    "too many zip members": (lambda: plain_zip({f"part{n}.xml": "" for n in range(1001)}), "too many parts (1001)"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_files_get_a_clear_message_and_write_nothing(seed, secretariat_client, kind):
    make, message = BAD_FILES[kind]
    before = ProgressUpdate.objects.count()
    response = upload(secretariat_client, make())
    assert message in file_error(response)
    assert message in page_text(response)
    assert ProgressUpdate.objects.count() == before


def test_an_empty_file_is_refused(seed, secretariat_client):
    assert "empty" in file_error(upload(secretariat_client, b""))


def test_a_file_over_the_size_limit_is_refused(seed, secretariat_client, settings):
    settings.ROADMAP_IMPORT_MAX_BYTES = 2000
    message = file_error(upload(secretariat_client, workbook_bytes(current_rows())))
    assert "the import takes files of up to 2.0\xa0KB" in message


def test_a_file_over_the_row_limit_is_refused(seed, secretariat_client, settings):
    settings.ROADMAP_IMPORT_MAX_ROWS = 17
    assert "more than 17 rows" in file_error(upload(secretariat_client, workbook_bytes(current_rows())))
    settings.ROADMAP_IMPORT_MAX_ROWS = 18
    assert upload(secretariat_client, workbook_bytes(current_rows())).status_code == 302


def test_the_upload_is_not_kept(seed, secretariat_client, settings, tmp_path):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    assert upload(secretariat_client, workbook_bytes(rows)).status_code == 302
    assert os.listdir(tmp_path) == []
    assert file_error(upload(secretariat_client, b"not a workbook at all"))
    assert os.listdir(tmp_path) == []


# Someone else records an update between the preview and the confirmation.


@pytest.mark.parametrize(
    "reported_on",
    [datetime.date(2017, 3, 1), datetime.date(2018, 1, 1)],
    ids=["before the import's date", "after it"],
)
def test_a_change_since_the_preview_stops_the_confirmation(seed, secretariat_client, reported_on):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    set_row(rows, 2, status="Completed", narrative="Done too.")
    upload(secretariat_client, workbook_bytes(rows))
    assert secretariat_client.get(reverse(f"{IMPORT_URL}_preview")).context["can_confirm"]
    other = Task.objects.get(position=3)  # a row of the file that the preview found unchanged
    ProgressUpdateFactory(task=other, reported_on=reported_on, status=Status.PENDING, narrative="Meanwhile.")
    before = ProgressUpdate.objects.count()

    response = confirm(secretariat_client)
    assert response.status_code == 302
    assert response.url == reverse(IMPORT_URL)
    assert ProgressUpdate.objects.count() == before
    message = page_text(secretariat_client.get(response.url))
    assert "Nothing was imported" in message
    assert str(other) in message
    assert str(Task.objects.get(position=1)) not in message


def test_a_preview_is_confirmed_once(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    upload(secretariat_client, workbook_bytes(rows))
    token = secretariat_client.session[SESSION_KEY]["token"]
    confirm(secretariat_client)
    count = ProgressUpdate.objects.count()
    again = secretariat_client.post(reverse(f"{IMPORT_URL}_confirm"), {"token": token})
    assert again.status_code == 302
    assert ProgressUpdate.objects.count() == count
    assert "no longer current" in page_text(secretariat_client.get(again.url))


def test_confirm_takes_only_a_post_with_the_preview_token(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    upload(secretariat_client, workbook_bytes(rows))
    assert secretariat_client.get(reverse(f"{IMPORT_URL}_confirm")).status_code == 405
    secretariat_client.post(reverse(f"{IMPORT_URL}_confirm"), {"token": "forged"})
    assert not ProgressUpdate.objects.filter(narrative="Done.").exists()


def test_preview_without_an_upload_goes_back_to_the_form(secretariat_client):
    response = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert response.status_code == 302
    assert response.url == reverse(IMPORT_URL)


# Who may import.


def import_steps():
    return [
        ("get", reverse(IMPORT_URL)),
        ("post", reverse(IMPORT_URL)),
        ("get", reverse(f"{IMPORT_URL}_template")),
        ("get", reverse(f"{IMPORT_URL}_preview")),
        ("post", reverse(f"{IMPORT_URL}_confirm")),
    ]


def test_staff_without_the_add_permission_get_403_on_every_step(seed, client):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_progressupdate"))
    client.force_login(viewer)
    assert client.get(reverse("admin:tasks_progressupdate_changelist")).status_code == 200
    assert reverse(IMPORT_URL) not in client.get(reverse("admin:tasks_progressupdate_changelist")).content.decode()
    for method, url in import_steps():
        assert getattr(client, method)(url).status_code == 403, url


def test_delegates_and_visitors_never_reach_the_import(seed, client, delegate_client):
    for method, url in import_steps():
        response = getattr(delegate_client, method)(url)
        assert response.status_code == 302 and reverse("admin:login") in response.url, url
    delegate_client.logout()
    for method, url in import_steps():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("admin:login") in response.url, url


def test_the_upload_needs_the_csrf_token(seed, secretariat):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    response = upload(client, workbook_bytes(current_rows()))
    assert response.status_code == 403


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
    assert preview.context["counts"] == {"create": 1, "unchanged": 17, "error": 0}
    confirm(secretariat_client)
    assert Task.objects.get(position=1).current_status == Status.COMPLETED


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


# The round trip with the real export (on the export branch; runs once both are merged).


def export_is_there():
    try:
        reverse("tasks:export_xlsx")
    except NoReverseMatch:
        return False
    return True


@pytest.mark.skipif(not export_is_there(), reason="the xlsx export (tasks:export_xlsx) is not on this branch yet")
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
    assert preview.context["counts"] == {"create": 3, "unchanged": 15, "error": 0}
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


def test_a_working_group_editor_imports_only_for_their_groups_tasks(twg_editor_client):
    rows = current_rows()
    set_row(rows, 6, status="Completed", narrative="Done by the TWG.")  # led by the TWG
    set_row(rows, 2, status="In progress", narrative="Started by the LWG.")  # led by the LWG
    assert upload(twg_editor_client, workbook_bytes(rows)).status_code == 302
    preview = twg_editor_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert preview.context["counts"]["error"] == 1
    assert not preview.context["can_confirm"]
    assert "another working group leads it" in page_text(preview)
    before = ProgressUpdate.objects.count()
    assert confirm(twg_editor_client).status_code == 302
    assert ProgressUpdate.objects.count() == before
    set_row(rows, 2, status="Not started", narrative="Work to be initiated by the Legal Working Group.")
    upload(twg_editor_client, workbook_bytes(rows))
    confirm(twg_editor_client)
    assert Task.objects.get(position=6).current_status == Status.COMPLETED


def test_an_edit_of_the_compared_update_since_the_preview_stops_the_confirmation(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 5, status="Completed", narrative="Memoranda collected.")
    upload(secretariat_client, workbook_bytes(rows))
    update = Task.objects.get(position=5).current_update
    update.narrative = "Memoranda collected."  # a colleague edits the same update meanwhile
    update.save()
    before = ProgressUpdate.objects.count()
    response = confirm(secretariat_client)
    assert response.url == reverse(IMPORT_URL)
    assert ProgressUpdate.objects.count() == before
    assert "Nothing was imported" in page_text(secretariat_client.get(response.url))


@pytest.mark.parametrize("task_id", [100000000000000000000, 1e20, "99999999999999999999"])
def test_a_huge_task_id_is_an_error_row_not_a_crash(seed, secretariat_client, task_id):
    rows = current_rows()
    rows[0][0] = task_id
    set_row(rows, 1, status="Completed", narrative="Done.")
    assert upload(secretariat_client, workbook_bytes(rows)).status_code == 302
    preview = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert preview.context["counts"]["error"] == 1
