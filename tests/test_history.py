"""Every change to the road map is kept, with who made it and when, and deleted records can be restored."""

import datetime

import pytest
from django.urls import reverse

from articles.models import Article
from tasks.models import Meeting, ProgressUpdate, Status, Task, TaskArticle, WorkingGroup
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import ArticleFactory, MeetingFactory, ProgressUpdateFactory, TaskFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def test_seed_data_starts_with_one_version_of_each_record(seed):
    for model in (Task, ProgressUpdate, Meeting, WorkingGroup, Article, TaskArticle):
        assert model.history.count() == model.objects.count() > 0
    assert set(Task.history.values_list("history_type", flat=True)) == {"+"}


def test_admin_change_is_recorded_with_who_and_the_fields_that_changed(seed, secretariat_client, secretariat):
    task = Task.objects.get(position=6)
    url = reverse("admin:tasks_task_change", args=[task.pk])
    data = change_form_data(secretariat_client.get(url))
    old_title = data["title"]
    data["title"] = "A clearer title for task six"
    assert secretariat_client.post(url, data).status_code == 302

    latest = task.history.first()
    assert (latest.history_type, latest.history_user, latest.title) == ("~", secretariat, data["title"])
    page = secretariat_client.get(reverse("admin:tasks_task_history", args=[task.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "secretariat" in html
    newest = page.context["page_obj"][0]
    assert [change["field"] for change in newest.history_delta_changes] == ["Task"]  # not version, not updated_at
    assert newest.history_delta_changes[0]["new"] == "A clearer title for task six"
    assert newest.history_delta_changes[0]["old"].startswith(old_title[:50])
    assert "<strong>Task:</strong>" in html


def test_history_page_lists_old_and_new_value_of_each_changed_field(secretariat_client):
    update = ProgressUpdateFactory(status=Status.IN_PROGRESS, narrative="Before")
    url = reverse("admin:tasks_progressupdate_change", args=[update.pk])
    data = change_form_data(secretariat_client.get(url))
    data.update({"status": Status.COMPLETED, "narrative": "After"})
    secretariat_client.post(url, data)
    page = secretariat_client.get(reverse("admin:tasks_progressupdate_history", args=[update.pk]))
    changes = [
        entry.history_delta_changes for entry in page.context["page_obj"] if hasattr(entry, "history_delta_changes")
    ]
    [change] = changes
    assert sorted(change, key=lambda c: c["field"]) == [
        {"field": "Progress status", "old": "Before", "new": "After"},
        {"field": "Status", "old": "In progress", "new": "Completed"},
    ]


def test_keeping_the_latest_update_in_step_adds_no_task_history():
    task = TaskFactory()
    versions = task.history.count()
    update = ProgressUpdateFactory(task=task, status=Status.DRAFT)
    update_pk = update.pk
    update.status = Status.COMPLETED
    update.save()
    update.delete()
    assert task.history.count() == versions
    assert ProgressUpdate.history.filter(id=update_pk).count() == 3


def test_saving_an_unchanged_page_adds_no_history(secretariat_client):
    task = TaskFactory()
    ProgressUpdateFactory(task=task)
    url = reverse("admin:tasks_task_change", args=[task.pk])
    assert secretariat_client.post(url, change_form_data(secretariat_client.get(url))).status_code == 302
    assert task.history.count() == 1
    assert ProgressUpdate.history.count() == 1


def test_article_links_are_recorded(secretariat_client, secretariat):
    task = TaskFactory()
    article = ArticleFactory()
    url = reverse("admin:tasks_task_change", args=[task.pk])
    page = secretariat_client.get(url)
    data = change_form_data(page)
    data[f"{inline_prefix(page, TaskArticle)}-0-article"] = str(article.pk)
    assert secretariat_client.post(url, data).status_code == 302
    link = TaskArticle.history.get()
    assert (link.task_id, link.article_id, link.history_user) == (task.pk, article.pk, secretariat)


@pytest.mark.parametrize(
    ("factory", "name", "field", "value"),
    [
        (ArticleFactory, "articles_article", "title", "Paperless trade"),
        (WorkingGroupFactory, "tasks_workinggroup", "description", "Leads the legal tasks."),
        (MeetingFactory, "tasks_meeting", "venue", "Geneva"),
    ],
)
def test_changes_to_articles_groups_and_meetings_are_recorded(
    secretariat_client, secretariat, factory, name, field, value
):
    record = factory()
    url = reverse(f"admin:{name}_change", args=[record.pk])
    data = change_form_data(secretariat_client.get(url))
    data[field] = value
    assert secretariat_client.post(url, data).status_code == 302
    latest = record.history.first()
    assert (getattr(latest, field), latest.history_user) == (value, secretariat)


def test_deleted_update_is_listed_and_can_be_restored(secretariat_client):
    task = TaskFactory()
    older = ProgressUpdateFactory(task=task, reported_on=datetime.date(2020, 1, 1), status=Status.IN_PROGRESS)
    update = ProgressUpdateFactory(task=task, reported_on=datetime.date(2021, 1, 1), narrative="Worth keeping")
    update_pk = update.pk
    delete_url = reverse("admin:tasks_progressupdate_delete", args=[update_pk])
    assert secretariat_client.post(delete_url, {"post": "yes"}).status_code == 302
    task.refresh_from_db()
    assert task.current_update == older

    deleted = secretariat_client.get(reverse("admin:tasks_progressupdate_deleted"))
    [item] = deleted.context["records"]
    assert item["record"].id == update_pk
    page = secretariat_client.get(item["url"])
    assert page.status_code == 200
    assert "Recover deleted" in page.content.decode()
    response = secretariat_client.post(item["url"], change_form_data(page))
    assert response.status_code == 302

    restored = ProgressUpdate.objects.get(pk=update_pk)
    assert restored.narrative == "Worth keeping"
    task.refresh_from_db()
    assert task.current_update == restored
    assert secretariat_client.get(reverse("admin:tasks_progressupdate_deleted")).context["records"] == []


def test_deleted_task_can_be_restored_and_then_its_updates(secretariat_client):
    task = TaskFactory(title="A task deleted by mistake")
    update = ProgressUpdateFactory(task=task, status=Status.DRAFT)
    task_pk, update_pk = task.pk, update.pk
    secretariat_client.post(reverse("admin:tasks_task_delete", args=[task_pk]), {"post": "yes"})
    assert not Task.objects.filter(pk=task_pk).exists()

    for name in ("tasks_task", "tasks_progressupdate"):
        [item] = secretariat_client.get(reverse(f"admin:{name}_deleted")).context["records"]
        page = secretariat_client.get(item["url"])
        assert secretariat_client.post(item["url"], change_form_data(page)).status_code == 302

    task = Task.objects.get(pk=task_pk)
    assert task.title == "A task deleted by mistake"
    assert (task.current_update_id, task.current_status) == (update_pk, Status.DRAFT)


def test_an_update_of_a_deleted_task_waits_for_its_task(secretariat_client):
    task = TaskFactory()
    update = ProgressUpdateFactory(task=task)
    update_pk = update.pk
    task.delete()
    [item] = secretariat_client.get(reverse("admin:tasks_progressupdate_deleted")).context["records"]
    page = secretariat_client.get(item["url"])
    assert page.status_code == 200
    response = secretariat_client.post(item["url"], change_form_data(page))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ProgressUpdate.objects.filter(pk=update_pk).exists()


def test_reverting_to_an_old_version_is_a_new_change(secretariat_client):
    task = TaskFactory(title="First title")
    task.title = "Second title"
    task.save()
    first = task.history.order_by("history_date").first()
    url = reverse("admin:tasks_task_simple_history", args=[task.pk, first.history_id])
    page = secretariat_client.get(url)
    assert secretariat_client.post(url, change_form_data(page)).status_code == 302
    task.refresh_from_db()
    assert (task.title, task.version) == ("First title", 3)
    assert task.history.count() == 3


def test_task_history_page_lists_its_article_links_and_updates(secretariat_client, secretariat):
    task = TaskFactory()
    article = ArticleFactory(number=77)
    link = TaskArticle.objects.create(task=task, article=article)
    update = ProgressUpdateFactory(task=task, status=Status.DRAFT)
    link.delete()
    page = secretariat_client.get(reverse("admin:tasks_task_history", args=[task.pk]))
    html = page.content.decode()
    links = page.context["article_link_history"]
    assert [(record.article_label, record.history_type) for record in links] == [
        ("Article 77", "-"),
        ("Article 77", "+"),
    ]
    assert "Article 77" in html
    assert reverse("admin:tasks_progressupdate_history", args=[update.pk]) in html
