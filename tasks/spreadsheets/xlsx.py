"""The status table as an Excel workbook, written in openpyxl's write-only mode.

Three sheets: "Status table", laid out and set up for printing like the meeting document;
"Data", one typed row per task, the sheet an analyst sorts and the secretariat re-imports
(headers in ``columns.DATA_COLUMNS``); "History", every progress update, on request. Each
prints on A4 landscape, one page wide, its header row on every page.

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
    NARRATIVE,
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
# The columns of typed or imported text: guarded against formulas, wrapped when of several lines.
DATA_TEXTS = tuple(DATA_COLUMNS.index(name) for name in ("Task", "Lead group", NARRATIVE, "Meeting"))
HISTORY_TEXTS = tuple(HISTORY_COLUMNS.index(name) for name in ("Meeting", NARRATIVE))

PAPER_A4 = 9  # the paperSize code of A4 in SpreadsheetML
LINE_HEIGHT = 15  # points: a line of the default font (Calibri 11)
HEADER_PER_UNIT = 0.9  # the header row is bold italic: fewer characters to a unit of width

HEADING, TITLE, HEADER, CELL = "Roadmap heading", "Roadmap title", "Roadmap header", "Roadmap cell"
WRAPPED = "Roadmap wrapped"  # a multi-line text of the Data and History sheets


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
        NamedStyle(WRAPPED, alignment=top),  # a row of the Data or History sheet with a text of several lines
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


def top_aligned(sheet, value):
    """Return a cell of a row that wraps: top-aligned, wrapped, its value's number format kept."""
    if value is None:
        return None
    cell = styled_cell(sheet, value, WRAPPED) if isinstance(value, str) else WriteOnlyCell(sheet, value)
    if not isinstance(value, str):
        number_format = cell.number_format
        cell.style = WRAPPED
        cell.number_format = number_format
    return cell


def row_height(texts, widths, *, per_unit=1.15):
    """Return the height in points that shows every line of wrapped ``texts`` in columns of ``widths``.

    Spreadsheets do not size rows to wrapped text when they open a file (LibreOffice does not,
    Excel not always), so the height is written, from a generous estimate: lines are wrapped
    at spaces, as spreadsheets wrap them, a column taken to hold ``per_unit`` characters per
    unit of width (the unit is a digit's width; text runs narrower, bold text wider).
    """
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        if text:
            lines = max(lines, wrapped_lines(text, max(1, int(width * per_unit))))
    return lines * LINE_HEIGHT + 2


def wrapped_lines(text, per_line):
    """Return how many lines ``text`` takes when wrapped at spaces in lines of ``per_line`` characters."""
    count = 0
    for part in text.split("\n"):
        count += 1
        used = 0
        for word in part.split(" "):
            needed = len(word) if used == 0 else used + 1 + len(word)
            if needed <= per_line:
                used = needed
                continue
            if used:
                count += 1
            count += (len(word) - 1) // per_line  # a word longer than a line is broken
            used = len(word) % per_line or per_line
    return count


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
    _set_up_printing(sheet, header_row)


def _set_up_printing(sheet, header_row):
    """Print the sheet on A4 landscape, one page wide, its header row at the top of every page."""
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


def _data_cells(row, english):
    """Return a row of the Data sheet: typed values, in ``DATA_COLUMNS`` order."""
    return [
        row.id,
        row.position,
        row.title,
        row.lead_group,
        row.article_numbers or None,
        english.get(row.status),
        row.narrative,
        row.reported_on,
        row.meeting,
    ]


class PlainSheet:
    """A sheet of plain rows under a header row (Data, History), set up for printing.

    Its cells are unstyled, as fast to write as openpyxl allows, but for a text of several
    lines: that one wraps, top-aligned, its row as tall as the lines need, so that printed
    lines never run over the next row.
    """

    def __init__(self, workbook, name, headers, widths, *, texts):
        self.sheet = sheet = workbook.create_sheet(name)
        self.widths, self.texts = widths, texts  # ``texts``: the indexes of the text columns
        _set_widths(sheet, widths)
        _set_up_printing(sheet, 1)
        sheet.append([styled_cell(sheet, header, HEADER) for header in headers])
        self.count = 0

    def append(self, values):
        self.count += 1
        sheet = self.sheet
        lines = [values[index] if values[index] and "\n" in values[index] else None for index in self.texts]
        if not any(lines):
            for index in self.texts:
                values[index] = text_value(sheet, values[index])
            sheet.append(values)
            return
        texts = [None] * len(values)
        for index, text in zip(self.texts, lines, strict=True):
            texts[index] = text
        line = self.count + 1
        sheet.row_dimensions[line].height = row_height(texts, self.widths)
        sheet.append([top_aligned(sheet, value) for value in values])
        del sheet.row_dimensions[line]  # written: keep no per-row state

    def close(self):
        self.sheet.auto_filter.ref = f"A1:{get_column_letter(len(self.widths))}{self.count + 1}"


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
        sheet.row_dimensions[self.header_row].height = row_height(headers, self.widths, per_unit=HEADER_PER_UNIT)
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
    sheet = PlainSheet(workbook, HISTORY_SHEET, HISTORY_COLUMNS, HISTORY_WIDTHS, texts=HISTORY_TEXTS)
    append, status = sheet.append, english.get  # the hot loop of a large export: a row per update
    for task_id, position, reported_on, meeting, key, narrative, recorded_at in scope.history():
        append([task_id, position, reported_on, meeting, status(key), narrative, recorded_at])
    sheet.close()


def write_xlsx(scope, out, *, hide=(), history=False):
    """Write the scope's workbook to the file object ``out``."""
    workbook = _new_workbook(scope)
    table = StatusTableSheet(workbook, scope, hide)
    data = PlainSheet(workbook, DATA_SHEET, DATA_COLUMNS, DATA_WIDTHS, texts=DATA_TEXTS)
    labels = status_labels()
    english = status_labels("en")  # the "Data" sheet's statuses, read back by the importer
    cited = {}
    for row in scope.rows():
        table.append(_table_cells(row, labels, cited))
        data.append(_data_cells(row, english))
    data.close()
    if history:
        _write_history(workbook, scope, english)
    workbook.save(out)


def write_import_template(scope, out):
    """Write the Data sheet of ``scope``'s tasks with status, progress and dates blank: the import's template."""
    workbook = _new_workbook(scope)
    data = PlainSheet(workbook, DATA_SHEET, DATA_COLUMNS, DATA_WIDTHS, texts=DATA_TEXTS)
    blank = {DATA_COLUMNS.index(name) for name in (STATUS, "Progress status", "Last update", "Meeting")}
    for row in scope.rows():
        data.append([None if index in blank else cell for index, cell in enumerate(_data_cells(row, {}))])
    status_column = get_column_letter(DATA_COLUMNS.index(STATUS) + 1)
    validation = DataValidation(type="list", formula1='"{}"'.format(",".join(status_labels("en").values())))
    validation.allow_blank = True
    validation.add(f"{status_column}2:{status_column}{max(data.count + 1, 2)}")
    data.sheet.data_validations.append(validation)
    data.close()
    workbook.save(out)


def xlsx_response(scope, options=None):
    """Return the scope's workbook as a download; ``options`` are the ExportOptionsForm's (hide, history)."""
    options = options or {}
    return spooled_response(
        lambda out: write_xlsx(scope, out, hide=options.get("hide", ()), history=options.get("history", False)),
        filename=scope.filename("xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )
