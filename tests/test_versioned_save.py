"""The versioned save's less common paths: force_insert, update_fields, a restore, and who may edit
an update whose task is deleted."""

import pytest

from tasks.models import ProgressUpdate, Task
from tasks.permissions import can_edit_update
from tests.factories import ProgressUpdateFactory, TaskFactory, UserFactory
from versioning.models import ConcurrentEditError

pytestmark = pytest.mark.django_db


def test_force_insert_inserts_without_claiming_a_version():
    task = TaskFactory()
    copy = Task(pk=task.pk + 1000, position=99, title="Inserted")
    copy.save(force_insert=True)
    copy.refresh_from_db()
    assert copy.version == 1


def test_update_fields_writes_only_those_fields_and_claims_a_version():
    task = TaskFactory(title="Title", description="Description")
    Task.objects.filter(pk=task.pk).update(description="Changed elsewhere")
    task.title = "New title"
    task.save(update_fields=["title"])
    task.refresh_from_db()
    assert (task.title, task.description, task.version) == ("New title", "Changed elsewhere", 2)


def test_a_save_keeps_the_derived_fields_others_maintain():
    update = ProgressUpdateFactory()
    task = Task.objects.get(pk=update.task_id)
    stale = Task.objects.get(pk=task.pk)
    stale.current_update = None
    stale.current_status = ""
    stale.title = "Retitled"
    stale.save()
    stale.refresh_from_db()
    assert (stale.title, stale.current_update_id, stale.version) == ("Retitled", update.pk, 2)


def test_a_stale_copy_raises_and_names_the_record():
    task = TaskFactory()
    stale = Task.objects.get(pk=task.pk)
    task.save()
    with pytest.raises(ConcurrentEditError, match=rf"tasks.Task {task.pk} was changed since version 1"):
        stale.save()


def test_a_deleted_record_saved_again_is_inserted():
    task = TaskFactory(title="Deleted then restored")
    copy = Task.objects.get(pk=task.pk)
    Task.objects.filter(pk=task.pk).delete()
    copy.save()
    assert Task.objects.filter(pk=task.pk, title="Deleted then restored").exists()


def test_nobody_but_the_secretariat_may_edit_an_update_whose_task_is_deleted(secretariat, twg_editor):
    update = ProgressUpdateFactory()
    orphan = ProgressUpdate(pk=update.pk, task_id=update.task_id)
    Task.objects.filter(pk=update.task_id).delete()
    assert can_edit_update(secretariat, orphan)
    assert not can_edit_update(twg_editor, orphan)
    assert not can_edit_update(UserFactory(is_staff=True), orphan)
