"""Column headers the exported files promise to keep, in order.

The "Data" sheet is the one the secretariat edits and imports back: an importer reads it by
these headers, so they stay in English whatever the language of the rest of the file.
"""

DATA_COLUMNS = (
    "Task ID",
    "Position",
    "Task",
    "Lead group",
    "Relevant articles",
    "Status",
    "Progress status",
    "Last update",
    "Meeting",
)

HISTORY_COLUMNS = (
    "Task ID",
    "Position",
    "Reported on",
    "Meeting",
    "Status",
    "Progress status",
    "Recorded at",
)
