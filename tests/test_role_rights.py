"""Each right in the README's Roles table, for each role, through the admin's own URLs."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tasks.models import Meeting, ProgressUpdate, Task, TaskArticle, WorkingGroup
from tasks.permissions import editable_groups, edits_some_group
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import UserFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

OWN_TASK = 6  # led by the Technical Working Group
OTHER_TASK = 7  # led by the Legal Working Group
RECORDS = [Article, WorkingGroup, Meeting, Task, ProgressUpdate]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def own_update():
    return ProgressUpdate.objects.filter(task__position=OWN_TASK).first()


def delete_and_find(client, record):
    """Delete ``record`` as the secretariat would; return the URL that restores it."""
    model = type(record)
    assert client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 302
    deleted = client.get(admin_url(model, "deleted"))
    return next(item["url"] for item in deleted.context["records"] if item["record"].id == record.pk)


# Secretariat: add, change and delete every road map record, restore deleted ones, edit the editors.


@pytest.mark.parametrize("model", RECORDS)
def test_secretariat_may_add_change_and_delete_every_record(seed, secretariat_client, model):
    record = model.objects.order_by("pk").last()
    assert secretariat_client.get(admin_url(model, "add")).status_code == 200
    change = secretariat_client.get(admin_url(model, "change", record.pk))
    assert change.context["has_change_permission"] and change.context["has_delete_permission"]
    assert secretariat_client.get(admin_url(model, "delete", record.pk)).status_code == 200


def test_secretariat_may_restore_a_deleted_record_and_is_told_so(seed, secretariat_client):
    update = own_update()
    restore_url = delete_and_find(secretariat_client, update)
    page = secretariat_client.get(restore_url)
    response = secretariat_client.post(restore_url, change_form_data(page))
    assert response.status_code == 302
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("restored" in text for text in texts), texts
    assert not any("changed successfully" in text for text in texts)


def test_secretariat_may_remove_an_article_link(seed, secretariat_client):
    task = Task.objects.filter(article_links__isnull=False).first()
    url = admin_url(Task, "change", task.pk)
    page = secretariat_client.get(url)
    data = change_form_data(page)
    data[f"{inline_prefix(page, TaskArticle)}-0-DELETE"] = "on"
    assert secretariat_client.post(url, data).status_code == 302
    assert task.article_links.count() == len(page.context["inline_admin_formsets"][0].formset.initial_forms) - 1


def test_secretariat_may_edit_a_working_groups_editors(seed, secretariat_client, twg_editor):
    group = WorkingGroup.objects.get(slug="lwg")
    url = admin_url(WorkingGroup, "change", group.pk)
    data = change_form_data(secretariat_client.get(url))
    data["editors"] = [str(twg_editor.pk)]
    assert secretariat_client.post(url, data).status_code == 302
    assert list(group.editors.all()) == [twg_editor]


# Working-group editor: add and change their groups' tasks, article links and updates; read the
# rest and all history; delete nothing (article links included); restore nothing.


def test_editor_may_add_and_change_their_groups_tasks_links_and_updates(twg_editor_client):
    task = Task.objects.get(position=OWN_TASK)
    assert twg_editor_client.get(admin_url(Task, "add")).status_code == 200
    assert twg_editor_client.get(admin_url(ProgressUpdate, "add")).status_code == 200
    page = twg_editor_client.get(admin_url(Task, "change", task.pk))
    assert page.context["has_change_permission"]
    links = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is TaskArticle)
    assert links.has_add_permission and links.has_change_permission
    update_page = twg_editor_client.get(admin_url(ProgressUpdate, "change", own_update().pk))
    assert update_page.context["has_change_permission"]


@pytest.mark.parametrize("model", RECORDS)
def test_editor_reads_every_record_and_its_history(twg_editor_client, model):
    record = model.objects.order_by("pk").first()
    assert twg_editor_client.get(admin_url(model, "changelist")).status_code == 200
    assert twg_editor_client.get(admin_url(model, "change", record.pk)).status_code == 200
    assert twg_editor_client.get(admin_url(model, "history", record.pk)).status_code == 200
    assert twg_editor_client.get(admin_url(model, "deleted")).status_code == 200


@pytest.mark.parametrize("model", [Article, WorkingGroup, Meeting])
def test_editor_may_not_add_or_change_articles_groups_or_meetings(twg_editor_client, model):
    record = model.objects.order_by("pk").first()
    assert twg_editor_client.get(admin_url(model, "add")).status_code == 403
    assert not twg_editor_client.get(admin_url(model, "change", record.pk)).context["has_change_permission"]
    assert twg_editor_client.post(admin_url(model, "change", record.pk), {}).status_code == 403


@pytest.mark.parametrize("model", RECORDS)
def test_editor_deletes_nothing(twg_editor_client, model):
    record = own_update() if model is ProgressUpdate else model.objects.order_by("pk").first()
    if model is Task:
        record = Task.objects.get(position=OWN_TASK)
    assert twg_editor_client.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()


def test_editor_may_not_remove_an_article_link_of_their_task(twg_editor_client):
    task = Task.objects.filter(position=OWN_TASK).first()
    url = admin_url(Task, "change", task.pk)
    before = task.article_links.count()
    assert before
    page = twg_editor_client.get(url)
    links = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is TaskArticle)
    assert not links.has_delete_permission
    data = change_form_data(page)
    data[f"{inline_prefix(page, TaskArticle)}-0-DELETE"] = "on"  # crafted: the page has no such box
    twg_editor_client.post(url, data)
    assert task.article_links.count() == before


def test_editor_may_not_restore_a_deleted_update_of_their_group(secretariat, twg_editor_client):
    update = own_update()
    secretariat_client = Client()
    secretariat_client.force_login(secretariat)
    restore_url = delete_and_find(secretariat_client, update)
    deleted = twg_editor_client.get(admin_url(ProgressUpdate, "deleted"))
    assert deleted.status_code == 200 and not deleted.context["can_restore"]
    page = twg_editor_client.get(restore_url)
    assert page.status_code == 200
    assert twg_editor_client.post(restore_url, change_form_data(page)).status_code == 403
    assert not ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_editor_may_not_edit_a_working_groups_editors(twg_editor_client, twg_editor):
    group = WorkingGroup.objects.get(slug="twg")
    assert twg_editor_client.post(admin_url(WorkingGroup, "change", group.pk), {"editors": []}).status_code == 403
    assert twg_editor in group.editors.all()


def test_an_inactive_editor_edits_no_group():
    group = WorkingGroupFactory()
    user = UserFactory(is_staff=True, is_active=False)
    group.editors.add(user)
    assert list(editable_groups(user)) == []
    assert not edits_some_group(user)
    user.is_active = True
    assert list(editable_groups(user)) == [group]


# Delegate: reads the public pages; the admin refuses them.


def test_delegate_reads_public_pages_and_the_admin_refuses_them(seed, delegate_client):
    assert delegate_client.get(reverse("tasks:list")).status_code == 200
    for model in RECORDS:
        response = delegate_client.get(admin_url(model, "changelist"))
        assert response.status_code == 302 and "/login/" in response["Location"]
