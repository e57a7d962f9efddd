"""Each list endpoint costs the same number of queries whatever the number of rows."""

import datetime

import pytest
from django.urls import reverse

from tasks.models import Task
from tests.factories import ArticleFactory, MeetingFactory, ProgressUpdateFactory, TaskFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def grow(n):
    """Add ``n`` tasks, each citing two articles and with two updates, plus groups, articles and meetings."""
    group = WorkingGroupFactory()
    meeting = MeetingFactory(start_date=datetime.date(2016, 3, 23), end_date=datetime.date(2016, 3, 25))
    for _ in range(n):
        task = TaskFactory(lead_group=group, articles=[ArticleFactory(), ArticleFactory()])
        ProgressUpdateFactory(task=task, meeting=meeting, reported_on=datetime.date(2016, 3, 23))
        ProgressUpdateFactory(task=task, reported_on=datetime.date(2016, 5, 1))
    return meeting


ENDPOINTS = [
    # (name, query, queries): the stamp, the count, the page's rows, its article numbers...
    ("tasks", {}, 4),
    ("tasks", {"group": "{group}", "status": "draft", "article": "{article}", "q": "a b"}, 6),
    ("tasks", {"meeting": "{meeting}", "sort": "status"}, 5),
    ("tasks", {"format": "csv"}, 3),  # the stamp, the article links, the rows (streamed)
    ("updates", {}, 3),
    ("updates", {"meeting": "{meeting}", "group": "{group}", "status": "draft"}, 5),
    ("updates", {"format": "csv"}, 2),
    ("articles", {}, 3),
    ("groups", {}, 3),
    ("meetings", {}, 3),
]


def fill(query, meeting):
    values = {
        "group": meeting.updates.first().task.lead_group.slug,
        "article": str(Task.objects.first().articles.first().number),
        "meeting": str(meeting.pk),
    }
    return {key: value.format(**values) for key, value in query.items()}


def drain(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("size", [3, 60])
@pytest.mark.parametrize(("name", "query", "queries"), ENDPOINTS)
def test_list_queries_do_not_grow_with_the_data(client, django_assert_max_num_queries, size, name, query, queries):
    meeting = grow(size)
    url = reverse(f"api:{name}")
    query = {**fill(query, meeting), "per_page": "100"} if "format" not in query else fill(query, meeting)
    with django_assert_max_num_queries(queries):
        response = client.get(url, query)
        body = drain(response)
    assert response.status_code == 200, body
    if name in ("tasks", "updates") and set(query) <= {"per_page", "format"}:
        rows = body.count(b"\r\n") - 1 if "format" in query else response.json()["count"]
        assert rows >= size


@pytest.mark.parametrize("size", [3, 60])
def test_a_tasks_updates_cost_the_same_queries(client, django_assert_max_num_queries, size):
    grow(1)
    task = Task.objects.get()
    for _ in range(size):
        ProgressUpdateFactory(task=task, reported_on=datetime.date(2016, 6, 1))
    with django_assert_max_num_queries(4):  # the stamp, the task, the count, the rows
        assert client.get(reverse("api:task-updates", kwargs={"pk": task.pk}), {"per_page": 100}).status_code == 200


def test_a_304_costs_only_the_stamp(client, django_assert_max_num_queries):
    grow(5)
    etag = client.get(reverse("api:tasks"))["ETag"]
    with django_assert_max_num_queries(1):
        assert client.get(reverse("api:tasks"), headers={"If-None-Match": etag}).status_code == 304
