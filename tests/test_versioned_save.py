"""The versioned save's less common paths (force_insert, update_fields, a restore), who may edit an
update whose task is deleted, and what the conflict form says, word for word, and puts in each field."""

import pytest
from django import forms
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tasks.models import ProgressUpdate, Task
from tasks.permissions import can_edit_update
from tests.factories import ProgressUpdateFactory, TaskFactory, UserFactory, WorkingGroupFactory
from versioning.forms import NormalisedTextField, SeenVersionField, VersionedModelForm
from versioning.models import ConcurrentEditError

pytestmark = pytest.mark.django_db


def test_force_insert_inserts_without_claiming_a_version():
    task = TaskFactory()
    copy = Task(pk=task.pk + 1000, position=99, title="Inserted")
    copy.save(force_insert=True)
    copy.refresh_from_db()
    assert copy.version == 1


def test_force_insert_of_a_row_that_exists_is_refused_not_turned_into_an_update():
    task = TaskFactory(title="Stored")
    copy = Task.objects.get(pk=task.pk)
    copy.title = "Inserted over it"
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save(force_insert=True)
    task.refresh_from_db()
    assert (task.title, task.version) == ("Stored", 1)


def test_a_new_record_is_inserted_at_once_without_looking_for_a_version():
    group = WorkingGroupFactory()
    with CaptureQueriesContext(connection) as queries:
        Task(position=5, title="New", lead_group=group).save()
    statements = [query["sql"] for query in queries.captured_queries if query["sql"].startswith(("INSERT", "UPDATE"))]
    assert statements[0].startswith('INSERT INTO "tasks_task"')
    assert not [sql for sql in statements if sql.startswith('UPDATE "tasks_task"')]


def test_one_copy_saved_twice_claims_one_version_a_save_as_the_database_does():
    for record in (TaskFactory(), ProgressUpdateFactory()):  # with derived fields, and without
        record.save()
        record.save()
        assert record.version == type(record).objects.get(pk=record.pk).version == 3


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


# The conflict form.


class TaskForm(VersionedModelForm):
    class Meta:
        model = Task
        fields = ["position", "title", "description", "lead_group"]


def saved_by(user, task, **changes):
    """Save ``changes`` to the task as ``user`` would, with the history naming them."""
    for name, value in changes.items():
        setattr(task, name, value)
    task.save()
    task.history.filter(version=task.version).update(history_user=user)


def form_data(task, seen_version, **changes):
    data = {
        "position": task.position,
        "title": task.title,
        "description": task.description,
        "lead_group": task.lead_group_id or "",
        "seen_version": seen_version,
    }
    return {**data, **changes}


@pytest.fixture
def bob():
    return UserFactory(username="bob")


def test_a_field_both_changed_keeps_yours_and_names_theirs(bob):
    task = TaskFactory(title="Original", description="Kept")
    alice_copy = Task.objects.get(pk=task.pk)
    saved_by(bob, task, title="Bob's title")
    form = TaskForm(form_data(alice_copy, 1, title="Alice's title"), instance=Task.objects.get(pk=task.pk))
    assert not form.is_valid()
    assert form.errors["title"] == ["bob changed this to “Bob's title”. Yours, kept here: “Alice's title”."]
    assert form.data["title"] == "Alice's title"
    assert form.data["seen_version"] == "2"
    [overtaken] = form.non_field_errors()
    assert overtaken.startswith("bob saved this task at ")
    assert overtaken.endswith(
        ", after you opened it, so your changes were not saved. Their changes: Task: “Original” → “Bob's title”. "
        "Your input is kept: check the fields marked and save again."
    )
    assert set(form.errors) == {"title", "__all__"}


def test_a_field_only_they_changed_takes_their_value(bob):
    group = WorkingGroupFactory(name="Legal Working Group")
    task = TaskFactory(title="Original", description="Old description", lead_group=group)
    alice_copy = Task.objects.get(pk=task.pk)
    saved_by(bob, task, description="Bob's description", lead_group=None)
    form = TaskForm(form_data(alice_copy, 1, title="Alice's title"), instance=Task.objects.get(pk=task.pk))
    assert not form.is_valid()
    assert form.errors["description"] == [
        "bob changed this to “Bob's description”; you had not, so their value is now here."
    ]
    assert form.errors["lead_group"] == ["bob changed this to “—”; you had not, so their value is now here."]
    assert (form.data["description"], form.data["lead_group"], form.data["title"]) == (
        "Bob's description",
        "",
        "Alice's title",
    )
    assert "title" not in form.errors


def test_the_same_change_made_by_both_is_no_conflict(bob):
    task = TaskFactory(title="Original", description="Old")
    alice_copy = Task.objects.get(pk=task.pk)
    saved_by(bob, task, title="Same title")
    form = TaskForm(
        form_data(alice_copy, 1, title="Same title", description="Alice's"), instance=Task.objects.get(pk=task.pk)
    )
    assert form.is_valid(), form.errors  # nothing of Bob's would be lost: her save goes through


def test_changes_to_fields_the_form_does_not_hold_do_not_stop_it(bob):
    task = TaskFactory(title="Original", description="Old")
    alice_copy = Task.objects.get(pk=task.pk)
    saved_by(bob, task, description="Bob's")

    class TitleOnly(VersionedModelForm):
        class Meta:
            model = Task
            fields = ["title"]

    form = TitleOnly({"title": "Alice's", "seen_version": 1}, instance=Task.objects.get(pk=task.pk))
    assert form.is_valid(), form.errors
    assert alice_copy.version == 1


def test_a_version_with_no_history_says_the_changes_were_not_recorded(bob):
    task = TaskFactory(title="Original")
    task.history.all().delete()
    saved_by(bob, task, title="Bob's title")
    task.history.filter(version=1).delete()
    form = TaskForm(form_data(task, 1, title="Alice's title"), instance=Task.objects.get(pk=task.pk))
    assert not form.is_valid()
    assert "Their changes: not recorded." in form.non_field_errors()[0]
    assert form.errors["title"] == ["bob changed this to “Bob's title”. Yours, kept here: “Alice's title”."]


def test_the_seen_version_is_optional_never_negative_and_never_a_change():
    task = TaskFactory()
    form = TaskForm(form_data(task, -1), instance=task)
    assert not form.is_valid() and "seen_version" in form.errors
    unchanged = TaskForm({**form_data(task, ""), "seen_version": ""}, instance=task)
    assert unchanged.is_valid(), unchanged.errors
    assert unchanged.changed_data == []
    assert isinstance(TaskForm.base_fields["seen_version"].widget, forms.HiddenInput)


def test_the_seen_version_reads_whole_numbers_from_zero_and_refuses_the_rest():
    field = SeenVersionField()
    assert (field.clean("0"), field.clean(" 12 "), field.clean("")) == (0, 12, None)
    for value in ("x", "-1", "1.5"):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(value)
        assert (refused.value.code, refused.value.messages) == ("invalid", ["Enter a whole number."])


def test_a_stored_text_with_old_line_endings_is_unchanged_by_the_same_text_posted_back():
    field = NormalisedTextField()
    assert field.has_changed("Line one\r\nLine two", "Line one\r\nLine two") is False
    assert field.has_changed("Line one\r\nLine two", "Line one\nLine three") is True
