"""The road map's change stamp moves with every write, whatever path the write takes."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from articles.models import Article
from freshness.receivers import stamped_models
from freshness.stamp import current
from tasks.current_update import refresh_current_update
from tasks.generation import generate_roadmap
from tasks.models import Meeting, ProgressUpdate, Task, TaskArticle, WorkingGroup
from tests.factories import ArticleFactory, ProgressUpdateFactory, TaskFactory

pytestmark = pytest.mark.django_db


def moves(write):
    before = current()
    write()
    after = current()
    return after.counter > before.counter and after.changed_at >= before.changed_at


def test_every_model_of_the_stamped_apps_is_covered():
    covered = set(stamped_models())
    for model in (Article, WorkingGroup, Meeting, Task, TaskArticle, ProgressUpdate, WorkingGroup.editors.through):
        assert model in covered
    assert not any(model.__name__.startswith("Historical") for model in covered)


def test_saves_deletes_and_article_links_move_the_stamp():
    task = TaskFactory()
    article = ArticleFactory()
    assert moves(lambda: setattr(task, "title", "New title") or task.save())
    assert moves(lambda: task.articles.add(article))
    assert moves(lambda: task.articles.remove(article))
    assert moves(lambda: ProgressUpdateFactory(task=task))
    assert moves(lambda: ProgressUpdate.objects.filter(task=task).delete())
    assert moves(lambda: Task.objects.filter(pk=task.pk).delete())


def test_working_group_editors_move_the_stamp(secretariat):
    group = WorkingGroup.objects.create(name="Group", short_name="G", slug="g", position=9)
    assert moves(lambda: group.editors.add(secretariat))
    assert moves(lambda: group.editors.clear())


def test_bulk_paths_move_the_stamp():
    task = TaskFactory()
    assert moves(lambda: refresh_current_update(task_ids=[task.pk]))
    assert moves(lambda: generate_roadmap(tasks=3, updates_per_task=2, meetings=2, seed=1))


def test_loading_the_seed_moves_the_stamp():
    assert moves(lambda: call_command("load_seed", verbosity=0))


def test_a_write_rolled_back_leaves_the_stamp_where_it_was():
    before = current()
    with pytest.raises(RuntimeError), transaction.atomic():
        TaskFactory()
        raise RuntimeError
    assert current() == before


def test_one_transaction_bumps_the_stamp_not_once_per_row():
    task = TaskFactory()
    for day in range(5):
        ProgressUpdateFactory(task=task, reported_on=datetime.date(2020, 1, 1 + day))
    before = current().counter
    with transaction.atomic():
        ProgressUpdate.objects.filter(task=task).delete()
    # One bump in the transaction's block, one in refresh_current_update's savepoint: not five.
    assert before < current().counter <= before + 2
