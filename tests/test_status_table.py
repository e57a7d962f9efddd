"""The status table at /tasks/: filters, sorting, paging, editions, all as GET URLs."""

import datetime
import re

import pytest
from django.urls import reverse

from tasks.models import Meeting, Status
from tests.factories import ArticleFactory, MeetingFactory, ProgressUpdateFactory, TaskFactory
from tests.roadmaps import LONG_TITLE

pytestmark = pytest.mark.django_db

URL = reverse("tasks:list")


def positions(response):
    return [row.record.position for row in response.context["table"].page.object_list]


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def more_tasks(count):
    """Add ``count`` tasks after the small road map's seven, for paging."""
    for position in range(8, 8 + count):
        TaskFactory(position=position)


def test_table_shows_the_documents_columns_in_road_map_order(client, roadmap):
    response = get(client)
    html = response.content.decode()
    assert positions(response) == list(range(1, 8))
    headers = [" ".join(re.sub(r"<[^>]+>", " ", th).split()) for th in re.findall(r"<th[^>]*>(.*?)</th>", html, re.S)]
    assert [h.split(" (")[0].rstrip(" ↕▲▼") for h in headers] == [
        "No.",
        "Task",
        "Progress status",
        "Relevant articles",
        "Lead",
        "Status",
        "Last update",
    ]
    assert "Articles 7 and 14" in html
    assert "Workshops on benchmarking were held in three member States." in html
    assert "Workshops are planned with UNNExT." not in html  # the update before the latest
    assert "25 Mar 2016" in html and "24 Mar 2017" in html
    assert "7 tasks." in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"group": "lwg"}, [1, 6]),
        ({"status": "draft"}, [2]),
        ({"status": ["pending", "cancelled"]}, [4, 5]),
        ({"article": "13"}, [3]),
        ({"article": ["6", "9"]}, [1, 7]),
        ({"group": "twg", "status": "draft", "article": "14"}, [2]),
        ({"group": "twg", "status": "in_progress"}, []),
        ({"q": "pilot projects"}, [2]),
        ({"q": "benchmarking"}, [6]),  # in the latest narrative only
        ({"q": "UNNExT"}, []),  # in an earlier narrative only: search reads the update shown
        ({"q": "  LEGAL   readiness "}, [1]),
    ],
)
def test_filters(client, roadmap, params, expected):
    assert positions(get(client, **params)) == expected


def test_several_articles_of_one_task_do_not_duplicate_it(client, roadmap):
    assert positions(get(client, article=["7", "14"])) == [2, 4, 6, 7]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"group": "nope"}, "Working group", "Select a valid choice."),
        ({"status": "done"}, "Status", "Select a valid choice. done is not one of the available choices."),
        ({"article": "99"}, "Articles", "Select a valid choice. 99 is not one of the available choices."),
        ({"article": "abc"}, "Articles", "Select a valid choice. abc is not one of the available choices."),
        ({"article": "9223372036854775808"}, "Articles", "is not one of the available choices"),
        ({"article": "-1"}, "Articles", "Select a valid choice. -1 is not one of the available choices."),
        ({"meeting": "abc"}, "As at meeting", "Select a valid choice."),
        ({"meeting": "99999999999999999999999"}, "As at meeting", "Select a valid choice."),
        ({"q": "x" * 201}, "Search", "Ensure this value has at most 200 characters"),
        ({"per_page": "7"}, "Rows per page", "Select a valid choice."),
    ],
)
def test_invalid_filter_is_reported_and_the_others_still_apply(client, roadmap, params, field, message):
    response = get(client, group="lwg", **params) if "group" not in params else get(client, status="draft", **params)
    html = response.content.decode()
    assert "Some filters could not be applied and were left out" in html
    assert field in html and message in html
    expected = [2] if "group" in params else [1, 6]
    assert positions(response) == expected


def test_no_match_says_so(client, roadmap):
    html = get(client, q="no task has these words").content.decode()
    assert "No task matches these filters." in html
    assert "0 tasks" in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("status", [3, 1, 6, 2, 4, 5, 7]),  # not started first, then in reading order; no update last
        ("-status", [7, 5, 4, 2, 1, 6, 3]),  # ties stay in road map order
        ("-position", [7, 6, 5, 4, 3, 2, 1]),
        ("lead_group", [1, 6, 2, 3, 4, 7, 5]),  # by the groups' order; no lead group last
        ("title", [7, 6, 2, 4, 1, 5, 3]),  # "Agree ...", "Build ...", "Draft ...", "Introduce ...", ...
    ],
)
def test_sorting(client, roadmap, sort, expected):
    assert positions(get(client, sort=sort, per_page=100)) == expected


def test_sorting_by_last_update_puts_the_latest_last(client, roadmap):
    order = positions(get(client, sort="reported_on", per_page=100))
    assert [position for position in order if position != 7] == [1, 2, 3, 4, 5, 6]  # 7 has no update
    order = positions(get(client, sort="-reported_on", per_page=100))
    assert [position for position in order if position != 7] == [6, 1, 2, 3, 4, 5]


def test_sort_by_status_reads_from_not_started_to_cancelled(client, roadmap):
    response = get(client, sort="status", per_page=100)
    statuses = [row.record.entry.status for row in response.context["table"].page.object_list if row.record.entry]
    assert statuses == sorted(
        statuses,
        key=[
            Status.NOT_STARTED,
            Status.IN_PROGRESS,
            Status.DRAFT,
            Status.COMPLETED,
            Status.PENDING,
            Status.CANCELLED,
        ].index,
    )


def test_paging_and_page_size(client, roadmap):
    more_tasks(11)
    response = get(client, per_page=10)
    assert positions(response) == list(range(1, 11))
    assert 'href="?per_page=10&amp;page=2"' in response.content.decode()
    assert positions(get(client, per_page=10, page=2)) == list(range(11, 19))


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "-3"},
        {"page": "abc"},
        {"page": "99999999999999999999"},
        {"per_page": "-5"},
        {"per_page": "100000000"},
        {"per_page": "abc"},
        {"sort": "nonsense"},
        {"sort": "--status"},
        {"sort": "x" * 5000},
        {"sort": ["status", "title", "-position", "lead_group"]},
        {"group": ["lwg", "twg"]},
        {"q": "\u0000\u202e\U0001f600 漢字 ق"},
        {"q": "%' OR 1=1 --"},
        {"meeting": ["5", "abc"]},
        {"article": ["6"] * 300},
    ],
)
def test_odd_query_strings_never_fail(client, roadmap, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["table"].page.object_list is not None


def test_page_beyond_the_end_shows_the_last_page(client, roadmap):
    more_tasks(11)
    assert positions(get(client, per_page=10, page=7)) == list(range(11, 19))


def test_empty_result_with_a_page_number_does_not_fail(client, roadmap):
    response = get(client, q="nothing matches this", page=3)
    assert positions(response) == []


def test_htmx_request_gets_only_the_results(client, roadmap):
    response = client.get(URL, {"status": "pending"}, headers={"HX-Request": "true", "HX-Target": "results"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<nav" not in html.split('id="results"')[0]
    assert LONG_TITLE in html
    assert "<html" not in html


def test_full_page_has_a_form_that_works_without_javascript(client, roadmap):
    html = get(client).content.decode()
    assert '<form method="get" action="/tasks/"' in html
    assert 'type="submit"' in html
    assert 'hx-get="/tasks/"' in html and 'hx-push-url="true"' in html


def edition_data():
    """Two meetings: a task reported at both, one only at the second, one after both."""
    first = MeetingFactory(
        title="Working group one", start_date=datetime.date(2021, 3, 1), end_date=datetime.date(2021, 3, 3)
    )
    second = MeetingFactory(
        title="Working group two", start_date=datetime.date(2021, 9, 1), end_date=datetime.date(2021, 9, 2)
    )
    old_and_new = TaskFactory(position=1, title="Reported at both")
    ProgressUpdateFactory(task=old_and_new, meeting=first, reported_on=first.end_date, status=Status.NOT_STARTED)
    ProgressUpdateFactory(task=old_and_new, meeting=second, reported_on=second.end_date, status=Status.DRAFT)
    added = TaskFactory(position=2, title="Added at the second")
    ProgressUpdateFactory(task=added, meeting=second, reported_on=second.end_date, status=Status.IN_PROGRESS)
    later = TaskFactory(position=3, title="Added later")
    ProgressUpdateFactory(task=later, reported_on=datetime.date(2022, 1, 1), status=Status.COMPLETED)
    return first, second


def test_as_at_meeting_shows_that_editions_rows_and_statuses(client):
    first, second = edition_data()
    response = get(client, meeting=first.pk)
    rows = response.context["table"].page.object_list
    assert [(row.record.title, row.record.entry.status) for row in rows] == [("Reported at both", Status.NOT_STARTED)]
    assert "The table as it stood at the Working group one (3 March 2021)" in response.content.decode()
    rows = get(client, meeting=second.pk).context["table"].page.object_list
    assert [(r.record.position, r.record.entry.status) for r in rows] == [(1, Status.DRAFT), (2, Status.IN_PROGRESS)]
    assert positions(get(client, meeting=second.pk, status="draft")) == [1]
    assert positions(get(client)) == [1, 2, 3]


def test_meeting_choices_are_dated_meetings_only(client, roadmap):
    form = get(client).context["filter"].form
    choices = [str(label) for _, label in form.fields["meeting"].choices]
    assert "TM-1 — 25 Mar 2016" in choices and "TM-2 — 24 Mar 2017" in choices
    assert not any("TM-X" in c for c in choices)
    assert Meeting.objects.count() == 3 and len(choices) == 3  # 2 dated + "Latest (today)"


@pytest.mark.parametrize(
    "params", [{}, {"status": ["draft", "in_progress"], "article": "14"}, {"sort": "status"}, {"meeting": "first"}]
)
def test_table_costs_a_fixed_number_of_queries(client, roadmap, django_assert_max_num_queries, params):
    meeting = roadmap.first
    params = {key: meeting.pk if value == "first" else value for key, value in params.items()}
    with django_assert_max_num_queries(11) as small:  # with the change stamp (freshness)
        get(client, **params)
    article = roadmap.articles[14]
    for _ in range(60):
        task = TaskFactory(articles=[article, ArticleFactory()])
        ProgressUpdateFactory(task=task, meeting=meeting, reported_on=datetime.date(2016, 3, 23), status=Status.DRAFT)
        ProgressUpdateFactory(task=task, reported_on=datetime.date(2016, 3, 24), status=Status.IN_PROGRESS)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = get(client, per_page=100, **params)
    assert len(response.context["table"].page.object_list) > 7 or params
