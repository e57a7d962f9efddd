import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from tasks.models import Meeting
from tests.factories import ProgressUpdateFactory, TaskFactory
from tests.test_export_xlsx import SEED_ARTICLES, seed_table

pytestmark = pytest.mark.django_db

URL = reverse("tasks:export_docx")


def download(client, query=""):
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200, response.content
    return response, Document(io.BytesIO(b"".join(response.streaming_content)))


def texts(document):
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text]


def table_texts(document):
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def test_document_has_escap_layout_for_the_seed_meeting(client, seed):
    # The live export's lines come from the query (an issued edition keeps its own: tests/test_seed_edition.py).
    response, document = download(client, "meeting=5&distribution=participants&language=English+only&agenda_item=4")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="roadmap-status-iisg-2.docx"'
    assert texts(document)[:11] == [
        "United Nations",
        "Economic and Social Council",
        "Distr.: For participants only",
        "23 March 2016",
        "English only",
        "Economic and Social Commission for Asia and the Pacific",
        "Second Meeting of the Interim Intergovernmental Steering Group on Cross-border Paperless Trade Facilitation",
        "Bangkok, 23-25 March 2016",
        "Item 4 of the provisional agenda",
        "Update on progress status for tasks",
        "The table below gives the progress status of the tasks of the road map as at 25 March 2016, "
        "with the articles of the agreement each task implements.",
    ]


def test_document_table_holds_the_seed_rows(client, seed):
    _response, document = download(client, "meeting=5")

    rows = table_texts(document)
    assert rows[0] == ["Tasks", "Progress status", "Relevant articles"]
    assert len(rows) == 1 + 18
    assert [(task, progress) for task, progress, _articles in rows[1:]] == seed_table()
    assert [articles or None for _task, _progress, articles in rows[1:]] == SEED_ARTICLES
    assert rows[3] == [
        "A technical guide on:\n(1) How to develop or upgrade paperless trade systems consistently with the general "
        "principles\n(2) Facilitating concurrent implementation of national and cross-border paperless trade systems\n"
        "Annex: Different implementation options/mechanisms for paperless trade systems in an interoperable manner",
        "A background study has been completed. The Technical Working Group is in the process of collecting comments "
        "to develop the guides.",
        "Articles 7 and 14",
    ]
    assert rows[9] == [
        "Guide on how to establish an adequate legal liability framework",
        "The Task is to be cancelled in accordance with a decision to delete provision on legal liability framework.",
        "",
    ]
    assert [row[2] for row in rows[12:19]] == ["Article 14"] * 6 + ["Article 15"]


def test_document_table_header_repeats_on_every_page(client, seed):
    _response, document = download(client, "meeting=5")

    table = document.tables[0]
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
    assert all(run.italic for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)


def test_document_is_a4_with_page_numbers(client, seed):
    _response, document = download(client)

    section = document.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert section.footer.paragraphs[0]._p.find(qn("w:fldSimple")).get(qn("w:instr")) == "PAGE"


def test_query_overrides_the_meetings_lines(client, seed):
    query = "meeting=5&symbol=ESCAP/PTA/IISG(2)/CRP.1&distribution=general&language=Original:+English&agenda_item=5"

    _response, document = download(client, query)

    lines = texts(document)
    assert lines[0] == "United Nations\tESCAP/PTA/IISG(2)/CRP.1"
    assert lines[2:5] == ["Distr.: General", "23 March 2016", "Original: English"]
    assert "Item 5 of the provisional agenda" in lines


def test_lines_the_meeting_does_not_record_are_left_out(client, seed):
    _response, document = download(client, "date=2026-11-30")

    lines = texts(document)
    assert lines[:4] == [
        "United Nations",
        "Economic and Social Council",
        "30 November 2026",
        "Economic and Social Commission for Asia and the Pacific",
    ]
    assert not any(line.startswith(("Distr.", "Item ")) for line in lines)


def test_document_keeps_filters(client, seed):
    _response, document = download(client, "meeting=5&group=lwg")

    rows = table_texts(document)
    assert len(rows) == 1 + 5
    assert "Update on progress status for tasks of the Legal Working Group" in texts(document)
    assert any("Filters: Working group: LWG; As at meeting: IISG-2." in line for line in texts(document))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("symbol=" + "E/" * 31, "symbol: Ensure this value has at most 60 characters (it has 62)."),
        ("distribution=restricted", "distribution: Select a valid choice. restricted is not one of the available"),
        ("agenda_item=" + "9" * 21, "agenda_item: Ensure this value has at most 20 characters (it has 21)."),
        ("language=" + "x" * 41, "language: Ensure this value has at most 40 characters"),
        ("date=23+March+2016", "date: Enter a valid date."),
    ],
)
def test_invalid_document_line_is_refused_with_a_reason(client, seed, query, message):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert message in response.content.decode()


def test_control_characters_are_removed_from_the_document(client, db):
    task = TaskFactory(position=1, title="Bell\x07 task\x1b")
    ProgressUpdateFactory(task=task, narrative="Tab\tand\x0cform feed")

    _response, document = download(client, "symbol=E/\x00\x01ESCAP")  # dropped from the query string

    assert table_texts(document)[1][:2] == ["Bell task", "Tab\tandform feed"]
    assert texts(document)[0] == "United Nations\tE/ESCAP"


def test_undated_meeting_gives_the_latest_table(client, seed):
    undated = Meeting.objects.get(short_title="LTWG-3")

    _response, document = download(client, f"meeting={undated.pk}")

    assert len(table_texts(document)) == 1 + 18
    today = timezone.localdate()
    assert texts(document)[2] == f"{today.day} {today:%B %Y}"
