"""The status table as an Excel workbook, written in openpyxl's write-only mode.

Three sheets: "Status table", laid out and set up for printing like the meeting document;
"Data", one typed row per task, the sheet an analyst sorts and the secretariat re-imports
(headers in ``columns.DATA_COLUMNS``); "History", every progress update, on request.

Rows are streamed from the database to the sheets, which openpyxl keeps in temporary
files; the workbook itself is spooled to a temporary file. No sheet is held in memory.

No cell ever executes: a text that a spreadsheet would read as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) or as an error code is stored as a
string with the "quote prefix" set, Excel's own mark for text typed after an apostrophe,
so it stays text even when a user edits the cell. The value itself is unchanged, so the
secretariat's re-import reads back exactly what was exported.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from translations.states import shown_text

from .layout import (
    DATA_COLUMNS,
    DATA_SHEET,
    DATA_WIDTHS,
    HISTORY_COLUMNS,
    HISTORY_SHEET,
    HISTORY_WIDTHS,
    STATUS,
    STATUS_SHEET,
    XLSX_CONTENT_TYPE,
    is_formula_like,
)
from .scope import COMMISSION, meeting_place_and_dates, spooled_response, status_labels

# The status table's columns: (key, header, width in characters). Widths add up to what a
# landscape A4 page holds; the page is also fitted to one page wide.
TABLE_COLUMNS = [
    ("title", _("Tasks"), 48),
    ("narrative", _("Progress status"), 64),
    ("articles", _("Relevant articles"), 16),
    ("lead", _("Lead group"), 10),
    ("status", _("Status"), 15),
]
OPTIONAL_COLUMNS = {"lead", "status"}  # what ``hide`` may leave out

PAPER_A4 = 9  # the paperSize code of A4 in SpreadsheetML
LINE_HEIGHT = 15  # points: a line of the default font (Calibri 11)

HEADING, TITLE, HEADER, CELL = "Roadmap heading", "Roadmap title", "Roadmap header", "Roadmap cell"


def _named_styles():
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(wrap_text=True, vertical="top")
    return [
        NamedStyle(HEADING, font=Font(bold=True, size=12)),
        NamedStyle(TITLE, font=Font(bold=True, size=14)),
        NamedStyle(
            HEADER,
            font=Font(bold=True, italic=True),
            alignment=top,
            border=box,
            fill=PatternFill("solid", fgColor="E9EEF5"),
        ),
        NamedStyle(CELL, alignment=top, border=box),
    ]


def _as_text(cell):
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def text_value(sheet, value):
    """Return ``value`` for an unstyled cell: itself, or a cell forcing it to stay text."""
    if value and is_formula_like(value):
        return _as_text(WriteOnlyCell(sheet, value))
    return value or None


def styled_cell(sheet, value, style):
    cell = WriteOnlyCell(sheet, value or None)
    cell.style = style
    if value and isinstance(value, str) and is_formula_like(value):
        _as_text(cell)
    return cell


def row_height(texts, widths):
    """Return the height in points that shows every line of wrapped ``texts`` in columns of ``widths``.

    Spreadsheets do not size rows to wrapped text when they open a file (LibreOffice does not,
    Excel not always), so the height is written, from a generous estimate: a column is taken
    to hold 1.15 characters per unit of width (the unit is a digit's width; text runs narrower).
    """
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        if text:
            per_line = int(width * 1.15)
            lines = max(lines, sum(len(part) // per_line + 1 for part in text.split("\n")))
    return lines * LINE_HEIGHT + 2


def _set_widths(sheet, widths):
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _heading(scope):
    """Return the heading block's lines above the table, as (text, style)."""
    lines = [(str(COMMISSION), HEADING)]
    if scope.meeting:
        lines.append((shown_text(scope.meeting, "title"), HEADING))
        place = meeting_place_and_dates(scope.meeting)
        if place:
            lines.append((place, None))
    lines += [(scope.title, TITLE), (scope.status_line, None), (scope.description, None)]
    return lines


def _set_up_status_sheet(sheet, columns, header_row):
    _set_widths(sheet, [width for _key, _header, width in columns])  # before any row: they come first in the file
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    sheet.print_options.gridLines = False
    sheet.oddFooter.center.text = gettext("Page &P of &N")
    sheet.oddFooter.center.size = 9


def _new_workbook(scope):
    workbook = Workbook(write_only=True)
    workbook.properties.title = scope.title
    workbook.properties.creator = str(COMMISSION)
    for style in _named_styles():
        workbook.add_named_style(style)
    return workbook


def _table_cells(row, labels, cited):
    """Return the status table's cells of a row, by column key."""
    articles = cited.get(row.articles)
    if articles is None:
        articles = cited[row.articles] = row.articles_label
    return {
        "title": row.shown_title or row.title,
        "narrative": row.shown_narrative or row.narrative or gettext("No progress reported yet."),
        "articles": articles,
        "lead": row.lead_group,
        "status": labels.get(row.status, gettext("No update yet")),
    }


def _data_cells(sheet, row, english):
    """Return a row of the Data sheet: typed values, in ``DATA_COLUMNS`` order."""
    return [
        row.id,
        row.position,
        text_value(sheet, row.title),
        text_value(sheet, row.lead_group),
        row.article_numbers or None,
        english.get(row.status),
        text_value(sheet, row.narrative),
        row.reported_on,
        text_value(sheet, row.meeting),
    ]


def _start_sheet(workbook, name, headers, widths):
    sheet = workbook.create_sheet(name)
    _set_widths(sheet, widths)
    sheet.freeze_panes = "A2"
    sheet.append([styled_cell(sheet, header, HEADER) for header in headers])
    return sheet


def _close_sheet(sheet, columns, count):
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{count + 1}"


class StatusTableSheet:
    """The "Status table" sheet: the heading block, then a row per task, laid out for print."""

    def __init__(self, workbook, scope, hide):
        self.columns = [column for column in TABLE_COLUMNS if column[0] not in set(hide) & OPTIONAL_COLUMNS]
        self.keys = [key for key, _header, _width in self.columns]
        self.widths = [width for _key, _header, width in self.columns]
        heading = _heading(scope)
        self.header_row = len(heading) + 2
        self.sheet = sheet = workbook.create_sheet(STATUS_SHEET)
        _set_up_status_sheet(sheet, self.columns, self.header_row)
        for text, style in heading:
            sheet.append([styled_cell(sheet, text, style) if style else text_value(sheet, text)])
        sheet.append([])
        headers = [str(header) for _key, header, _width in self.columns]
        sheet.row_dimensions[self.header_row].height = row_height(headers, self.widths)
        sheet.append([styled_cell(sheet, header, HEADER) for header in headers])
        self.count = 0

    def append(self, cells):
        self.count += 1
        texts = [cells[key] for key in self.keys]
        line = self.header_row + self.count
        self.sheet.row_dimensions[line].height = row_height(texts, self.widths)
        self.sheet.append([styled_cell(self.sheet, text, CELL) for text in texts])
        del self.sheet.row_dimensions[line]  # written: keep no per-row state


def _write_history(workbook, scope, english):
    sheet = _start_sheet(workbook, HISTORY_SHEET, HISTORY_COLUMNS, HISTORY_WIDTHS)
    count = 0
    append, status = sheet.append, english.get  # the hot loop of a large export: a row per update
    for task_id, position, reported_on, meeting, key, narrative, recorded_at in scope.history():
        count += 1
        meeting, narrative = text_value(sheet, meeting), text_value(sheet, narrative)
        append([task_id, position, reported_on, meeting, status(key), narrative, recorded_at])
    _close_sheet(sheet, len(HISTORY_COLUMNS), count)


def write_xlsx(scope, out, *, hide=(), history=False):
    """Write the scope's workbook to the file object ``out``."""
    workbook = _new_workbook(scope)
    table = StatusTableSheet(workbook, scope, hide)
    data = _start_sheet(workbook, DATA_SHEET, DATA_COLUMNS, DATA_WIDTHS)
    labels = status_labels()
    english = status_labels("en")  # the "Data" sheet's statuses, read back by the importer
    cited = {}
    for row in scope.rows():
        table.append(_table_cells(row, labels, cited))
        data.append(_data_cells(data, row, english))
    _close_sheet(data, len(DATA_COLUMNS), table.count)
    if history:
        _write_history(workbook, scope, english)
    workbook.save(out)


def write_import_template(scope, out):
    """Write the Data sheet of ``scope``'s tasks with status, progress and dates blank: the import's template."""
    workbook = _new_workbook(scope)
    data = _start_sheet(workbook, DATA_SHEET, DATA_COLUMNS, DATA_WIDTHS)
    blank = {DATA_COLUMNS.index(name) for name in (STATUS, "Progress status", "Last update", "Meeting")}
    count = 0
    for row in scope.rows():
        count += 1
        data.append([None if index in blank else cell for index, cell in enumerate(_data_cells(data, row, {}))])
    status_column = get_column_letter(DATA_COLUMNS.index(STATUS) + 1)
    validation = DataValidation(type="list", formula1='"{}"'.format(",".join(status_labels("en").values())))
    validation.allow_blank = True
    validation.add(f"{status_column}2:{status_column}{max(count + 1, 2)}")
    data.data_validations.append(validation)
    _close_sheet(data, len(DATA_COLUMNS), count)
    workbook.save(out)


def xlsx_response(scope, options=None):
    """Return the scope's workbook as a download; ``options`` are the ExportOptionsForm's (hide, history)."""
    options = options or {}
    return spooled_response(
        lambda out: write_xlsx(scope, out, hide=options.get("hide", ()), history=options.get("history", False)),
        filename=scope.filename("xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
