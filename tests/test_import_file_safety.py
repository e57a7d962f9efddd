"""Files that are not what they claim are refused with a clear message, and nothing is written."""

import io
import os
import random
import zipfile

import pytest

from tasks.models import ProgressUpdate
from tasks.spreadsheets.layout import DATA_COLUMNS
from tests.progress_import import (
    current_rows,
    file_error,
    page_text,
    plain_zip,
    set_row,
    upload,
    with_encrypted_flag,
    workbook_bytes,
)

# Files that are not what they claim.


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
