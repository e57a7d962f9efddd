"""The contract of the files: sheet names, the Data sheet's columns, the text guard, the content types.

The "Data" sheet is the one the secretariat edits and imports back: the importer reads it by
these headers, so they stay in English whatever the language of the rest of the file. The
exporter writes it, the import template is the same sheet with the statuses left blank, and
the importer reads it: all three from the definitions here.
"""

import re

from openpyxl.cell.cell import ERROR_CODES

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

STATUS_SHEET, DATA_SHEET, HISTORY_SHEET = "Status table", "Data", "History"

TASK_ID, STATUS, NARRATIVE = "Task ID", "Status", "Progress status"

# (header, width in characters) of each column, in order.
DATA_LAYOUT = (
    (TASK_ID, 9),
    ("Position", 9),
    ("Task", 60),
    ("Lead group", 11),
    ("Relevant articles", 16),
    (STATUS, 16),
    (NARRATIVE, 80),
    ("Last update", 12),
    ("Meeting", 14),
)
HISTORY_LAYOUT = (
    (TASK_ID, 9),
    ("Position", 9),
    ("Reported on", 12),
    ("Meeting", 14),
    (STATUS, 16),
    (NARRATIVE, 80),
    ("Recorded at", 18),
)
DATA_COLUMNS = tuple(header for header, _width in DATA_LAYOUT)
DATA_WIDTHS = tuple(width for _header, width in DATA_LAYOUT)
HISTORY_COLUMNS = tuple(header for header, _width in HISTORY_LAYOUT)
HISTORY_WIDTHS = tuple(width for _header, width in HISTORY_LAYOUT)

# What XML 1.0, so Excel and Word, cannot hold: the C0 controls but tab, newline and
# carriage return; lone surrogates; U+FFFE and U+FFFF. Removed from every exported text.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# What makes a spreadsheet read a text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(value):
    """Return ``value`` without the characters a spreadsheet or document cannot hold."""
    return XML_ILLEGAL.sub("", value) if value else value


def is_formula_like(value):
    """Tell whether a spreadsheet would read ``value`` as a formula or an error, not as text."""
    return value.startswith(FORMULA_TRIGGERS) or value in ERROR_CODES
