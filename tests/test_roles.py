"""The roles: the Secretariat edits everything, a working-group editor their groups' tasks only,
a delegate reads the public pages and never enters the admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tasks.models import Meeting, ProgressUpdate, Status, Task, WorkingGroup
from tests.admin_forms import change_form_data, inline_prefix

pytestmark = pytest.mark.django_db

OWN_TASK = 6  # led by the Technical Working Group
OTHER_TASK = 7  # led by the Legal Working Group
UNASSIGNED_TASK = 9  # no lead group


def task_at(position):
    return Task.objects.get(position=position)


def test_working_group_editor_group_has_only_the_permissions_it_needs(db):
    codenames = set(Group.objects.get(name="Working-group editor").permissions.values_list("codename", flat=True))
    assert {"add_task", "change_task", "add_progressupdate", "change_progressupdate"} <= codenames
    assert {"view_meeting", "view_article", "view_workinggroup", "view_historicaltask"} <= codenames
    assert not {"delete_task", "delete_progressupdate", "change_meeting", "change_workinggroup"} & codenames
    assert "edit_all_groups" not in codenames
    secretariat = set(Group.objects.get(name="Secretariat").permissions.values_list("codename", flat=True))
    assert {"edit_all_groups", "view_historicaltask", "view_historicalprogressupdate"} <= secretariat


def test_editor_changes_a_task_of_their_group(twg_editor_client, twg_editor):
    task = task_at(OWN_TASK)
    url = reverse("admin:tasks_task_change", args=[task.pk])
    data = change_form_data(twg_editor_client.get(url))
    data["title"] = "Revised by the TWG"
    assert twg_editor_client.post(url, data).status_code == 302
    task.refresh_from_db()
    assert task.title == "Revised by the TWG"
    assert task.history.first().history_user == twg_editor


def test_editor_adds_an_update_on_the_task_page_of_their_group(twg_editor_client, twg_editor):
    task = task_at(OWN_TASK)
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = twg_editor_client.get(url)
    data = change_form_data(page)
    prefix = inline_prefix(page, ProgressUpdate, 0)  # the new-update form
    data.update(
        {
            f"{prefix}-0-reported_on": "2017-03-24",
            f"{prefix}-0-status": Status.COMPLETED,
            f"{prefix}-0-narrative": "Completed by the TWG.",
        }
    )
    assert twg_editor_client.post(url, data).status_code == 302
    task.refresh_from_db()
    assert (task.current_status, task.current_update.recorded_by) == (Status.COMPLETED, twg_editor)


@pytest.mark.parametrize("position", [OTHER_TASK, UNASSIGNED_TASK])
def test_editor_sees_other_tasks_read_only_and_a_crafted_post_is_refused(twg_editor_client, position):
    task = task_at(position)
    lead_group_id = task.lead_group_id
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = twg_editor_client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert 'name="_save"' not in page.content.decode()

    response = twg_editor_client.post(url, {"position": str(task.position), "title": "Hijacked", "lead_group": "2"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.title != "Hijacked"
    assert task.lead_group_id == lead_group_id


def test_editor_cannot_add_an_update_to_another_groups_task(twg_editor_client):
    task = task_at(OTHER_TASK)
    response = twg_editor_client.post(
        reverse("admin:tasks_progressupdate_add"),
        {"task": str(task.pk), "reported_on": "2017-03-24", "status": Status.COMPLETED, "narrative": "Sneaked in"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ProgressUpdate.objects.filter(narrative="Sneaked in").exists()


def test_editor_cannot_move_an_update_to_another_groups_task(twg_editor_client):
    update = task_at(OWN_TASK).updates.get()
    url = reverse("admin:tasks_progressupdate_change", args=[update.pk])
    data = change_form_data(twg_editor_client.get(url))
    data["task"] = str(task_at(OTHER_TASK).pk)
    response = twg_editor_client.post(url, data)
    assert "Select a valid choice" in response.content.decode()
    update.refresh_from_db()
    assert update.task.position == OWN_TASK


def test_editor_cannot_change_another_groups_update(twg_editor_client):
    update = task_at(OTHER_TASK).updates.get()
    url = reverse("admin:tasks_progressupdate_change", args=[update.pk])
    assert twg_editor_client.get(url).status_code == 200  # read only
    response = twg_editor_client.post(url, {"task": str(update.task_id), "narrative": "Rewritten"})
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.narrative != "Rewritten"


def test_editor_adds_tasks_to_their_groups_only(twg_editor_client):
    url = reverse("admin:tasks_task_add")
    page = twg_editor_client.get(url)
    choices = [str(label) for _value, label in page.context["adminform"].form.fields["lead_group"].choices]
    assert choices == ["---------", "Technical Working Group"]

    data = {**change_form_data(page), "position": "40", "title": "A new LWG task", "lead_group": "1"}
    response = twg_editor_client.post(url, data)
    assert "Select a valid choice" in response.content.decode()
    data.update({"title": "A task without a group", "lead_group": ""})
    assert "This field is required" in twg_editor_client.post(url, data).content.decode()
    data.update({"title": "A new TWG task", "lead_group": "2"})
    assert twg_editor_client.post(url, data).status_code == 302
    assert not Task.objects.filter(title__in=["A new LWG task", "A task without a group"]).exists()
    assert Task.objects.get(title="A new TWG task").lead_group.slug == "twg"


def test_task_picker_of_an_update_offers_the_editors_tasks_only(twg_editor_client):
    response = twg_editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "tasks", "model_name": "progressupdate", "field_name": "task", "term": ""},
    )
    assert response.status_code == 200
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids == set(Task.objects.filter(lead_group__slug="twg").values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("name", "model"),
    [("tasks_meeting", Meeting), ("tasks_workinggroup", WorkingGroup)],
)
def test_editor_reads_but_cannot_change_meetings_or_groups(twg_editor_client, name, model):
    record = model.objects.first()
    url = reverse(f"admin:{name}_change", args=[record.pk])
    assert twg_editor_client.get(url).status_code == 200
    assert twg_editor_client.post(url, {"title": "Changed", "name": "Changed"}).status_code == 403
    assert twg_editor_client.get(reverse(f"admin:{name}_add")).status_code == 403


def test_editor_cannot_delete(twg_editor_client):
    task = task_at(OWN_TASK)
    response = twg_editor_client.post(reverse("admin:tasks_task_delete", args=[task.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Task.objects.filter(pk=task.pk).exists()


def test_editor_cannot_revert_another_groups_task_through_its_history(twg_editor_client):
    task = task_at(OTHER_TASK)
    first = task.history.get()
    task.title = "Changed by the secretariat"
    task.save()
    url = reverse("admin:tasks_task_simple_history", args=[task.pk, first.history_id])
    assert twg_editor_client.get(url).status_code == 200  # history is readable
    response = twg_editor_client.post(url, {"position": "7", "title": first.title, "lead_group": "1"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.title == "Changed by the secretariat"


def test_editor_of_no_group_can_change_nothing(client, twg_editor):
    WorkingGroup.objects.get(slug="twg").editors.remove(twg_editor)
    client.force_login(twg_editor)
    task = task_at(OWN_TASK)
    assert client.get(reverse("admin:tasks_task_add")).status_code == 403
    response = client.post(reverse("admin:tasks_task_change", args=[task.pk]), {"title": "Changed"})
    assert response.status_code == 403


def test_secretariat_edits_every_groups_task(seed, secretariat_client):
    for position in (OWN_TASK, OTHER_TASK, UNASSIGNED_TASK):
        task = task_at(position)
        url = reverse("admin:tasks_task_change", args=[task.pk])
        data = change_form_data(secretariat_client.get(url))
        data["title"] = f"Edited by the secretariat {position}"
        assert secretariat_client.post(url, data).status_code == 302
    assert Task.objects.filter(title__startswith="Edited by the secretariat").count() == 3


def test_secretariat_makes_a_staff_member_an_editor_of_a_group(seed, secretariat_client, twg_editor):
    group = WorkingGroup.objects.get(slug="lwg")
    url = reverse("admin:tasks_workinggroup_change", args=[group.pk])
    data = change_form_data(secretariat_client.get(url))
    data["editors"] = [str(twg_editor.pk)]
    assert secretariat_client.post(url, data).status_code == 302
    assert list(group.editors.all()) == [twg_editor]


def test_delegate_cannot_sign_in_to_the_admin(seed, client, delegate):
    response = client.post(
        reverse("admin:login"), {"username": "delegate", "password": "a-test-password-1", "next": "/admin/"}
    )
    assert response.status_code == 200
    assert "Please enter the correct username and password for a staff account" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
