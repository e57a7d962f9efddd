"""The Atom feed of progress updates, filtered like the status table."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tasks.models import Meeting, Status, Task
from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, **params):
    response = client.get(reverse("tasks:feed"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        (e.find(f"{ATOM}title").text, e.find(f"{ATOM}summary").text, e.find(f"{ATOM}link").get("href"))
        for e in root.findall(f"{ATOM}entry")
    ]


def test_feed_lists_updates_newest_first(client, seed):
    task = Task.objects.get(position=11)
    ProgressUpdateFactory(
        task=task,
        meeting=Meeting.objects.get(short_title="IISG-3"),
        reported_on=datetime.date(2017, 3, 24),
        status=Status.COMPLETED,
        narrative="The checklist was completed.",
    )
    task.refresh_from_db()
    items = entries(client)
    assert len(items) == 20  # the seed's 18 updates, this one, the seed's issued edition
    title, summary, link = items[0]
    assert title == "11. Technical gap checklist — Completed"
    assert summary == "The checklist was completed."
    assert link.endswith(f"/tasks/{task.pk}/#update-{task.current_update.pk}")


def test_feed_follows_one_working_group(client, seed):
    items = entries(client, group="lwg")
    assert len(items) == 5
    assert all("Legal Working Group" in summary for _, summary, _ in items)


def test_feed_honours_status_article_and_search_filters(client, seed):
    [(title, summary, _)] = entries(client, status="pending")
    assert title.startswith("13. Introduction of a framework for a mutual recognition programme")
    assert title.endswith("… — Pending")
    assert summary.startswith("Pending. The Technical Working Group has yet to develop a concept note")
    assert len(entries(client, article="14")) == 7
    assert len(entries(client, q="UNNExT")) == 1


def test_feed_as_at_a_meeting_leaves_out_later_updates(client, seed):
    ProgressUpdateFactory(task=Task.objects.get(position=1), reported_on=datetime.date(2017, 3, 24))
    assert len(entries(client)) == 20  # 19 updates and the seed's issued edition
    assert len(entries(client, meeting="5")) == 19


@pytest.mark.parametrize("params", [{"group": "nope"}, {"meeting": "abc"}, {"status": "x"}, {"article": "-1"}])
def test_feed_ignores_invalid_filters(client, seed, params):
    assert len(entries(client, **params)) == 19  # the seed's 18 updates and its issued edition
