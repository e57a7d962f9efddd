"""CSV for the task list and the progress updates: the columns of the Excel export's Data and History sheets.

Headers and their order come from ``tasks.spreadsheets.layout``; the values are those the sheets hold,
as text (dates in ISO 8601, statuses by their English label, as the importer reads them). A text a
spreadsheet would run as a formula is prefixed with an apostrophe, which CSV has no other way to mark.
"""

import csv

from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework.renderers import BaseRenderer

from tasks.spreadsheets.layout import DATA_COLUMNS, HISTORY_COLUMNS, is_formula_like
from tasks.spreadsheets.scope import CHUNK_SIZE, status_labels

CSV_CONTENT_TYPE = "text/csv"


class CSVRenderer(BaseRenderer):
    """Offers text/csv in content negotiation; the views stream the CSV themselves (``csv_response``)."""

    media_type = CSV_CONTENT_TYPE
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        raise NotImplementedError("CSV is streamed by the view: see api.tabular.csv_response")


def _text(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return f"'{value}" if value and is_formula_like(value) else value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def task_cells(row, english):
    """Return a TaskRow as the Data sheet's cells, in DATA_COLUMNS order."""
    cells = {
        "Task ID": row.id,
        "Position": row.position,
        "Task": row.title,
        "Lead group": row.lead_group,
        "Relevant articles": row.article_numbers,
        "Status": english.get(row.status, ""),
        "Progress status": row.narrative,
        "Last update": row.reported_on,
        "Meeting": row.meeting,
    }
    return [_text(cells[header]) for header in DATA_COLUMNS]


UPDATE_FIELDS = (
    "task_id",
    "task__position",
    "reported_on",
    "meeting__short_title",
    "status",
    "narrative",
    "created_at",
)


def update_cells(values, english):
    """Return an update's values (UPDATE_FIELDS) as the History sheet's cells, in HISTORY_COLUMNS order."""
    task_id, position, reported_on, meeting, status, narrative, created_at = values
    cells = {
        "Task ID": task_id,
        "Position": position,
        "Reported on": reported_on,
        "Meeting": meeting,
        "Status": english.get(status, ""),
        "Progress status": narrative,
        "Recorded at": timezone.localtime(created_at).isoformat(timespec="seconds"),
    }
    return [_text(cells[header]) for header in HISTORY_COLUMNS]


class _Line:
    """A file-like object csv.writer writes one line into, handed straight back."""

    def write(self, text):
        return text


def _stream(headers, rows):
    writer = csv.writer(_Line())
    yield writer.writerow(headers)
    for row in rows:
        yield writer.writerow(row)


def csv_response(headers, rows, filename):
    response = StreamingHttpResponse(_stream(headers, rows), content_type=f"{CSV_CONTENT_TYPE}; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def tasks_csv(scope):
    """Stream the scope's tasks (an ExportScope) as the Data sheet's CSV, in road map order."""
    english = status_labels("en")
    return csv_response(DATA_COLUMNS, (task_cells(row, english) for row in scope.rows()), "roadmap-tasks.csv")


def updates_csv(updates):
    """Stream progress updates (a queryset, ordered) as the History sheet's CSV."""
    english = status_labels("en")
    rows = (update_cells(values, english) for values in updates.values_list(*UPDATE_FIELDS).iterator(CHUNK_SIZE))
    return csv_response(HISTORY_COLUMNS, rows, "roadmap-updates.csv")
