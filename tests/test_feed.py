"""The Atom feed of progress updates, filtered like the status table."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tasks.models import Status
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


def test_feed_lists_updates_newest_first(client, roadmap):
    task = roadmap.tasks[3]
    ProgressUpdateFactory(
        task=task,
        meeting=roadmap.second,
        reported_on=datetime.date(2017, 3, 24),
        status=Status.COMPLETED,
        narrative="The survey was completed.",
    )
    task.refresh_from_db()
    items = entries(client)
    assert len(items) == 8
    title, summary, link = items[0]
    assert title == "3. Survey single window practices — Completed"
    assert summary == "The survey was completed."
    assert link.endswith(f"/tasks/{task.pk}/#update-{task.current_update.pk}")


def test_feed_follows_one_working_group(client, roadmap):
    items = entries(client, group="lwg")
    assert sorted(title.split(".")[0] for title, _, _ in items) == ["1", "6", "6"]


def test_feed_honours_status_article_and_search_filters(client, roadmap):
    [(title, summary, _)] = entries(client, status="pending")
    assert title.startswith("4. Introduce a framework for a mutual recognition programme")
    assert title.endswith("… — Pending")  # the long title is cut
    assert summary == "Pending. A concept note has yet to be written."
    assert len(entries(client, article="14")) == 2  # tasks 2 and 4; task 7 has no update
    assert len(entries(client, q="benchmarking")) == 2  # task 6, both its updates


def test_feed_as_at_a_meeting_leaves_out_later_updates(client, roadmap):
    ProgressUpdateFactory(task=roadmap.tasks[1], reported_on=datetime.date(2017, 3, 24))
    assert len(entries(client)) == 8
    assert len(entries(client, meeting=str(roadmap.first.pk))) == 6


@pytest.mark.parametrize("params", [{"group": "nope"}, {"meeting": "abc"}, {"status": "x"}, {"article": "-1"}])
def test_feed_ignores_invalid_filters(client, roadmap, params):
    assert len(entries(client, **params)) == 7
