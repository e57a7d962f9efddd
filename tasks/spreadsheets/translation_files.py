"""The files translators work in: the texts to translate into one language, as XLIFF 1.2 or xlsx.

Both hold, per unit (a field of a record, ``translations.units``), its id, the English and
the translation, and come back through the same reader: ``read_translation_file`` refuses a
file whole (damaged, not XLIFF or xlsx, another language, too big) with a message, and
otherwise returns its units as they were filled in. ``check_translations`` then says, unit by
unit, what an import would do. Nothing here writes to the database.
"""

import warnings
from dataclasses import asdict, dataclass, field

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from translate.storage import xliff

from translations.fields import target_languages, translation_field
from translations.states import State, record_state
from translations.units import MAX_UNITS, parse_unit_id, record_label

from ..text import normalise_text
from .layout import XLSX_CONTENT_TYPE, is_formula_like, xml_safe
from .progress_import import ZIP_SIGNATURES, ImportFileError, cell_text, check_package

XLIFF_CONTENT_TYPE = "application/x-xliff+xml"
XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
ORIGINAL = "roadmap"  # the <file original="..."> of every XLIFF the tracker writes

SHEET = "Translations"
UNIT_ID, RECORD, FIELD, ENGLISH, TRANSLATION, STATE, LANGUAGE = (
    "Unit ID",
    "Record",
    "Field",
    "English",
    "Translation",
    "State",
    "Language",
)
COLUMNS = ((UNIT_ID, 22), (RECORD, 40), (FIELD, 16), (ENGLISH, 70), (TRANSLATION, 70), (STATE, 12), (LANGUAGE, 9))
REQUIRED = (UNIT_ID, ENGLISH, TRANSLATION, LANGUAGE)

UPDATE, UNCHANGED, REFUSED, ERROR = "update", "unchanged", "refused", "error"


class Xliff12Unit(xliff.xliffunit):
    namespace = XLIFF_12


class Xliff12File(xliff.xlifffile):
    """translate-toolkit's XLIFF store, written as version 1.2 (it writes 1.1 by default)."""

    UnitClass = Xliff12Unit
    namespace = XLIFF_12
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")


def write_xliff(units, language, out):
    """Write ``units`` as an XLIFF 1.2 file for translation from English into ``language``."""
    store = Xliff12File(sourcelanguage="en", targetlanguage=language)
    store.createfilenode(ORIGINAL, sourcelanguage="en", targetlanguage=language)
    for unit in units:
        entry = store.addsourceunit(xml_safe(unit.english), filename=ORIGINAL)
        entry.setid(unit.id)
        if unit.translation:
            entry.target = xml_safe(unit.translation)
            if unit.state == State.OUTDATED:
                entry.markfuzzy()  # state="needs-translation": the English changed since
        entry.addnote(f"{unit.record} — {unit.label}", origin="developer")
        if unit.max_length:
            entry.xmlelement.set("maxwidth", str(unit.max_length))
            entry.xmlelement.set("size-unit", "char")
    out.write(bytes(store))


def _text_cell(sheet, value, wrap=False):
    cell = WriteOnlyCell(sheet, value=xml_safe(value) or None)
    if value and is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def write_translation_xlsx(units, language, out):
    """Write ``units`` as a workbook: one row per unit, the Translation column to fill in."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    for index, (_header, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for unit in units:
        sheet.append(
            [
                _text_cell(sheet, unit.id),
                _text_cell(sheet, unit.record, wrap=True),
                _text_cell(sheet, unit.label),
                _text_cell(sheet, unit.english, wrap=True),
                _text_cell(sheet, unit.translation, wrap=True),
                _text_cell(sheet, unit.state.value),
                _text_cell(sheet, language),
            ]
        )
    workbook.save(out)


def max_bytes():
    return settings.ROADMAP_IMPORT_MAX_BYTES


def read_translation_file(upload, language):
    """Return [(number, unit id, English in the file, translation)] of an XLIFF or xlsx file, or refuse it whole."""
    check_size(upload)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(ZIP_SIGNATURES):
        check_package(upload, max_bytes())
        rows = _read_sheet(upload, language)
    else:
        rows = _read_xliff(upload.read(), language)
    if not rows:
        raise ImportFileError(_("The file holds no text to import."))
    if len(rows) > MAX_UNITS:
        raise ImportFileError(_("The file holds more than %(limit)s texts.") % {"limit": MAX_UNITS})
    return rows


def check_size(upload):
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    if size == 0:
        raise ImportFileError(_("The file is empty."))
    if size > max_bytes():
        raise ImportFileError(_("The file is larger than the import takes."))


def _read_xliff(data, language):
    if b"<!DOCTYPE" in data[:2048].upper() or b"<!ENTITY" in data.upper():
        raise ImportFileError(_("The file declares a document type or entities; an XLIFF file has none."))
    try:
        store = xliff.xlifffile.parsestring(data)
    except (etree.XMLSyntaxError, ValueError, AssertionError, StopIteration, TypeError) as error:
        raise ImportFileError(_("The file is neither an XLIFF 1.2 file nor an Excel workbook (.xlsx).")) from error
    target = (store.gettargetlanguage() or "").lower()
    if target != language:
        raise ImportFileError(
            _('The file is a translation into "%(found)s", not into "%(expected)s".')
            % {"found": target or "?", "expected": language}
        )
    rows = []
    for number, unit in enumerate(store.getunits(), start=1):
        target_text = unit.target if unit.target is not None else ""
        rows.append((number, unit.xmlelement.get("id", ""), str(unit.source or ""), str(target_text)))
    return rows


def _open_sheet(upload):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a broken package
        raise ImportFileError(_("The workbook is damaged: it cannot be opened as an .xlsx file.")) from error
    if SHEET not in workbook.sheetnames:
        workbook.close()
        raise ImportFileError(_('The workbook has no sheet named "%(sheet)s".') % {"sheet": SHEET})
    return workbook, workbook[SHEET]


def _positions(header):
    found = {cell_text(value).strip(): index for index, value in enumerate(header or ())}
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise ImportFileError(
            _('The "%(sheet)s" sheet has no column %(missing)s.')
            % {"sheet": SHEET, "missing": ", ".join(f'"{name}"' for name in missing)}
        )
    return [found[name] for name in REQUIRED]


def _read_sheet(upload, language):
    workbook, sheet = _open_sheet(upload)
    try:
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True, max_col=20)
        positions = _positions(next(rows, None))
        read = []
        for number, values in enumerate(rows, start=2):
            values = tuple(values) + (None,) * 20
            unit, english, text, code = (cell_text(values[index]) for index in positions)
            if not unit.strip() and not text.strip():
                continue
            if code.strip().lower() != language:
                raise ImportFileError(
                    _('Row %(row)s is a translation into "%(found)s", not into "%(expected)s".')
                    % {"row": number, "found": code.strip() or "?", "expected": language}
                )
            read.append((number, unit.strip(), english, text))
            if len(read) > MAX_UNITS:
                break
        return read
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(_("The workbook is damaged: its sheet cannot be read.")) from error
    finally:
        workbook.close()


@dataclass
class TranslationRow:
    """A unit of the file, checked: what confirming the import would do with it."""

    number: int
    unit: str
    record: str = ""
    english: str = ""  # today's English
    translation: str = ""  # the file's, cleaned as typed text is stored
    previous: str = ""  # the translation stored today
    action: str = ERROR
    errors: list[str] = field(default_factory=list)

    def to_session(self):
        return asdict(self)

    @classmethod
    def from_session(cls, data):
        return cls(**data)


def _load_records(rows):
    """Return {(model, pk): record} for the units the rows name: one query per model."""
    wanted = {}
    for row in rows:
        parsed = parse_unit_id(row[1])
        if parsed:
            wanted.setdefault(parsed[0], set()).add(parsed[1])
    return {
        (model, obj.pk): obj
        for model, pks in wanted.items()
        for obj in model._base_manager.select_related().filter(pk__in=pks)
    }


def check_translations(rows, language, may_change):
    """Return a TranslationRow per unit of the file: update, unchanged, refused (English changed) or error."""
    if language not in target_languages():
        raise ImportFileError(_("Not a language the road map is translated into."))
    records = _load_records(rows)
    seen, checked = set(), []
    for number, unit, english, text in rows:
        row = TranslationRow(number, unit, translation=normalise_text(text))
        parsed = parse_unit_id(unit)
        obj = records.get(parsed[:2]) if parsed else None
        if obj is None:
            row.errors.append(_("No text of the road map has this id."))
        elif unit in seen:
            row.errors.append(_("This text is in the file twice."))
        else:
            _decide(row, obj, parsed[2], language, normalise_text(english), may_change)
        seen.add(unit)
        checked.append(row)
    return checked


def _decide(row, obj, name, language, english_in_file, may_change):
    row.record = record_label(obj)
    row.english = getattr(obj, name)
    row.previous = getattr(obj, translation_field(name, language))
    length = obj._meta.get_field(translation_field(name, language)).max_length
    if not row.translation or (row.translation == row.previous and record_state(obj, name, language) == State.CURRENT):
        row.action = UNCHANGED  # blank or as stored: nothing to write, whoever may write it
    elif not may_change(obj):
        row.errors.append(_("You may not change this record."))
    elif english_in_file != normalise_text(row.english):
        row.action = REFUSED
        row.errors.append(_("The English has changed since the file was exported: export the text again."))
    elif length and len(row.translation) > length:
        row.errors.append(
            _("The translation is %(length)s characters long; this field takes %(limit)s at most.")
            % {"length": len(row.translation), "limit": length}
        )
    else:
        row.action = UPDATE


def summarise(rows):
    counts = {UPDATE: 0, UNCHANGED: 0, REFUSED: 0, ERROR: 0}
    for row in rows:
        counts[row.action] += 1
    return counts


CONTENT_TYPES = {"xliff": XLIFF_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
