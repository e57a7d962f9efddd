"""ETag and Last-Modified on every resource; a client whose copy is current gets 304, and a change ends that."""

import datetime
from typing import NamedTuple

import pytest
from django.urls import reverse
from django.utils.http import http_date

from api.conditional import Stamp
from tasks.models import Status, Task
from tests.factories import ProgressUpdateFactory

LATER = datetime.date(2026, 6, 1)  # after the seed, before today: updates may not be dated ahead

pytestmark = pytest.mark.django_db

TASKS = reverse("api:tasks")


def test_a_current_etag_gets_304_with_no_body(client, seed):
    first = client.get(TASKS)
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"]
    again = client.get(TASKS, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_if_modified_since_gets_304(client, seed):
    first = client.get(reverse("api:articles"))
    assert client.get(reverse("api:articles"), headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304


@pytest.mark.parametrize(
    "change",
    [
        lambda task: ProgressUpdateFactory(task=task, reported_on=LATER, status=Status.COMPLETED),
        lambda task: task.updates.first().delete(),
        lambda task: Task.objects.get(pk=task.pk).save(),
        lambda task: task.article_links.first().delete(),
    ],
    ids=["update added", "update deleted", "task saved", "article link deleted"],
)
def test_any_change_to_the_road_map_changes_the_etag(client, seed, change):
    first = client.get(TASKS)
    change(Task.objects.get(position=6))
    after = client.get(TASKS, headers={"If-None-Match": first["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]


def test_the_etag_varies_with_query_and_format_not_language(client, seed):
    etags = {
        client.get(TASKS)["ETag"],
        client.get(TASKS, {"group": "twg"})["ETag"],
        client.get(TASKS, {"format": "csv"})["ETag"],
    }
    assert len(etags) == 3
    # The API is a data contract, one URL in every language: it answers in English whatever is asked.
    french = client.get(TASKS, {"status": "bogus"}, headers={"Accept-Language": "fr"})
    assert french.json() == client.get(TASKS, {"status": "bogus"}).json()
    assert client.get(TASKS, headers={"Accept-Language": "fr"})["ETag"] == client.get(TASKS)["ETag"]


def test_errors_carry_no_validators(client, seed):
    response = client.get(TASKS, {"status": "bogus"})
    assert response.status_code == 400
    assert not response.has_header("ETag")


def test_responses_must_be_revalidated_and_are_private_when_login_is_required(client, seed, settings, delegate):
    assert client.get(TASKS)["Cache-Control"] == "no-cache"
    settings.ROADMAP_REQUIRE_LOGIN = True
    client.force_login(delegate)
    assert set(client.get(TASKS)["Cache-Control"].split(", ")) == {"no-cache", "private"}


def test_a_generated_road_map_changes_the_etag(client, db):
    """generate_roadmap writes with bulk_create, which sends no signal: it bumps the stamp itself."""
    from tasks.generation import generate_roadmap

    empty = client.get(TASKS)
    generate_roadmap(tasks=3, updates_per_task=1, meetings=2, seed=1)
    assert client.get(TASKS, headers={"If-None-Match": empty["ETag"]}).status_code == 200


def test_the_api_uses_the_road_maps_change_stamp(client, seed):
    """The ETags come from the same stamp as the pages' (freshness), whatever the URL's own queries."""
    from freshness.stamp import current

    first = client.get(TASKS)
    assert first["Last-Modified"] == http_date(int(current().changed_at.timestamp()))


def test_the_stamp_is_the_one_setting_names(client, seed, settings, monkeypatch):
    monkeypatch.setattr("tests.api.test_api_conditional_get.fixed_stamp", lambda: Stamp("v1"), raising=False)
    settings.ROADMAP_API_CHANGE_STAMP = "tests.api.test_api_conditional_get.fixed_stamp"
    first = client.get(TASKS)
    assert not first.has_header("Last-Modified")  # this stamp knows no time
    ProgressUpdateFactory(task=Task.objects.get(position=6), reported_on=LATER)
    assert client.get(TASKS, headers={"If-None-Match": first["ETag"]}).status_code == 304


class CounterStamp(NamedTuple):
    """The shape of a change stamp kept by the writes: a counter, a time, a key made of both."""

    counter: int
    changed_at: datetime.datetime

    @property
    def key(self):
        return f"{self.counter}.{self.changed_at.timestamp():.6f}"


STAMPS = {"now": CounterStamp(7, datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC))}


def counter_stamp():
    return STAMPS["now"]


def test_a_counter_stamp_is_taken_as_it_is(client, seed, settings):
    settings.ROADMAP_API_CHANGE_STAMP = "tests.api.test_api_conditional_get.counter_stamp"
    first = client.get(TASKS)
    assert first["Last-Modified"] == "Tue, 01 Dec 2026 12:00:00 GMT"
    assert client.get(TASKS, headers={"If-None-Match": first["ETag"]}).status_code == 304
    STAMPS["now"] = CounterStamp(8, datetime.datetime(2026, 12, 1, 12, 5, tzinfo=datetime.UTC))
    assert client.get(TASKS, headers={"If-None-Match": first["ETag"]}).status_code == 200
