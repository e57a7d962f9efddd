"""Read progress updates from the "Data" sheet of an .xlsx workbook and check them, writing nothing.

The file is distrusted from its first byte: its size, its kind (a zip, not an encrypted OLE2
container), the size it would expand to and the number of its members are checked before
openpyxl opens it, read-only and without evaluating anything (a formula's text is read as text).
Each row then becomes an :class:`ImportRow` saying what confirming would do: create an update,
skip an unchanged one, or refuse the file, and why. ``tasks.services.apply_progress_import``
writes the rows; the admin's import pages and ``manage.py import_progress`` share both.
"""

import warnings
import zipfile
from dataclasses import asdict, dataclass, field

import openpyxl
from django.conf import settings
from django.db.models import Subquery
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from inputs import MAX_ID, normalise_text, parse_int

from ..models import ProgressUpdate, Status, Task, report_date_errors
from .layout import DATA_COLUMNS, DATA_SHEET, NARRATIVE, STATUS, TASK_ID

REQUIRED_COLUMNS = (TASK_ID, STATUS, NARRATIVE)
NARRATIVE_MAX_LENGTH = 10_000
MAX_COLUMNS_READ = 50

CREATE, UNCHANGED, ERROR = "create", "unchanged", "error"
# A new update that would be dated before the task's later one: created only when a person asks.
EARLIER = "earlier"

# An encrypted (password-protected) .xlsx is an OLE2 compound file, as is an old .xls.
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
MAX_ZIP_MEMBERS = 1_000
# A workbook's XML compresses about tenfold: allow twice that (100 MB at least) before refusing a zip bomb.
MIN_EXPANDED_BOUND = 100 * 1024 * 1024
EXPANSION_FACTOR = 20


class ImportFileError(Exception):
    """The file cannot be imported at all; the message tells the user why."""


@dataclass
class ImportRow:
    """One row of the sheet, checked: what confirming the import would do with it."""

    row: int
    task_id: int | None = None
    status: str = ""  # a Status value, or "" when blank or not a status
    status_text: str = ""  # the cell as written, shown when it is not a status
    narrative: str = ""
    action: str = ERROR
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # What the row was compared with, re-checked when the import is confirmed.
    compared_update_id: int | None = None
    compared_update_version: int | None = None  # an edit of that update since the preview shows here
    current_update_id: int | None = None

    @property
    def is_error(self):
        return self.action == ERROR

    def to_session(self):
        return asdict(self)

    @classmethod
    def from_session(cls, data):
        return cls(**data)


def import_limits():
    """Return (bytes, rows) the import accepts, from the settings."""
    return settings.ROADMAP_IMPORT_MAX_BYTES, settings.ROADMAP_IMPORT_MAX_ROWS


def cell_text(value):
    """Return a cell's value as text: a formula's own text (never its result), a number as written."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if hasattr(value, "text"):  # openpyxl's ArrayFormula
        return str(value.text or "")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def status_lookup():
    """Return {casefolded text: status} for the statuses' keys and English labels."""
    with translation.override("en"):
        lookup = {str(label).casefold(): value for value, label in Status.choices}
    lookup.update({value.casefold(): value for value in Status.values})
    return lookup


def parse_task_id(value):
    """Return the task id a cell holds, or None when it holds no whole number a task could have."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    elif not isinstance(value, int):
        text = cell_text(value).strip()
        value = text
    return parse_int(value, minimum=1, maximum=MAX_ID)


def check_package(upload, max_bytes):
    """Refuse what is not a plain .xlsx of a sensible size before any XML in it is parsed."""
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > max_bytes:
        raise ImportFileError(
            _("The file is %(size)s; the import takes files of up to %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
        )
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(CFB_SIGNATURE):
        raise ImportFileError(
            _(
                "The file is password-protected, or not an .xlsx workbook (an old .xls file?). "
                "Remove the password, or save it as .xlsx, and upload it again."
            )
        )
    if head.startswith(b"%PDF"):
        raise ImportFileError(_("The file is a PDF document, not an Excel workbook (.xlsx)."))
    if not head.startswith(ZIP_SIGNATURES):
        raise ImportFileError(
            _("The file is not an Excel workbook (.xlsx). Save the spreadsheet as .xlsx and upload it again.")
        )
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ImportFileError(_("The workbook is damaged: it cannot be opened as an .xlsx file.")) from error
    finally:
        upload.seek(0)
    if len(members) > MAX_ZIP_MEMBERS:
        raise ImportFileError(
            _("The workbook holds too many parts (%(count)s) to be imported.") % {"count": len(members)}
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise ImportFileError(_("The workbook is encrypted. Remove the password and upload it again."))
    expanded = sum(member.file_size for member in members)
    bound = max(MIN_EXPANDED_BOUND, EXPANSION_FACTOR * max_bytes)
    if expanded > bound:
        raise ImportFileError(
            _("The workbook would expand to %(size)s when opened, more than the %(limit)s allowed; it was refused.")
            % {"size": filesizeformat(expanded), "limit": filesizeformat(bound)}
        )


def _open_data_sheet(upload):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops (styles, extensions)
            workbook = openpyxl.load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, XML errors...) for a broken package
        raise ImportFileError(_("The workbook is damaged: it cannot be opened as an .xlsx file.")) from error
    names = {name.casefold(): name for name in workbook.sheetnames}
    name = DATA_SHEET if DATA_SHEET in workbook.sheetnames else names.get(DATA_SHEET.casefold())
    sheet = workbook[name] if name else None
    if sheet is None or not hasattr(sheet, "iter_rows"):
        workbook.close()
        raise ImportFileError(
            _('The workbook has no sheet named "%(sheet)s" (its sheets: %(names)s). Use the export\'s layout.')
            % {"sheet": DATA_SHEET, "names": ", ".join(workbook.sheetnames[:10])}
        )
    return workbook, sheet


def _column_positions(header):
    found = {}
    for index, value in enumerate(header or ()):
        text = " ".join(cell_text(value).split()).casefold()
        for column in REQUIRED_COLUMNS:
            if text == column.casefold() and column not in found:
                found[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in found]
    if missing:
        raise ImportFileError(
            _('The "%(sheet)s" sheet has no column %(missing)s. Its first row should read: %(columns)s.')
            % {
                "sheet": DATA_SHEET,
                "missing": ", ".join(f'"{column}"' for column in missing),
                "columns": " | ".join(DATA_COLUMNS),
            }
        )
    return found


def read_sheet(upload, *, max_rows):
    """Return the sheet's rows as [(row number, task id cell, status cell, narrative cell)]."""
    workbook, sheet = _open_data_sheet(upload)
    try:
        # Read-only sheets trust the dimensions the writing program declared; some lie, hiding rows.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS_READ)
        positions = _column_positions(next(rows, None))
        read = []
        for number, values in enumerate(rows, start=2):
            cells = tuple(values[positions[column]] for column in REQUIRED_COLUMNS)
            if all(cell_text(cell).strip() == "" for cell in cells):
                continue
            if len(read) >= max_rows:
                raise ImportFileError(
                    _("The sheet has more than %(limit)s rows; the import takes at most %(limit)s at a time.")
                    % {"limit": max_rows}
                )
            read.append((number, *cells))
        return read
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(_("The workbook is damaged: its sheet cannot be read.")) from error
    finally:
        workbook.close()


def check_meeting_date(meeting, reported_on):
    """Return the reasons (none when fine) why updates cannot be reported at ``meeting`` on ``reported_on``."""
    if reported_on is None:
        return [_("The meeting has no verified dates: give the reported-on date.")]
    return report_date_errors(reported_on, meeting)


def check_rows(cells, *, reported_on):
    """Turn the sheet's cells into checked rows, comparing each with the update standing on ``reported_on``."""
    statuses = status_lookup()
    rows = [_read_row(number, *cells, statuses=statuses) for number, *cells in cells]
    _refuse_repeated_tasks(rows)
    tasks, compared = _compared_updates(rows, reported_on)
    for row in rows:
        task = tasks.get(row.task_id)
        if row.task_id is not None and task is None:
            row.errors.append(_("No task has the ID %(id)s.") % {"id": row.task_id})
        if task is not None:
            row.compared_update_id = task.compared_id
            row.compared_update_version = task.compared_version
            row.current_update_id = task.current_update_id
        row.action = _decide(row, compared.get(row.compared_update_id), task, reported_on)
    return rows


def _read_row(number, task_cell, status_cell, narrative_cell, *, statuses):
    """Return one row read from its cells, with the errors and notes the cells alone show."""
    row = ImportRow(row=number)
    row.status_text = " ".join(cell_text(status_cell).split())
    row.narrative = normalise_text(cell_text(narrative_cell))
    row.task_id = parse_task_id(task_cell)
    if row.task_id is None:
        if cell_text(task_cell).strip():
            row.errors.append(_("The task ID %(value)r is not a task ID.") % {"value": cell_text(task_cell)[:40]})
        else:
            row.errors.append(_("The task ID is empty: the import only updates existing tasks."))
    if row.status_text:
        row.status = statuses.get(row.status_text.casefold(), "")
        if not row.status:
            row.errors.append(_("%(value)r is not one of the statuses.") % {"value": row.status_text[:60]})
    if len(row.narrative) > NARRATIVE_MAX_LENGTH:
        row.errors.append(
            _("The progress status is %(length)s characters long; at most %(limit)s are taken.")
            % {"length": len(row.narrative), "limit": NARRATIVE_MAX_LENGTH}
        )
    if cell_text(narrative_cell).lstrip().startswith("="):
        row.notes.append(_("The progress status looks like a formula: its text is imported as written."))
    return row


def _refuse_repeated_tasks(rows):
    seen = {}
    for row in rows:
        if row.task_id is not None:
            seen.setdefault(row.task_id, []).append(row.row)
    for row in rows:
        others = seen.get(row.task_id, [])
        if len(others) > 1:
            row.errors.append(
                _("The task ID %(id)s appears in more than one row (rows %(rows)s).")
                % {"id": row.task_id, "rows": ", ".join(map(str, others))}
            )


def _compared_updates(rows, reported_on):
    """Return the rows' tasks by id, with the update standing on ``reported_on``; and those updates by id."""
    standing = ProgressUpdate.objects.standing_on(reported_on)
    tasks = (
        Task.objects.filter(pk__in={row.task_id for row in rows if row.task_id is not None})
        .select_related("current_update")
        .annotate(
            compared_id=Subquery(standing.values("pk")[:1]),
            compared_version=Subquery(standing.values("version")[:1]),
        )
        .in_bulk()
    )
    compared = ProgressUpdate.objects.only("status", "narrative").in_bulk(
        [task.compared_id for task in tasks.values() if task.compared_id]
    )
    return tasks, compared


def _says_the_same(update, row):
    return update is not None and update.status == row.status and normalise_text(update.narrative) == row.narrative


def _decide(row, old, task, reported_on):
    if row.errors:
        return ERROR
    if not row.status_text and not row.narrative:
        row.notes.append(_("Status and progress status are blank: nothing to record."))
        return UNCHANGED
    if not row.status:
        row.errors.append(_("The status is empty."))
        return ERROR
    old_status = old.status if old else ""
    if not row.narrative:
        if row.status != old_status:
            row.errors.append(_("The status changed but the progress status is empty: say what happened."))
            return ERROR
        row.notes.append(_("The progress status is blank: nothing to record."))
        return UNCHANGED
    latest = task.current_update
    if _says_the_same(old, row) or _says_the_same(latest, row):
        return UNCHANGED  # a re-imported export: the row says what the task's update already says
    if latest is not None and latest.reported_on > reported_on:
        row.notes.append(
            _(
                "A later update (%(date)s) stays the task's current status: this one would be dated before it, "
                "so it is recorded only if you ask for it."
            )
            % {"date": date_format(latest.reported_on)}
        )
        return EARLIER
    return CREATE


def settle_earlier_rows(rows, *, include):
    """Make the rows dated before a later update creates (``include``) or skipped ones; return the rows."""
    for row in rows:
        if row.action == EARLIER:
            row.action = CREATE if include else UNCHANGED
    return rows


def read_progress_file(upload, *, reported_on, max_bytes=None, max_rows=None):
    """Return the checked rows of an uploaded workbook; raise ImportFileError for a file that cannot be read."""
    limit_bytes, limit_rows = import_limits()
    check_package(upload, max_bytes or limit_bytes)
    cells = read_sheet(upload, max_rows=max_rows or limit_rows)
    return check_rows(cells, reported_on=reported_on)


def summarise(rows):
    """Return {action: count} for the rows."""
    counts = {CREATE: 0, EARLIER: 0, UNCHANGED: 0, ERROR: 0}
    for row in rows:
        counts[row.action] += 1
    return counts
