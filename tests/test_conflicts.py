"""No lost updates: a save made from a page that someone else's save overtook is stopped."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tasks.admin import TaskAdmin
from tasks.models import ProgressUpdate, Status, Task, WorkingGroup
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import ProgressUpdateFactory, TaskFactory, UserFactory, WorkingGroupFactory
from versioning.models import ConcurrentEditError

pytestmark = pytest.mark.django_db


def staff_client(username):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat"))
    client = Client()
    client.force_login(user)
    return client


def overtaken_post(alice, bob, url, *, theirs, yours):
    """Alice opens ``url``; Bob saves ``theirs`` there; Alice then posts ``yours`` from the page she opened."""
    alice_page = alice.get(url)
    bob_data = {**change_form_data(bob.get(url)), **theirs}
    assert bob.post(url, bob_data).status_code == 302
    return alice.post(url, {**change_form_data(alice_page), **yours})


@pytest.fixture
def alice():
    return staff_client("alice")


@pytest.fixture
def bob():
    return staff_client("bob")


def test_second_save_of_a_task_stops_and_shows_the_other_change(alice, bob):
    task = TaskFactory(title="Original title", description="Original description")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    response = overtaken_post(
        alice, bob, url, theirs={"title": "Bob's title"}, yours={"description": "Alice's description"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "bob saved this task" in html
    assert "Task: “Original title” → “Bob&#x27;s title”" in html
    task.refresh_from_db()
    assert (task.title, task.description) == ("Bob's title", "Original description")
    # Alice's input is kept; Bob's change to a field she had not touched is taken into her form.
    form = response.context["adminform"].form
    assert form["description"].value() == "Alice's description"
    assert form["title"].value() == "Bob's title"

    # Saving the form as it now stands keeps both changes.
    assert alice.post(url, change_form_data(response)).status_code == 302
    task.refresh_from_db()
    assert (task.title, task.description) == ("Bob's title", "Alice's description")


def test_both_changing_a_field_shows_their_value_against_yours(alice, bob):
    task = TaskFactory(title="Original title")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    response = overtaken_post(alice, bob, url, theirs={"title": "Bob's title"}, yours={"title": "Alice's title"})

    html = response.content.decode()
    assert "bob changed this to “Bob&#x27;s title”. Yours, kept here: “Alice&#x27;s title”." in html
    assert response.context["adminform"].form["title"].value() == "Alice's title"
    task.refresh_from_db()
    assert task.title == "Bob's title"
    # Saving again is a decision made knowing Bob's value.
    assert alice.post(url, change_form_data(response)).status_code == 302
    task.refresh_from_db()
    assert task.title == "Alice's title"


def test_both_changing_a_field_after_the_seen_version_in_the_form_is_a_conflict_too(alice, bob):
    task = TaskFactory(description="Original description")  # after seen_version in the task form
    url = reverse("admin:tasks_task_change", args=[task.pk])
    response = overtaken_post(
        alice, bob, url, theirs={"description": "Bob's description"}, yours={"description": "Alice's description"}
    )

    assert response.status_code == 200
    assert "Yours, kept here: “Alice&#x27;s description”." in response.content.decode()
    task.refresh_from_db()
    assert task.description == "Bob's description"


def test_a_field_left_invalid_is_only_said_to_be_invalid_not_a_conflict(alice, bob):
    task = TaskFactory(title="Original title", description="Original description")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    # The title is required: hers is left blank; Bob changed it, and neither touched the description.
    response = overtaken_post(alice, bob, url, theirs={"title": "Bob's title"}, yours={"title": ""})

    form = response.context["adminform"].form
    assert form.errors == {"title": ["This field is required."]}  # not "Yours, kept here: “”"
    task.refresh_from_db()
    assert (task.title, task.version) == ("Bob's title", 2)


def test_saving_an_unchanged_task_page_is_no_change_for_others(alice, bob):
    task = TaskFactory(title="Original title")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    alice_page = alice.get(url)
    bob.post(url, change_form_data(bob.get(url)))  # Bob saves without changing anything
    alice_data = change_form_data(alice_page)
    alice_data["title"] = "Alice's title"
    assert alice.post(url, alice_data).status_code == 302
    task.refresh_from_db()
    assert (task.title, task.version) == ("Alice's title", 2)


def test_second_save_of_a_progress_update_stops(alice, bob):
    update = ProgressUpdateFactory(narrative="First narrative", status=Status.IN_PROGRESS)
    url = reverse("admin:tasks_progressupdate_change", args=[update.pk])
    response = overtaken_post(
        alice,
        bob,
        url,
        theirs={"status": Status.COMPLETED},
        yours={"narrative": "Alice's narrative", "status": Status.PENDING},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "bob changed this to “Completed”. Yours, kept here: “Pending”." in html
    update.refresh_from_db()
    assert (update.status, update.narrative) == (Status.COMPLETED, "First narrative")
    update.task.refresh_from_db()
    assert update.task.current_status == Status.COMPLETED
    form = response.context["adminform"].form
    assert form["narrative"].value() == "Alice's narrative"


def test_second_save_of_an_update_in_the_task_page_inline_stops(alice, bob):
    task = TaskFactory()
    update = ProgressUpdateFactory(task=task, narrative="First narrative")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    alice_page = alice.get(url)
    prefix = inline_prefix(alice_page, ProgressUpdate, 1)  # the history, below the new-update form

    bob_page = bob.get(url)
    bob_data = change_form_data(bob_page)
    bob_data[f"{prefix}-0-narrative"] = "Bob's narrative"
    assert bob.post(url, bob_data).status_code == 302

    alice_data = change_form_data(alice_page)
    alice_data[f"{prefix}-0-narrative"] = "Alice's narrative"
    alice_data["title"] = "Alice's title"
    response = alice.post(url, alice_data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "bob saved this progress update" in html
    assert "Yours, kept here: “Alice&#x27;s narrative”" in html
    update.refresh_from_db()
    task.refresh_from_db()
    assert update.narrative == "Bob's narrative"
    assert task.title != "Alice's title"  # the page is saved whole or not at all
    inline_form = response.context["inline_admin_formsets"][2].formset.forms[0]
    assert inline_form["narrative"].value() == "Alice's narrative"


def test_new_update_added_meanwhile_is_not_lost(alice, bob):
    task = TaskFactory()
    url = reverse("admin:tasks_task_change", args=[task.pk])
    alice_page = alice.get(url)
    ProgressUpdateFactory(task=task, narrative="Bob's update", reported_on=datetime.date(2026, 1, 1))
    alice_data = change_form_data(alice_page)
    alice_data["title"] = "Alice's title"
    assert alice.post(url, alice_data).status_code == 302
    task.refresh_from_db()
    assert task.title == "Alice's title"
    assert task.current_update.narrative == "Bob's update"


def test_list_editable_position_change_stops_when_overtaken(alice, bob):
    WorkingGroup.objects.all().delete()
    group = WorkingGroupFactory(position=1)
    url = reverse("admin:tasks_workinggroup_changelist")
    alice_page = alice.get(url)
    alice_data = changelist_data(alice_page)

    bob_data = changelist_data(bob.get(url))
    bob_data["form-0-position"] = "5"
    assert bob.post(url, bob_data).status_code == 302
    group.refresh_from_db()
    assert group.position == 5

    alice_data["form-0-position"] = "7"
    response = alice.post(url, alice_data)
    assert response.status_code == 200
    assert "bob changed this to “5”. Yours, kept here: “7”." in response.content.decode()
    group.refresh_from_db()
    assert group.position == 5


def test_list_editable_save_goes_through_when_the_other_change_is_elsewhere(alice, bob):
    WorkingGroup.objects.all().delete()
    group = WorkingGroupFactory(position=1, name="Old name")
    url = reverse("admin:tasks_workinggroup_changelist")
    alice_data = changelist_data(alice.get(url))
    change_url = reverse("admin:tasks_workinggroup_change", args=[group.pk])
    bob_data = change_form_data(bob.get(change_url))
    bob_data["name"] = "Bob's name"
    assert bob.post(change_url, bob_data).status_code == 302

    alice_data["form-0-position"] = "3"
    assert alice.post(url, alice_data).status_code == 302
    group.refresh_from_db()
    assert (group.name, group.position) == ("Bob's name", 3)


def test_an_overtaken_working_group_form_names_the_change_and_compares_no_editors(alice, bob):
    group = WorkingGroupFactory(name="Old name", short_name="OG")
    group.editors.add(UserFactory(username="carol", is_staff=True))
    url = reverse("admin:tasks_workinggroup_change", args=[group.pk])
    # The editors (many-to-many) are no field a conflict compares.
    response = overtaken_post(alice, bob, url, theirs={"name": "Bob's name"}, yours={"short_name": "AG"})

    assert response.status_code == 200
    assert "bob saved this working group" in response.content.decode()
    assert response.context["adminform"].form["name"].value() == "Bob's name"


def test_action_on_a_record_changed_since_the_list_was_shown_is_refused(alice, bob):
    update = ProgressUpdateFactory(status=Status.IN_PROGRESS)
    url = reverse("admin:tasks_progressupdate_changelist")
    alice_page = alice.get(url)
    seen = alice_page.content.decode()
    assert f'name="seen_version_{update.pk}" value="1"' in seen

    change_url = reverse("admin:tasks_progressupdate_change", args=[update.pk])
    bob_data = change_form_data(bob.get(change_url))
    bob_data["status"] = Status.COMPLETED
    bob.post(change_url, bob_data)

    response = alice.post(
        url,
        delete_action(update, seen_version=1),
        follow=True,
    )
    html = response.content.decode()
    assert "Nothing was done" in html
    assert "Status: “In progress” → “Completed”" in html
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_action_on_unchanged_records_goes_ahead(alice):
    update = ProgressUpdateFactory()
    url = reverse("admin:tasks_progressupdate_changelist")
    response = alice.post(
        url,
        delete_action(update, seen_version=1),
    )
    assert "Are you sure" in response.content.decode()


def test_records_without_history_still_stop_a_stale_save(alice, bob):
    task = TaskFactory(title="Original title", description="Original description")
    Task.history.all().delete()  # as for records older than the history
    url = reverse("admin:tasks_task_change", args=[task.pk])
    alice_page = alice.get(url)
    bob_data = change_form_data(bob.get(url))
    bob_data["title"] = "Bob's title"
    bob.post(url, bob_data)
    Task.history.all().delete()

    alice_data = change_form_data(alice_page)
    alice_data["description"] = "Alice's description"
    response = alice.post(url, alice_data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "changed this to “Bob&#x27;s title”. Yours, kept here: “Original title”." in html
    task.refresh_from_db()
    assert (task.title, task.description) == ("Bob's title", "Original description")


def test_save_overtaken_after_its_checks_saves_nothing(alice, monkeypatch):
    task = TaskFactory(title="Original title")
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = alice.get(url)
    prefix = inline_prefix(page, ProgressUpdate, 0)  # the new-update form
    data = change_form_data(page)
    data.update(
        {
            "title": "Alice's title",
            f"{prefix}-0-reported_on": "2026-01-01",
            f"{prefix}-0-status": Status.DRAFT,
            f"{prefix}-0-narrative": "Alice's update",
        }
    )
    original_save_model = TaskAdmin.save_model

    def someone_saves_first(self, request, obj, form, change):
        Task.objects.filter(pk=obj.pk).update(version=F("version") + 1)
        original_save_model(self, request, obj, form, change)

    monkeypatch.setattr(TaskAdmin, "save_model", someone_saves_first)
    response = alice.post(url, data, follow=True)
    assert "nothing of yours was saved" in response.content.decode()
    task.refresh_from_db()
    assert task.title == "Original title"
    assert not task.updates.exists()


def test_stale_copy_cannot_overwrite_a_newer_save():
    task = TaskFactory(title="First")
    stale = Task.objects.get(pk=task.pk)
    task.title = "Second"
    task.save()
    stale.title = "Stale"
    with pytest.raises(ConcurrentEditError):
        stale.save()
    task.refresh_from_db()
    assert (task.title, task.version) == ("Second", 2)


def test_a_stale_task_in_memory_never_overwrites_its_latest_update():
    task = TaskFactory()
    in_memory = Task.objects.get(pk=task.pk)
    update = ProgressUpdateFactory(task=task, status=Status.DRAFT)  # refreshes the row, not in_memory
    in_memory.title = "Changed"
    in_memory.save()
    task.refresh_from_db()
    assert (task.title, task.current_update, task.current_status) == ("Changed", update, Status.DRAFT)


def changelist_data(response):
    """Return the list-editable formset data the change list page would post back unchanged."""
    formset = response.context["cl"].formset
    data = {"_save": "Save"}
    for field in formset.management_form:
        data[field.html_name] = field.value()
    for form in formset.forms:
        for field in form:
            value = field.value()
            data[field.html_name] = "" if value is None else str(value)
    return data


def delete_action(record, *, seen_version):
    """Return the change list POST that runs "Delete selected" on one record, as shown at a version."""
    return {
        "action": "delete_selected",
        "index": "0",
        "_selected_action": [str(record.pk)],
        f"seen_version_{record.pk}": str(seen_version),
    }
