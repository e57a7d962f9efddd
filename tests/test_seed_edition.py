"""The seed's table is an issued edition of the Second Meeting of the IISG, with the seed document's own lines."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from editions.models import Edition, State, Step
from tests.test_export_xlsx import SEED_ARTICLES, seed_table

pytestmark = pytest.mark.django_db

INTRODUCTION = (
    "The Technical Working Group during the third meeting of the Legal and Technical Working Group made progress "
    "in delivering its tasks and updated progress status in the table in Section III of the document titled "
    "Preparation of a draft road map for the implementation of substantive provisions in the draft text of the "
    "regional arrangement for the facilitation of cross-border paperless trade (E/ESCAP/PTA/IISG(2)/3), as appears "
    "below:"
)
AGENDA_TITLE = (
    "Preparation of a draft road map for the implementation of substantive provisions in the draft text of the "
    "regional arrangement"
)


@pytest.fixture
def edition(seed):
    return Edition.objects.select_related("meeting").get()


def test_the_seed_edition_has_the_seed_document_s_lines(edition):
    assert edition.state == State.ISSUED
    assert edition.meeting.short_title == "IISG-2"
    assert edition.title == "Update on progress status for tasks of the Technical Working Group"
    assert (edition.distribution, edition.language_line, edition.agenda_item) == ("participants", "English only", "4")
    assert edition.agenda_title == AGENDA_TITLE
    assert edition.document_date.isoformat() == "2016-03-23"
    assert edition.introduction == INTRODUCTION
    assert edition.symbol == ""  # not in the seed
    assert edition.group is None  # the table holds both groups' tasks
    assert list(edition.steps.values_list("kind", flat=True)) == [Step.Kind.ISSUED]


def test_the_seed_edition_freezes_the_seed_table(edition):
    rows = list(edition.rows.order_by("position"))
    assert [(row.title, row.narrative) for row in rows] == seed_table()
    assert [row.articles_label or None for row in rows] == SEED_ARTICLES


def test_the_seed_edition_s_word_file_reads_as_the_seed_document(client, edition):
    response = client.get(reverse("editions:file", args=[edition.pk, "docx"]))
    document = Document(io.BytesIO(response.content))
    lines = [paragraph.text for paragraph in document.paragraphs if paragraph.text]
    assert lines[:12] == [
        "United Nations",
        "Economic and Social Council",
        "Distr.: For participants only",
        "23 March 2016",
        "English only",
        "Economic and Social Commission for Asia and the Pacific",
        "Second Meeting of the Interim Intergovernmental Steering Group on Cross-border Paperless Trade Facilitation",
        "Bangkok, 23-25 March 2016",
        "Item 4 of the provisional agenda",
        AGENDA_TITLE,
        "Update on progress status for tasks of the Technical Working Group",
        INTRODUCTION,
    ]
    table = document.tables[0]
    assert [[cell.text for cell in row.cells][:2] for row in table.rows[1:]] == [list(pair) for pair in seed_table()]


def test_the_seed_edition_s_workbook_holds_the_seed_rows(client, edition):
    response = client.get(reverse("editions:file", args=[edition.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    data = list(workbook["Data"].iter_rows(min_row=2, values_only=True))
    assert [(row[2], row[6]) for row in data] == seed_table()
    assert workbook["Status table"]["A4"].value == "Update on progress status for tasks of the Technical Working Group"
