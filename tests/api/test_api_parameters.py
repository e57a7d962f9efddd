"""/api/v1/tasks/ takes the status table's parameters through its FilterSet; bad values are 400s naming them."""

import pytest
from django.urls import reverse

from tasks.models import Meeting, Task

pytestmark = pytest.mark.django_db

TASKS = reverse("api:tasks")


def positions(client, query):
    response = client.get(TASKS, {"per_page": 100, **query})
    assert response.status_code == 200, response.content
    return [row["position"] for row in response.json()["results"]]


def table_positions(client, query):
    response = client.get(reverse("tasks:list"), {"per_page": 100, **query})
    return [task.position for task in response.context["table"].page.object_list.data]


@pytest.mark.parametrize(
    "query",
    [
        {"group": "twg"},
        {"status": ["in_progress", "draft"]},
        {"article": ["7", "14"]},
        {"q": "guide legal"},
        {"group": "lwg", "article": "14"},
        {"sort": "status"},
        {"sort": "-reported_on"},
        {"sort": ["lead_group", "-title"]},
        {"sort": "-position"},
    ],
)
def test_the_api_gives_the_rows_the_table_gives(client, seed, query):
    assert positions(client, query) == table_positions(client, query)


def test_meeting_is_the_tables_edition(client, seed):
    meeting = Meeting.objects.get(short_title="IISG-2")
    assert positions(client, {"meeting": meeting.pk}) == table_positions(client, {"meeting": meeting.pk})
    undated = Meeting.objects.filter(start_date__isnull=True).first()
    assert client.get(TASKS, {"meeting": undated.pk}).json().keys() == {"meeting"}


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"group": "nope"}, {"group"}),
        ({"status": ["draft", "bogus"]}, {"status"}),
        ({"status": ""}, {"status"}),
        ({"article": "99"}, {"article"}),
        ({"article": "7x"}, {"article"}),
        ({"article": "9" * 10000}, {"article"}),
        ({"meeting": "1e9"}, {"meeting"}),
        ({"meeting": "9" * 30}, {"meeting"}),
        ({"q": "x" * 10000}, {"q"}),
        ({"per_page": "7"}, {"per_page"}),
        ({"per_page": str(10**9)}, {"per_page"}),
        ({"group": "nope", "status": "bogus"}, {"group", "status"}),
    ],
)
def test_invalid_filters_are_refused_by_name_as_the_table_reports_them(client, seed, query, named):
    response = client.get(TASKS, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == named
    page = client.get(reverse("tasks:list"), query)
    assert set(page.context["filter"].errors) == named  # the page names the same parameters


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"sort": "narrative"}, "sort"),
        ({"sort": "a,b,c,d"}, "sort"),
        ({"sort": ["title", "position", "status", "lead_group"]}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "-1"}, "page"),
        ({"format": "xml"}, "format"),
    ],
)
def test_bad_paging_sorting_and_format_are_named(client, seed, query, named):
    response = client.get(TASKS, query)
    assert response.status_code in (400, 406)
    assert list(response.json()) == [named]


def test_odd_values_never_fail(client, seed):
    for value in ["\x00", "\u202e\u0000abc", "😀" * 50, "%", "' OR 1=1 --", "٣", "9" * 5000]:
        for name in ["q", "group", "status", "article", "meeting", "sort", "page", "per_page"]:
            response = client.get(TASKS, {name: value})
            assert response.status_code in (200, 400, 404), (name, value, response.content)
            assert response["Content-Type"] == "application/json"
    assert client.get(f"{TASKS}?q=%ED%A0%80&group=%FF").status_code == 400  # not UTF-8: read as U+FFFD


def test_search_ignores_control_characters(client, seed):
    assert positions(client, {"q": "legal\x07 liability\u200b"}) == positions(client, {"q": "legal liability"})


def test_pages_link_to_each_other_and_cover_every_task_once(client, seed):
    seen, url = [], f"{TASKS}?per_page=10&sort=status"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(Task.objects.values_list("pk", flat=True))
    last = client.get(TASKS, {"per_page": 10, "page": 2}).json()
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/v1/tasks/?per_page=10"


def test_a_page_past_the_last_is_a_404_naming_the_page(client, seed):
    for page in ["3", "9" * 5000]:
        response = client.get(TASKS, {"per_page": 10, "page": page})
        assert response.status_code == 404
        assert response.json() == {"page": ["There is no such page: the last is 2."]}


def test_equal_sort_keys_are_broken_by_id(client, seed):
    """Tasks of one status keep one order from request to request: pages never overlap."""
    Task.objects.update(position=1)
    first = positions(client, {"sort": "status"})
    ids = [row["id"] for row in client.get(TASKS, {"sort": "status", "per_page": 100}).json()["results"]]
    assert len(first) == 18
    by_status = {}
    for row in client.get(TASKS, {"sort": "status", "per_page": 100}).json()["results"]:
        by_status.setdefault(row["status"], []).append(row["id"])
    assert all(group == sorted(group) for group in by_status.values())
    assert ids == [row["id"] for row in client.get(TASKS, {"sort": "status", "per_page": 100}).json()["results"]]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"reported_from": "2016-13-01"}, {"reported_from"}),
        ({"reported_to": "yesterday"}, {"reported_to"}),
        ({"reported_from": "9" * 10000}, {"reported_from"}),
        ({"task": "abc"}, {"task"}),
        ({"task": "9" * 30}, {"task"}),
        ({"meeting": "0"}, {"meeting"}),
        ({"group": "x" * 10000}, {"group"}),
        ({"status": ["draft", ""]}, {"status"}),
        ({"per_page": "1000000000"}, {"per_page"}),
    ],
)
def test_invalid_update_filters_are_refused_by_name(client, seed, query, named):
    response = client.get(reverse("api:updates"), query)
    assert response.status_code == 400
    assert set(response.json()) == named


def test_repeated_and_empty_parameters(client, seed):
    assert positions(client, {"status": ["draft", "draft"]}) == positions(client, {"status": "draft"})
    assert positions(client, {"group": ["lwg", "twg"]}) == positions(
        client, {"group": "twg"}
    )  # the last, as forms read
    assert positions(client, {"group": "", "q": "", "sort": "", "page": "", "meeting": ""}) == list(range(1, 19))
    assert client.get(reverse("api:updates"), {"meeting": "", "reported_from": ""}).json()["count"] == 18
