"""Build the files a secretariat member (or an attacker) would upload to the progress import, and drive its pages."""

import datetime
import html
import io
import zipfile

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.models import Meeting, Task
from tasks.spreadsheets.layout import DATA_COLUMNS

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


def plain_zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
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


def with_member_edited(package, name, edit):
    """Return a copy of the zip ``package`` (a file) with member ``name``'s bytes passed through ``edit``."""
    out = io.BytesIO()
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, edit(data) if item.filename == name else data)
    out.seek(0)
    return out


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
