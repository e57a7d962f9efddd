"""Saving an admin page without changing anything changes nothing: no history row, no new version.

A browser sends a text area's line breaks as "\\r\\n" whatever was stored; these tests post every
admin form that has a text area back as a browser would, with "\\r\\n", and the task page's
progress updates with it.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article
from tasks.models import Meeting, ProgressUpdate, Status, Task, WorkingGroup
from tests.admin_forms import change_form_data, inline_prefix
from tests.factories import (
    ArticleFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    TaskFactory,
    WorkingGroupFactory,
)
from versioning.admin import VersionedAdmin

pytestmark = pytest.mark.django_db

MULTILINE = "First line of the text\nsecond line\n\nafter a blank line"


def as_a_browser_posts(data):
    """Return the page's data with line breaks as a browser sends them."""
    return {key: value.replace("\n", "\r\n") if isinstance(value, str) else value for key, value in data.items()}


def make_records():
    """Return one record with multi-line text for each model the admin edits with a text area."""
    group = WorkingGroupFactory(description=MULTILINE)
    task = TaskFactory(title=MULTILINE, description=MULTILINE, lead_group=group)
    update = ProgressUpdateFactory(task=task, narrative=MULTILINE)
    return {
        Article: ArticleFactory(summary=MULTILINE),
        WorkingGroup: group,
        Task: task,
        ProgressUpdate: update,
        Meeting: MeetingFactory(),
    }


def counts(record):
    record.refresh_from_db()
    return record.version, record.history.count()


def change_url(record):
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def test_every_versioned_admin_with_a_text_area_is_covered(secretariat_client):
    records = make_records()
    with_text_area = set()
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, VersionedAdmin):
            page = secretariat_client.get(change_url(records[model]))
            if "<textarea" in page.content.decode():
                with_text_area.add(model)
    assert with_text_area == {Article, WorkingGroup, Task, ProgressUpdate}


@pytest.mark.parametrize("model", [Article, WorkingGroup, Task, ProgressUpdate, Meeting])
def test_posting_a_page_back_unchanged_records_nothing(secretariat_client, model):
    records = make_records()
    record = records[model]
    before = {key: counts(value) for key, value in records.items()}
    url = change_url(record)
    data = as_a_browser_posts(change_form_data(secretariat_client.get(url)))
    assert any("\r\n" in value for value in data.values() if isinstance(value, str)) or model is Meeting
    data["_continue"] = "1"
    response = secretariat_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    assert {key: counts(value) for key, value in records.items()} == before
    record.refresh_from_db()
    assert "\r" not in "".join(str(value) for value in vars(record).values())


def test_adding_an_update_on_the_task_page_changes_only_that(secretariat_client, secretariat):
    records = make_records()
    task = records[Task]
    older = ProgressUpdateFactory(task=task, narrative="An older report\nover two lines", reported_on="2019-06-01")
    before = {"task": counts(task), "update": counts(records[ProgressUpdate]), "older": counts(older)}
    url = change_url(task)
    page = secretariat_client.get(url)
    data = as_a_browser_posts(change_form_data(page))
    prefix = inline_prefix(page, ProgressUpdate, 0)
    data.update(
        {
            f"{prefix}-0-reported_on": "2020-02-01",
            f"{prefix}-0-status": Status.COMPLETED,
            f"{prefix}-0-narrative": "Completed.\r\nReported in two lines.",
        }
    )
    assert secretariat_client.post(url, data).status_code == 302
    after = {"task": counts(task), "update": counts(records[ProgressUpdate]), "older": counts(older)}
    assert after == before
    added = task.updates.get(reported_on="2020-02-01")
    assert (added.narrative, added.recorded_by, added.history.count()) == (
        "Completed.\nReported in two lines.",
        secretariat,
        1,
    )


def test_editor_saves_a_seed_task_with_line_breaks_unchanged(twg_editor_client):
    task = Task.objects.filter(lead_group__slug="twg", title__contains="\n").first()
    assert task is not None
    stored = task.title
    before = counts(task)
    url = change_url(task)
    data = as_a_browser_posts(change_form_data(twg_editor_client.get(url)))
    data["_continue"] = "1"
    assert twg_editor_client.post(url, data).status_code == 302
    assert counts(task) == before
    assert task.title == stored
    assert not ProgressUpdate.history.filter(task_id=task.pk, history_type="~").exists()


def test_text_is_stored_with_newlines_whatever_the_path():
    task = TaskFactory(title="One\r\ntwo\rthree  \n")
    task.refresh_from_db()
    assert task.title == "One\ntwo\nthree"
    task.description = "A\r\nB"
    task.save()
    task.refresh_from_db()
    assert task.description == "A\nB"


def test_the_migrations_store_text_saved_before_by_the_rule():
    from importlib import import_module

    from django.apps import apps

    records = make_records()
    task, article = records[Task], records[Article]
    Task.objects.filter(pk=task.pk).update(title="Saved\r\nby a browser ")
    Article.objects.filter(pk=article.pk).update(summary="Saved\r\nby a browser")
    before = counts(task), counts(article)
    import_module("tasks.migrations.0009_normalise_stored_text").normalise(apps, None)
    import_module("articles.migrations.0003_normalise_stored_text").normalise(apps, None)
    assert (counts(task), counts(article)) == before
    assert (task.title, article.summary) == ("Saved\nby a browser", "Saved\nby a browser")
