"""The issued editions through the API: the list, an edition with its rows and files, and comparisons."""

import hashlib

import pytest
from django.urls import reverse

from editions.models import Edition, State
from tasks.models import Meeting, Status, Task, WorkingGroup
from tests.editions import issued
from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:editions")
COMPARE = reverse("api:edition-compare")


@pytest.fixture
def draft(seed):
    return Edition.objects.create(meeting=Meeting.objects.get(short_title="IISG-3"), symbol="DRAFT/1")


def test_the_list_gives_issued_editions_newest_first_never_drafts(client, two_editions, draft):
    old, new = two_editions
    body = client.get(LIST).json()
    assert body["count"] == 2
    assert [edition["id"] for edition in body["results"]] == [new.pk, old.pk]
    assert body["results"][0]["symbol"] == "ESCAP/PTA/IISG(3)/CRP.1"
    assert body["results"][0]["self_url"] == f"http://testserver/api/v1/editions/{new.pk}/"


def test_the_list_filters_by_meeting_and_group_as_the_page_does(client, two_editions, secretariat, second_secretariat):
    old, new = two_editions
    twg = issued(new.meeting, secretariat, second_secretariat, group=WorkingGroup.objects.get(slug="twg"))
    assert [e["id"] for e in client.get(LIST, {"meeting": old.meeting_id}).json()["results"]] == [old.pk]
    assert [e["id"] for e in client.get(LIST, {"meeting": new.meeting_id}).json()["results"]] == [twg.pk, new.pk]
    assert [e["id"] for e in client.get(LIST, {"group": "twg"}).json()["results"]] == [twg.pk]
    assert client.get(LIST, {"group": "lwg"}).json()["count"] == 0


@pytest.mark.parametrize(("query", "parameter"), [({"meeting": "x"}, "meeting"), ({"group": "nope"}, "group")])
def test_the_list_refuses_bad_filters_by_name(client, seed_edition, query, parameter):
    response = client.get(LIST, query)
    assert response.status_code == 400
    assert parameter in response.json()


def test_a_superseded_edition_is_listed_and_served(client, two_editions):
    old, _new = two_editions
    Edition.objects.filter(pk=old.pk).update(state=State.SUPERSEDED)
    assert client.get(LIST).json()["results"][1]["state"] == "superseded"
    assert client.get(reverse("api:edition", kwargs={"pk": old.pk})).json()["state"] == "superseded"


@pytest.mark.parametrize("size", [1, 2])
def test_the_list_costs_the_same_queries_whatever_its_length(
    client, django_assert_max_num_queries, seed_edition, secretariat, second_secretariat, size
):
    for number in range(size):
        issued(Meeting.objects.get(short_title="IISG-3"), secretariat, second_secretariat, symbol=f"X/{number}")
    with django_assert_max_num_queries(3):  # the stamp, the count, the page (its meetings and groups joined)
        response = client.get(LIST, {"per_page": 100})
    assert response.json()["count"] == size + 1


def test_an_edition_gives_its_lines_states_files_and_rows(client, two_editions):
    _old, new = two_editions
    body = client.get(reverse("api:edition", kwargs={"pk": new.pk})).json()
    assert body["symbol"] == "ESCAP/PTA/IISG(3)/CRP.1" and body["meeting"]["short_title"] == "IISG-3"
    assert [step["kind"] for step in body["steps"]] == ["created", "submitted", "cleared", "issued"]
    assert body["steps"][-1]["user"] == new.steps.last().user.username
    assert all(step["at"] for step in body["steps"])
    files = {stored["kind"]: stored for stored in body["files"]}
    assert set(files) == {"docx", "xlsx"}
    for stored in files.values():
        download = client.get(stored["download"])
        assert download.status_code == 200
        assert hashlib.sha256(b"".join(download)).hexdigest() == stored["sha256"]
        assert stored["size"] == len(download.content)
    rows = {row["position"]: row for row in body["rows"]}
    assert len(rows) == new.rows.count()
    assert rows[6]["status"] == Status.COMPLETED and rows[6]["narrative"] == "The framework has been completed."


def test_an_edition_stays_as_issued_when_the_table_changes(client, seed_edition):
    ProgressUpdateFactory(task=Task.objects.get(position=6), status=Status.CANCELLED, narrative="Dropped.")
    rows = client.get(reverse("api:edition", kwargs={"pk": seed_edition.pk})).json()["rows"]
    row = next(row for row in rows if row["position"] == 6)
    assert row["status"] != Status.CANCELLED and row["narrative"] != "Dropped."


def test_an_edition_costs_the_same_queries_whatever_its_rows(client, django_assert_max_num_queries, seed_edition):
    with django_assert_max_num_queries(6):  # the stamp, the edition, its steps, files and rows
        assert client.get(reverse("api:edition", kwargs={"pk": seed_edition.pk})).status_code == 200


def test_drafts_are_never_served(client, draft):
    assert client.get(reverse("api:edition", kwargs={"pk": draft.pk})).status_code == 404
    assert draft.pk not in [edition["id"] for edition in client.get(LIST).json()["results"]]
    response = client.get(COMPARE, {"from": draft.pk, "to": "live"})
    assert response.status_code == 400 and "from" in response.json()


def test_the_comparison_of_two_editions_is_the_pages(client, two_editions):
    old, new = two_editions
    body = client.get(COMPARE, {"from": old.pk, "to": new.pk}).json()
    assert body["old"] == old.pk and body["new"] == str(new.pk)
    counts = body["counts"]
    assert (counts["added"], counts["removed"], counts["status_changed"], counts["narrative_changed"]) == (0, 0, 1, 2)
    assert counts["finished"] == 1
    changes = {change["position"]: change for change in body["changes"]}
    assert changes[6]["new_status"] == Status.COMPLETED and changes[6]["status_changed"]
    assert not changes[1]["status_changed"] and changes[1]["narrative_changed"]
    assert changes[1]["new_narrative"].startswith("The Technical Working Group is in the process")
    assert body["total"] == len(body["changes"]) and not body["truncated"]


def test_an_edition_compared_with_today_with_added_and_removed_tasks(client, seed_edition):
    ProgressUpdateFactory(task=Task.objects.get(position=6), status=Status.COMPLETED, narrative="Done.")
    Task.objects.get(position=18).delete()
    Task.objects.create(position=19, title="A task added later")
    body = client.get(COMPARE, {"from": seed_edition.pk, "to": "live"}).json()
    assert body["new"] == "live"
    assert (body["counts"]["added"], body["counts"]["removed"]) == (1, 1)
    changes = {change["position"]: change for change in body["changes"]}
    assert set(changes) == {6, 18, 19}
    assert changes[6]["new_narrative"] == "Done." and changes[6]["new_status"] == Status.COMPLETED
    assert changes[18]["removed"] and changes[18]["new_status"] is None
    assert changes[19]["added"] and changes[19]["old_status"] is None


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({}, "from"),
        ({"from": "x", "to": "live"}, "from"),
        ({"from": "{old}", "to": "tomorrow"}, "to"),
        ({"from": "{old}", "to": "{old}"}, "to"),
        ({"from": "{old}", "to": "99999"}, "to"),
        ({"from": "99999", "to": "live"}, "from"),
        ({"from": "0", "to": "live"}, "from"),
        ({"from": "9" * 30, "to": "live"}, "from"),
    ],
)
def test_a_bad_comparison_is_a_400_naming_its_parameter(client, seed_edition, query, parameter):
    query = {key: value.format(old=seed_edition.pk) for key, value in query.items()}
    response = client.get(COMPARE, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert parameter in response.json()


@pytest.mark.parametrize("name", ["editions", "edition", "edition-compare"])
def test_the_editions_are_read_only_and_answer_conditional_gets(client, seed_edition, name):
    url = reverse(f"api:{name}", kwargs={"pk": seed_edition.pk} if name == "edition" else None)
    query = {"from": seed_edition.pk, "to": "live"} if name == "edition-compare" else {}
    for method in (client.post, client.put, client.patch, client.delete):
        assert method(url).status_code == 405
    response = client.get(url, query)
    assert response.status_code == 200 and response["ETag"]
    assert client.get(url, query, headers={"If-None-Match": response["ETag"]}).status_code == 304


@pytest.mark.usefixtures("login_required")
@pytest.mark.parametrize("name", ["editions", "edition", "edition-compare"])
def test_the_editions_follow_the_login_rule(client, seed_edition, name):
    url = reverse(f"api:{name}", kwargs={"pk": seed_edition.pk} if name == "edition" else None)
    assert client.get(url, {"from": seed_edition.pk, "to": "live"}).status_code == 401
