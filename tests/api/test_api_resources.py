"""What the API gives: the road map's tasks, updates, articles, groups and meetings, as the pages show them."""

import datetime

import pytest
from django.urls import reverse

from tasks.models import Meeting, Status, Task
from tests.factories import ProgressUpdateFactory

LATER = datetime.date(2026, 6, 1)  # after the seed, before today: updates may not be dated ahead

pytestmark = pytest.mark.django_db


def get(client, name, query=None, **kwargs):
    response = client.get(reverse(f"api:{name}", kwargs=kwargs), query or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_task_list_holds_the_seed_in_road_map_order(client, seed):
    page = get(client, "tasks", {"per_page": 100})
    assert page["count"] == 18
    assert [task["position"] for task in page["results"]] == list(range(1, 19))
    first = page["results"][0]
    task = Task.objects.get(position=1)
    assert first["title"] == task.title
    assert first["lead_group"] == {"slug": "twg", "short_name": "TWG", "name": "Technical Working Group"}
    assert first["articles"] == [6]
    assert first["status"] == task.current_update.status
    assert first["status_label"] == task.current_update.get_status_display()
    assert first["narrative"] == task.current_update.narrative
    assert first["last_update"]["reported_on"] == task.current_update.reported_on.isoformat()
    assert first["last_update"]["meeting"]["short_title"] == task.current_update.meeting.short_title
    assert first["links"]["html"] == f"http://testserver/tasks/{task.pk}/"
    assert first["links"]["self"] == f"http://testserver/api/v1/tasks/{task.pk}/"


def test_task_without_lead_group_or_article_says_so(client, seed):
    liability = next(task for task in get(client, "tasks", {"per_page": 100})["results"] if task["position"] == 9)
    assert liability["lead_group"] is None
    assert liability["articles"] == []


def test_task_detail_is_the_task_as_it_stands(client, seed):
    task = Task.objects.get(position=6)
    ProgressUpdateFactory(task=task, reported_on=LATER, status=Status.COMPLETED, narrative="Done at last.")
    body = get(client, "task", pk=task.pk)
    assert (body["status"], body["narrative"]) == ("completed", "Done at last.")
    assert body["articles"] == [9]


def test_meeting_parameter_gives_that_edition(client, seed):
    iisg2 = Meeting.objects.get(short_title="IISG-2")
    task = Task.objects.get(position=6)
    ProgressUpdateFactory(task=task, reported_on=LATER, status=Status.COMPLETED, narrative="Later.")
    now = {row["position"]: row["status"] for row in get(client, "tasks", {"per_page": 100})["results"]}
    then = {
        row["position"]: row["status"]
        for row in get(client, "tasks", {"per_page": 100, "meeting": iisg2.pk})["results"]
    }
    assert now[6] == "completed"
    assert then[6] != "completed"
    assert len(then) == 18


def test_a_tasks_updates_latest_first(client, seed):
    task = Task.objects.get(position=6)
    later = ProgressUpdateFactory(task=task, reported_on=LATER, status=Status.COMPLETED, narrative="Done.")
    body = get(client, "task-updates", pk=task.pk)
    assert body["count"] == 2
    assert body["results"][0]["id"] == later.pk
    assert body["results"][0]["task"] == task.pk
    assert body["results"][0]["html"].endswith(f"/tasks/{task.pk}/#update-{later.pk}")


def test_updates_filter_by_meeting_group_status_and_dates(client, seed):
    iisg2 = Meeting.objects.get(short_title="IISG-2")
    task = Task.objects.get(position=6)
    ProgressUpdateFactory(task=task, reported_on=LATER, status=Status.COMPLETED, narrative="Done.")
    assert get(client, "updates")["count"] == 19
    assert get(client, "updates", {"meeting": iisg2.pk})["count"] == 18
    assert get(client, "updates", {"status": "completed"})["count"] == 1
    twg = get(client, "updates", {"group": "twg", "per_page": 100})["results"]
    assert {row["task"] for row in twg} == set(Task.objects.filter(lead_group__slug="twg").values_list("pk", flat=True))
    assert get(client, "updates", {"reported_from": "2026-05-31"})["count"] == 1
    assert get(client, "updates", {"reported_to": "2026-05-31"})["count"] == 18


def test_articles_groups_and_meetings(client, seed):
    articles = get(client, "articles")["results"]
    assert [a["number"] for a in articles] == sorted(a["number"] for a in articles)
    assert get(client, "article", number=8)["title"].startswith("Cross-border mutual recognition")
    assert [g["slug"] for g in get(client, "groups")["results"]] == ["lwg", "twg"]
    assert get(client, "group", slug="twg")["tasks"] == "http://testserver/api/v1/tasks/?group=twg"
    meetings = get(client, "meetings")["results"]
    assert len(meetings) == 8
    iisg2 = Meeting.objects.get(short_title="IISG-2")
    body = get(client, "meeting", pk=iisg2.pk)
    assert (body["start_date"], body["end_date"]) == ("2016-03-23", "2016-03-25")
    assert body["edition"] == f"http://testserver/api/v1/tasks/?meeting={iisg2.pk}"


MISSING = [
    "/api/v1/tasks/0/",
    "/api/v1/tasks/-3/",
    "/api/v1/tasks/" + "9" * 400 + "/",
    "/api/v1/tasks/0/updates/",
    "/api/v1/articles/99/",
    "/api/v1/groups/nope/",
    "/api/v1/groups/a%00b/",
    "/api/v1/meetings/0/",
]


@pytest.mark.parametrize("path", MISSING)
def test_missing_records_are_json_404s(client, seed, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_root_links_every_resource(client, db):
    links = client.get("/api/v1/").json()
    assert links["tasks"] == "http://testserver/api/v1/tasks/"
    assert links["docs"] == "http://testserver/api/v1/docs/"
    assert all(client.get(url).status_code == 200 for url in links.values())
