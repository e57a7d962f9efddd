"""The status table at /tasks/: filters, sorting, paging, editions, all as GET URLs."""

import datetime
import re

import pytest
from django.urls import reverse

from tasks.models import Meeting, Status, Task
from tests.factories import ArticleFactory, MeetingFactory, ProgressUpdateFactory, TaskFactory

pytestmark = pytest.mark.django_db

URL = reverse("tasks:list")


def positions(response):
    return [row.record.position for row in response.context["table"].page.object_list]


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response


def test_table_shows_the_documents_columns_in_road_map_order(client, seed):
    response = get(client)
    html = response.content.decode()
    assert positions(response) == list(range(1, 19))
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
    assert "The Technical Working Group is in the process of improving the draft." in html
    assert "23 Mar 2016" in html
    assert "18 tasks." in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"group": "lwg"}, [2, 7, 8, 10, 17]),
        ({"status": "draft"}, [6, 11, 12]),
        ({"status": ["pending", "cancelled"]}, [9, 13]),
        ({"article": "13"}, [10, 11]),
        ({"article": ["6", "9"]}, [1, 2, 6]),
        ({"group": "twg", "status": "draft", "article": "14"}, [12]),
        ({"q": "UNNExT"}, [10]),
        ({"q": "pilot projects"}, [12, 14, 15, 16]),
        ({"q": "benchmarking"}, [16]),  # in the narrative only
        ({"q": "  LEGAL   readiness "}, [10]),
    ],
)
def test_filters(client, seed, params, expected):
    assert positions(get(client, **params)) == expected


def test_several_articles_of_one_task_do_not_duplicate_it(client, seed):
    assert positions(get(client, article=["7", "14"])) == [3, 12, 13, 14, 15, 16, 17]


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
def test_invalid_filter_is_reported_and_the_others_still_apply(client, seed, params, field, message):
    response = get(client, group="lwg", **params) if "group" not in params else get(client, status="draft", **params)
    html = response.content.decode()
    assert "Some filters could not be applied and were left out" in html
    assert field in html and message in html
    expected = [6, 11, 12] if "group" in params else [2, 7, 8, 10, 17]
    assert positions(response) == expected


def test_no_match_says_so(client, seed):
    html = get(client, q="no task has these words").content.decode()
    assert "No task matches these filters." in html
    assert "0 tasks" in html


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("status", 2, 9),  # not started first, cancelled last
        ("-status", 9, 17),
        ("title", 3, None),  # "A technical guide ..."; the whole order is checked below
        ("-position", 18, 1),
        ("lead_group", 2, 9),
        ("reported_on", 1, 18),
    ],
)
def test_sorting(client, seed, sort, first, last):
    order = positions(get(client, sort=sort, per_page=100))
    assert order[0] == first
    if sort == "title":
        titles = list(Task.objects.order_by("title", "position").values_list("position", flat=True))
        assert order == titles
    else:
        assert order[-1] == last


def test_sort_by_status_reads_from_not_started_to_cancelled(client, seed):
    response = get(client, sort="status", per_page=100)
    statuses = [row.record.entry.status for row in response.context["table"].page.object_list]
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


def test_paging_and_page_size(client, seed):
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
def test_odd_query_strings_never_fail(client, seed, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["table"].page.object_list is not None


def test_page_beyond_the_end_shows_the_last_page(client, seed):
    assert positions(get(client, per_page=10, page=7)) == list(range(11, 19))


def test_empty_result_with_a_page_number_does_not_fail(client, seed):
    response = get(client, q="nothing matches this", page=3)
    assert positions(response) == []


def test_htmx_request_gets_only_the_results(client, seed):
    response = client.get(URL, {"status": "pending"}, headers={"HX-Request": "true", "HX-Target": "results"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<nav" not in html.split('id="results"')[0]
    assert "Introduction of a framework for a mutual recognition programme" in html
    assert "<html" not in html


def test_full_page_has_a_form_that_works_without_javascript(client, seed):
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


def test_meeting_choices_are_dated_meetings_only(client, seed):
    form = get(client).context["filter"].form
    choices = [str(label) for _, label in form.fields["meeting"].choices]
    assert "IISG-2 — 25 Mar 2016" in choices
    assert not any("LTWG-3" in c for c in choices)
    assert Meeting.objects.count() == 8 and len(choices) == 8  # 7 dated + "Latest (today)"


@pytest.mark.parametrize(
    "params", [{}, {"status": ["draft", "in_progress"], "article": "14"}, {"sort": "status"}, {"meeting": "5"}]
)
def test_table_costs_a_fixed_number_of_queries(client, seed, django_assert_max_num_queries, params):
    with django_assert_max_num_queries(11) as small:  # with the change stamp (freshness)
        get(client, **params)
    article = ArticleFactory(number=14)
    meeting = Meeting.objects.get(pk=5)
    for _ in range(60):
        task = TaskFactory(articles=[article, ArticleFactory()])
        ProgressUpdateFactory(task=task, meeting=meeting, reported_on=datetime.date(2016, 3, 1), status=Status.DRAFT)
        ProgressUpdateFactory(task=task, reported_on=datetime.date(2016, 3, 20), status=Status.IN_PROGRESS)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = get(client, per_page=100, **params)
    assert len(response.context["table"].page.object_list) > 18 or params
