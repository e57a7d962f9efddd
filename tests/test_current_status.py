"""A task's current status is its latest update, by reported-on date then creation."""

import datetime
import random

import pytest
from django.db.models import OuterRef, Subquery

from tasks.current_update import refresh_current_update
from tasks.models import LATEST_FIRST, NO_STATUS_RANK, STATUS_ORDER, ProgressUpdate, Status, Task
from tests.factories import MeetingFactory, ProgressUpdateFactory, TaskFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2021, 5, 1)


def test_task_without_updates_has_no_current_status():
    task = TaskFactory()
    assert task.current_update is None
    assert task.current_status == ""


def test_latest_reported_update_wins_over_a_later_recorded_older_one():
    task = TaskFactory()
    newer = ProgressUpdateFactory(task=task, reported_on=DAY, status=Status.DRAFT)
    ProgressUpdateFactory(task=task, reported_on=DAY - datetime.timedelta(days=30), status=Status.NOT_STARTED)
    task.refresh_from_db()
    assert task.current_update == newer
    assert task.current_status == Status.DRAFT


def test_same_day_updates_are_ordered_by_creation():
    task = TaskFactory()
    ProgressUpdateFactory(task=task, reported_on=DAY, status=Status.IN_PROGRESS)
    second = ProgressUpdateFactory(task=task, reported_on=DAY, status=Status.COMPLETED)
    task.refresh_from_db()
    assert task.current_update == second


def test_editing_and_deleting_updates_moves_the_current_status():
    task = TaskFactory()
    old = ProgressUpdateFactory(task=task, reported_on=DAY, status=Status.IN_PROGRESS)
    new = ProgressUpdateFactory(task=task, reported_on=DAY + datetime.timedelta(days=1), status=Status.DRAFT)
    new.status = Status.COMPLETED
    new.save()
    task.refresh_from_db()
    assert task.current_status == Status.COMPLETED
    new.delete()
    task.refresh_from_db()
    assert (task.current_update, task.current_status) == (old, Status.IN_PROGRESS)
    old.delete()
    task.refresh_from_db()
    assert (task.current_update, task.current_status) == (None, "")


def test_moving_an_update_to_another_task_refreshes_both():
    first, second = TaskFactory(), TaskFactory()
    update = ProgressUpdateFactory(task=first, status=Status.PENDING)
    update.task = second
    update.save()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.current_update is None
    assert second.current_update == update


def computed_latest():
    """The latest update of every task, computed from the updates alone."""
    latest = ProgressUpdate.objects.filter(task=OuterRef("pk")).order_by(*LATEST_FIRST)
    return dict(Task.objects.annotate(latest=Subquery(latest.values("pk")[:1])).values_list("pk", "latest"))


def stored_latest():
    return dict(Task.objects.values_list("pk", "current_update_id"))


def test_denormalised_latest_update_cannot_drift():
    """Random creates, edits, moves and deletes: the stored copy always equals the computed one."""
    rng = random.Random(20160323)
    tasks = [TaskFactory() for _ in range(6)]
    meeting = MeetingFactory(start_date=DAY, end_date=DAY + datetime.timedelta(days=2))
    for step in range(120):
        updates = list(ProgressUpdate.objects.all())
        action = rng.choice(["create", "create", "edit", "move", "delete"]) if updates else "create"
        if action == "create":
            ProgressUpdateFactory(
                task=rng.choice(tasks),
                meeting=rng.choice([None, meeting]),
                reported_on=DAY + datetime.timedelta(days=rng.randint(0, 10)),
                status=rng.choice(Status.values),
            )
        elif action == "edit":
            update = rng.choice(updates)
            update.reported_on = DAY + datetime.timedelta(days=rng.randint(0, 10))
            update.status = rng.choice(Status.values)
            update.save()
        elif action == "move":
            update = rng.choice(updates)
            update.task = rng.choice(tasks)
            update.save()
        else:
            rng.choice(updates).delete()
        assert stored_latest() == computed_latest(), f"drift after step {step} ({action})"
        check_status_copies()


def check_status_copies():
    """The stored status and its rank are those of the stored latest update."""
    for task in Task.objects.select_related("current_update"):
        expected = task.current_update.status if task.current_update else ""
        assert task.current_status == expected
        assert task.current_status_rank == (STATUS_ORDER.index(expected) if expected else NO_STATUS_RANK)


def test_bulk_writes_are_repaired_by_the_refresh_service():
    task = TaskFactory()
    ProgressUpdate.objects.bulk_create(
        [ProgressUpdate(task=task, reported_on=DAY, status=Status.DRAFT, narrative="Bulk-created.")]
    )
    task.refresh_from_db()
    assert task.current_update is None  # bulk_create sends no signal ...
    assert refresh_current_update(task_ids=[task.pk]) == 1  # ... so its callers refresh
    task.refresh_from_db()
    assert task.current_status == Status.DRAFT
    assert stored_latest() == computed_latest()
    check_status_copies()


def test_deleting_a_task_deletes_its_updates():
    update = ProgressUpdateFactory()
    update.task.delete()
    assert not ProgressUpdate.objects.exists()


def test_as_of_a_meeting_shows_the_update_that_stood_then():
    task = TaskFactory()
    first = MeetingFactory(start_date=datetime.date(2021, 1, 10), end_date=datetime.date(2021, 1, 12))
    second = MeetingFactory(start_date=datetime.date(2021, 6, 1), end_date=datetime.date(2021, 6, 2))
    before = MeetingFactory(start_date=datetime.date(2020, 6, 1), end_date=datetime.date(2020, 6, 2))
    undated = MeetingFactory(start_date=None, end_date=None)
    old = ProgressUpdateFactory(task=task, meeting=first, reported_on=datetime.date(2021, 1, 12), status=Status.DRAFT)
    ProgressUpdateFactory(task=task, meeting=second, reported_on=datetime.date(2021, 6, 2), status=Status.COMPLETED)
    later_task = TaskFactory()
    ProgressUpdateFactory(task=later_task, reported_on=datetime.date(2021, 3, 1))

    edition = list(Task.objects.as_of(first))
    assert [(t, t.entry, t.entry.status) for t in edition] == [(task, old, Status.DRAFT)]
    assert [t.entry.status for t in Task.objects.as_of(second)] == [Status.COMPLETED, Status.IN_PROGRESS]
    assert list(Task.objects.as_of(before)) == []
    assert list(Task.objects.as_of(undated)) == []
    current = Task.objects.as_of()
    assert current.count() == 2
    assert {t.entry.status for t in current} == {Status.COMPLETED, Status.IN_PROGRESS}
    assert list(Task.objects.as_of(second).filter(entry__status=Status.COMPLETED)) == [task]


def test_current_table_keeps_tasks_without_updates():
    task = TaskFactory()
    [row] = Task.objects.as_of()
    assert row == task and row.entry is None


def test_deleting_a_task_does_not_refresh_it_once_per_update(django_assert_max_num_queries):
    task = TaskFactory()
    for day in range(30):
        ProgressUpdateFactory(task=task, reported_on=DAY + datetime.timedelta(days=day))
    # One history row per deleted update is how a deleted record is found again; the two
    # refresh UPDATEs per update (163 queries in all) are gone.
    with django_assert_max_num_queries(45):
        task.delete()
    assert not ProgressUpdate.objects.exists()


def test_deleting_tasks_by_queryset_does_not_refresh_them_once_per_update(django_assert_max_num_queries):
    tasks = TaskFactory.create_batch(2)
    for task in tasks:
        for day in range(15):
            ProgressUpdateFactory(task=task, reported_on=DAY + datetime.timedelta(days=day))
    with django_assert_max_num_queries(45):  # as one task's delete, above: the admin's bulk delete goes this way
        Task.objects.filter(pk__in=[task.pk for task in tasks]).delete()
    assert not ProgressUpdate.objects.exists()
