"""A comparison of two tables as a workbook: the "Changes" sheet, a row per task that changed."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from tasks.spreadsheets.layout import xml_safe
from tasks.spreadsheets.scope import COMMISSION
from tasks.spreadsheets.xlsx import text_value

from .selectors import LIVE, every_change

CHANGES_SHEET = "Changes"
COLUMNS = (
    ("Task ID", 9),
    ("Position", 9),
    ("Task", 50),
    ("Change", 18),
    ("Status before", 16),
    ("Status after", 16),
    ("Progress status before", 60),
    ("Progress status after", 60),
)


def _kind(change):
    if change.added:
        return _("Added")
    if change.removed:
        return _("Removed")
    kinds = []
    if change.status_changed:
        kinds.append(_("Status"))
    if change.narrative_changed:
        kinds.append(_("Narrative"))
    return ", ".join(kinds)


def _name(side):
    return _("today's table") if side.label == LIVE else side.label


def write_changes(old, new, out):
    """Write the workbook of what changed from side ``old`` to side ``new`` to ``out``."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = str(COMMISSION)
    sheet = workbook.create_sheet(CHANGES_SHEET)
    for index, (_header, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A3"
    sheet.append(
        [text_value(sheet, xml_safe(_("Changes from %(old)s to %(new)s") % {"old": _name(old), "new": _name(new)}))]
    )
    sheet.append([header for header, _width in COLUMNS])
    count = 0
    for change in every_change(old, new):
        count += 1
        sheet.append(
            [
                change.task_id,
                change.position,
                text_value(sheet, xml_safe(change.title)),
                _kind(change),
                str(change.status_label_old),
                str(change.status_label_new),
                text_value(sheet, xml_safe(change.old_narrative)),
                text_value(sheet, xml_safe(change.new_narrative)),
            ]
        )
    sheet.auto_filter.ref = f"A2:H{count + 2}"
    workbook.save(out)
