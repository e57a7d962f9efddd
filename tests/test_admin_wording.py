"""The admin's smaller promises: what it says after a revert, on a locked account, on a read-only
page, in the history, in its header, and whom it offers as a group's editor."""

import html

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse

from tasks.models import Task, WorkingGroup
from tests.admin_forms import change_form_data
from tests.factories import TaskFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG = (
    "Capacity building on electronic trade documents, reported on by the secretariat at each meeting with the partners"
)


def text(response):
    return html.unescape(response.content.decode())


def test_reverting_to_an_old_version_says_reverted(secretariat_client):
    task = TaskFactory(title="First title")
    task.title = "Second title"
    task.save()
    old = task.history.order_by("history_id").first()
    url = reverse("admin:tasks_task_simple_history", args=[task.pk, old.history_id])
    response = secretariat_client.post(url, change_form_data(secretariat_client.get(url)))
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("reverted" in message for message in messages), messages
    task.refresh_from_db()
    assert task.title == "First title"


def test_the_lockout_page_uses_the_site_layout_and_says_when_to_try_again(client, db, settings):
    settings.AXES_FAILURE_LIMIT = 1
    UserFactory(username="staffer", is_staff=True)
    url = reverse("admin:login")
    client.post(url, {"username": "staffer", "password": "wrong"})
    response = client.post(url, {"username": "staffer", "password": "wrong"})
    assert response.status_code == 429
    page = text(response)
    assert "<html" in page and "Account locked" in page
    assert "Try again after" in page
    assert reverse("login") in page


def new_update_inlines(client, position):
    """Return the task page's new-update inlines, and whether the page names one."""
    task = Task.objects.get(position=position)
    page = client.get(reverse("admin:tasks_task_change", args=[task.pk]))
    inlines = [i for i in page.context["inline_admin_formsets"] if i.opts.max_num == 1]
    return inlines, "New progress update" in text(page) or "next progress update" in text(page).casefold()


def test_a_read_only_task_page_has_no_empty_new_update_heading(twg_editor_client):
    assert new_update_inlines(twg_editor_client, 7) == ([], False)  # the Legal Working Group's: read-only
    inlines, named = new_update_inlines(twg_editor_client, 6)  # their own group's
    assert len(inlines) == 1 and named


def test_history_shows_no_change_reason_none(secretariat_client):
    task = TaskFactory()
    url = reverse("admin:tasks_task_change", args=[task.pk])
    data = change_form_data(secretariat_client.get(url))
    data["title"] = "Another title"
    secretariat_client.post(url, data)
    task.history.filter(history_user=None).update(history_user=task.history.first().history_user)
    page = text(secretariat_client.get(reverse("admin:tasks_task_history", args=[task.pk])))
    assert "None" not in page.split('id="change-history"')[1].split("</table>")[0]


def test_history_shows_the_words_removed_and_added_in_a_long_text(secretariat_client):
    task = TaskFactory(title=LONG)
    task.title = LONG.replace("electronic trade documents", "paperless trade") + " and donors"
    task.save()
    page = text(secretariat_client.get(reverse("admin:tasks_task_history", args=[task.pk])))
    assert "chars]" not in page
    assert "<del>" in page and "electronic trade documents" in page
    assert "paperless trade" in page and "donors" in page


def test_an_editors_admin_header_does_not_say_secretariat(twg_editor_client):
    page = text(twg_editor_client.get(reverse("admin:index")))
    header = page.split('id="site-name"')[1].split("</div>")[0]
    assert "secretariat" not in header.casefold()


def test_the_editors_picker_offers_working_group_editors_only(seed, secretariat_client, twg_editor):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    colleague = UserFactory(username="colleague", is_staff=True)
    colleague.groups.add(Group.objects.get(name="Secretariat"))
    group = WorkingGroup.objects.get(slug="lwg")
    page = secretariat_client.get(reverse("admin:tasks_workinggroup_change", args=[group.pk]))
    offered = {user.username for user in page.context["adminform"].form.fields["editors"].queryset}
    assert offered == {"twg_editor"}
