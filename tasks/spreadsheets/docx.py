"""The status table as a Word document in the layout of an ESCAP meeting document.

Top to bottom: "United Nations" with the document symbol at the right, "Economic and Social
Council", the distribution line, the date and the language line; the Commission, the
meeting, its place and dates, the agenda item; the title, an introductory sentence; then
the table "Tasks | Progress status | Relevant articles", its header row repeated on every
page, no row split across two pages. A line the query (or the issued edition) does not give is left out.
"""

import copy
import io
import itertools
import logging
import re
import zipfile
from dataclasses import dataclass

from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from translations.states import shown_text

from ..models import Meeting
from .layout import DOCX_CONTENT_TYPE, xml_safe
from .scope import COMMISSION, meeting_place_and_dates

logger = logging.getLogger(__name__)

PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)  # A4 portrait
MARGIN = Cm(2.5)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
COLUMN_WIDTHS = (Cm(5.3), Cm(7.9), Cm(2.8))  # Tasks, Progress status, Relevant articles: 16 cm
DOCUMENT_PART = "word/document.xml"
RIGHT_BLOCK = Cm(10.5)  # where the distribution lines start, as on the Council's documents


@dataclass
class DocumentLines:
    """The lines at the top of the document: from the query, or from an issued edition."""

    symbol: str = ""
    distribution: str = ""  # the full line, "Distr.: General"
    date: str = ""
    language: str = ""
    agenda_item: str = ""
    agenda_title: str = ""  # the agenda item's title, under "Item N of the provisional agenda"
    introduction: str = ""  # the paragraph above the table; a sentence naming the date when blank

    @classmethod
    def for_scope(cls, scope, options):
        """Take each line from the query's ``options``; the date defaults to the meeting's first day, or today."""
        meeting = scope.meeting
        distribution = options.get("distribution")
        day = options.get("date") or (meeting.start_date if meeting and meeting.start_date else scope.as_at)
        return cls(
            symbol=options.get("symbol") or "",
            distribution=(
                gettext("Distr.: %(distribution)s") % {"distribution": Meeting.Distribution(distribution).label}
                if distribution
                else ""
            ),
            date=date_format(day, "DATE_FORMAT"),
            language=options.get("language") or "",
            agenda_item=options.get("agenda_item") or "",
        )


def _paragraph(document, text="", *, bold=False, italic=False, size=None, indent=None, after=None):
    paragraph = document.add_paragraph()
    if text:
        run = paragraph.add_run(xml_safe(str(text)))  # XML takes no control characters
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
    if indent is not None:
        paragraph.paragraph_format.left_indent = indent
    if after is not None:
        paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def _rule_below(paragraph):
    """Draw the thin rule under the masthead."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def repeat_as_header(row):
    """Mark a table row to repeat at the top of every page (``w:tblHeader``)."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)  # after w:cantSplit, as the schema orders them


def keep_together(row):
    """Keep a table row on one page (``w:cantSplit``): a narrative never continues without its task."""
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(keep)


def _page_number_footer(section):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _set_up_page(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = Cm(2)
    _page_number_footer(section)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(0)


def _masthead(document, scope, lines):
    top = _paragraph(document, gettext("United Nations"), bold=True, size=14)
    if lines.symbol:
        top.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        top.add_run("\t" + lines.symbol).font.size = Pt(10)
    _rule_below(_paragraph(document, gettext("Economic and Social Council"), bold=True, size=12, after=6))
    if lines.distribution:
        _paragraph(document, lines.distribution, indent=RIGHT_BLOCK)
    _paragraph(document, lines.date, indent=RIGHT_BLOCK)
    if lines.language:
        _paragraph(document, indent=RIGHT_BLOCK)
        _paragraph(document, lines.language, indent=RIGHT_BLOCK)
    _paragraph(document)
    _paragraph(document, str(COMMISSION), bold=True, size=12, after=6)
    if scope.meeting:
        _paragraph(document, shown_text(scope.meeting, "title"), after=6)
        place = meeting_place_and_dates(scope.meeting)
        if place:
            _paragraph(document, place, after=6)
    if lines.agenda_item:
        _paragraph(document, gettext("Item %(item)s of the provisional agenda") % {"item": lines.agenda_item}, after=6)
    if lines.agenda_title:
        _paragraph(document, lines.agenda_title, bold=True, after=6)
    _paragraph(document)
    _paragraph(document, scope.title, bold=True, size=12, after=12)


def _introduction(scope):
    sentence = gettext(
        "The table below gives the progress status of the tasks of the road map as at %(date)s, "
        "with the articles of the agreement each task implements."
    ) % {"date": date_format(scope.as_at, "DATE_FORMAT")}
    return f"{sentence} {scope.description}" if scope.narrowed else sentence


def _table(document):
    """Add the table with its header row; the task rows are streamed in by ``docx_blocks``."""
    headers = (gettext("Tasks"), gettext("Progress status"), gettext("Relevant articles"))
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_WIDTHS, strict=True):
        column.width = width  # new rows take their cells' widths from the grid
    header = table.rows[0]
    keep_together(header)
    repeat_as_header(header)
    for cell, text, width in zip(header.cells, headers, COLUMN_WIDTHS, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run(text).italic = True
    return table


def add_task_row(table, row, no_progress):
    """Append a task's row to the table, as python-docx writes it; return its ``w:tr`` element.

    The writer copies rows instead (``task_rows``); this is the reference the tests compare it with.
    """
    line = table.add_row()
    keep_together(line)
    title, narrative, articles = line.cells
    title.text = row.shown_title or row.title  # rows made elsewhere may carry the English alone
    narrative.text = row.shown_narrative or row.narrative or no_progress
    articles.text = row.articles_label
    return title._tc.getparent()


def document_template(scope, lines):
    """Return the document with everything but the task rows: the template the rows are streamed into."""
    document = Document()
    document.core_properties.title = scope.title
    document.core_properties.author = str(COMMISSION)
    _set_up_page(document)
    _masthead(document, scope, lines)
    _paragraph(document, lines.introduction or _introduction(scope), after=12)
    _table(document)
    return document


STREAM_EVERY = 200  # rows written between two blocks handed to the server
W_R, W_T, W_TAB, W_BR = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br")
XML_SPACE = qn("xml:space")
_TABS_AND_BREAKS = re.compile(r"([\t\r\n])")


class _Blocks(io.RawIOBase):
    """A write-only file whose bytes are taken out in blocks (``take``) as the package is written.

    It cannot seek, so ``zipfile`` writes each part's sizes after its data (a data descriptor),
    as any streamed zip does: nothing has to be written again once it has been sent.
    """

    def __init__(self):
        super().__init__()
        self._blocks = []

    def writable(self):
        return True

    def write(self, data):
        self._blocks.append(bytes(data))
        return len(data)

    def take(self):
        data = b"".join(self._blocks)
        self._blocks.clear()
        return data


def _append_text(run, text):
    """Give an empty ``w:r`` the text as python-docx's ``run.text = text`` does: tabs and line breaks as elements."""
    for piece in _TABS_AND_BREAKS.split(text):
        if piece == "\t":
            etree.SubElement(run, W_TAB)
        elif piece in ("\r", "\n"):
            etree.SubElement(run, W_BR)
        elif piece:
            t = etree.SubElement(run, W_T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(XML_SPACE, "preserve")


def task_rows(table, rows, no_progress):
    """Yield each task's ``w:tr``, detached: a copy of an empty row python-docx made, its three texts filled in.

    The same XML as ``add_task_row`` (a test compares the two), at a fraction of its cost:
    python-docx builds each element through its own parser, lxml copies a row in C.
    """
    pattern = table.add_row()
    keep_together(pattern)
    for cell in pattern.cells:
        cell.text = ""
    table._tbl.remove(pattern._tr)  # detached, it declares only the namespace it uses
    for row in rows:
        tr = copy.deepcopy(pattern._tr)
        texts = (row.shown_title or row.title, row.shown_narrative or row.narrative or no_progress, row.articles_label)
        for run, text in zip(tr.iter(W_R), texts, strict=True):
            _append_text(run, text)
        yield tr


def _stream_rows(xf, table, rows, blocks):
    """Write each task's row as soon as it is made, then drop it: the table never holds more than one."""
    for number, tr in enumerate(task_rows(table, rows, gettext("No progress reported yet.")), 1):
        xf.write(tr)
        if number % STREAM_EVERY == 0:
            xf.flush()
            yield blocks.take()


def _stream_document_xml(part, document, rows, blocks):
    """Write ``word/document.xml``: the template's elements as they are, the table's rows streamed."""
    root, body, table = document.element, document.element.body, document.tables[0]
    with etree.xmlfile(part, encoding="UTF-8") as xf:
        xf.write_declaration(standalone=True)
        with xf.element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap), xf.element(body.tag):
            for child in body:
                if child is not table._tbl:
                    xf.write(copy.deepcopy(child))  # a copy, out of the tree: no namespace declarations repeated
                    continue
                with xf.element(child.tag):
                    for element in list(child):  # tblPr, tblGrid, the header row
                        xf.write(copy.deepcopy(element))
                    yield from _stream_rows(xf, table, rows, blocks)


def docx_blocks(scope, *, lines):
    """Return an iterator over the bytes of the scope's document, its rows streamed from the database.

    python-docx makes the package (styles, settings, the masthead, the table's header) and the
    rows' query is started before this returns, so that what can fail early fails in the view
    (an error page, not a cut-off download). The iterator then copies the package part by part,
    ``word/document.xml`` written incrementally with lxml's ``etree.xmlfile`` and handed out every
    ``STREAM_EVERY`` rows, so neither memory nor the time to the first byte grows with the rows.
    The language active now is the document's, wherever the iterator is consumed.
    """
    document = document_template(scope, lines)
    package = io.BytesIO()
    document.save(package)
    language = translation.get_language()
    rows = iter(scope.rows())
    first = next(rows, None)
    rows = itertools.chain([first], rows) if first is not None else iter(())

    def blocks():
        out = _Blocks()
        with (
            translation.override(language),
            zipfile.ZipFile(package) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                if info.filename == DOCUMENT_PART:
                    with target.open(DOCUMENT_PART, "w") as part:
                        yield from _stream_document_xml(part, document, rows, out)
                else:
                    target.writestr(info, source.read(info))
                yield out.take()
        yield out.take()  # the zip's central directory

    def logged():
        try:
            yield from (block for block in blocks() if block)
        except Exception:
            # The status line has gone: the client sees a cut-off file, the log says why.
            logger.exception("The Word document %s failed after its first bytes were sent", scope.filename("docx"))
            raise

    return logged()


def write_docx(scope, out, *, lines):
    """Write the scope's document to the file object ``out`` (see ``docx_blocks``)."""
    for block in docx_blocks(scope, lines=lines):
        out.write(block)


def docx_response(scope, options=None):
    """Return the scope's document as a download; ``options`` (the ExportOptionsForm's) override the meeting's lines."""
    lines = DocumentLines.for_scope(scope, options or {})
    response = StreamingHttpResponse(docx_blocks(scope, lines=lines), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=scope.filename("docx"))
    return response
