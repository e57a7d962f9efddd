"""feedparser, a reader nobody on the project wrote, reads the Atom feed as it is meant.

Not "bozo" (well formed), its self link the filtered feed's own address, an author on the
feed and on each entry (RFC 4287), and the filters kept in every link.
"""

import feedparser
import pytest
from django.urls import reverse

from tasks.models import Status
from tests.factories import ProgressUpdateFactory, TaskFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    twg = WorkingGroupFactory(slug="twg", name="Technical Working Group")
    lwg = WorkingGroupFactory(slug="lwg", name="Legal Working Group")
    for position, group in enumerate([twg, lwg, twg], start=1):
        task = TaskFactory(position=position, title=f"Task {position}", lead_group=group)
        ProgressUpdateFactory(task=task, status=Status.DRAFT, narrative=f"Narrative {position} & <more>")
    ProgressUpdateFactory(task=TaskFactory(position=4, lead_group=None), narrative="No lead group")
    return twg, lwg


def read(client, query=""):
    response = client.get(reverse("tasks:feed") + query)
    assert response.status_code == 200
    headers = {"content-type": response["Content-Type"], "content-location": "http://testserver/"}
    return feedparser.parse(response.content, response_headers=headers)


@pytest.mark.parametrize("query", ["", "?group=twg", "?group=twg&status=draft", "?q=%00Narrative", "?article=²"])
def test_the_feed_is_well_formed(client, groups, query):
    feed = read(client, query)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"


def test_the_self_link_is_the_filtered_feeds_own_address(client, groups):
    feed = read(client, "?group=twg&status=draft")
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == ["http://testserver/feeds/updates/?group=twg&status=draft"]
    assert feed.feed.link == "http://testserver/tasks/?group=twg&status=draft"


def test_the_unfiltered_feeds_self_link_has_no_query(client, groups):
    feed = read(client)
    assert [link.href for link in feed.feed.links if link.rel == "self"] == ["http://testserver/feeds/updates/"]


def test_the_feed_and_each_entry_have_an_author(client, groups):
    feed = read(client)
    assert feed.feed.author == "ESCAP secretariat"
    authors = sorted(entry.author for entry in feed.entries)
    assert authors == ["ESCAP secretariat", "Legal Working Group", "Technical Working Group", "Technical Working Group"]


def test_the_filters_are_kept(client, groups):
    feed = read(client, "?group=twg")
    assert sorted(entry.title for entry in feed.entries) == ["1. Task 1 — Draft prepared", "3. Task 3 — Draft prepared"]
    assert {entry.author for entry in feed.entries} == {"Technical Working Group"}
    assert all(entry.summary.startswith("Narrative ") for entry in feed.entries)
