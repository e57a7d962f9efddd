"""A backup (dumpdata) restores into an empty database with every record and its history."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from articles.models import Article
from tasks.models import Meeting, ProgressUpdate, Status, Task, TaskArticle, WorkingGroup
from tests.editions import remove_issued_editions
from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db

BACKED_UP = ["articles", "tasks", "auth.group", "auth.user"]
MODELS = [Article, WorkingGroup, Meeting, Task, TaskArticle, ProgressUpdate]


def snapshot():
    """Return what a restore must bring back: records, their history, groups and accounts."""
    state = {
        "tasks": list(
            Task.objects.values_list("pk", "position", "title", "lead_group__slug", "current_update", "current_status")
        ),
        "updates": list(
            ProgressUpdate.objects.values_list(
                "pk", "task", "reported_on", "status", "narrative", "recorded_by__username"
            )
        ),
        "groups": {
            group.name: sorted(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.all()
        },
        "users": sorted(get_user_model().objects.values_list("username", "is_staff", "password")),
        "editors": sorted(WorkingGroup.objects.values_list("slug", "editors__username")),
    }
    for model in MODELS:
        state[model._meta.label] = sorted(
            model.objects.values_list("pk", "version") if hasattr(model, "version") else model.objects.values_list("pk")
        )
        # JSON keeps times to the millisecond: compare them at that precision.
        state[f"history of {model._meta.label}"] = sorted(
            (history_id, pk, kind, when.replace(microsecond=when.microsecond // 1000 * 1000), user)
            for history_id, pk, kind, when, user in model.history.values_list(
                "history_id", "id", "history_type", "history_date", "history_user__username"
            )
        )
    return state


def flush_within_the_test_transaction():
    """Empty every table, as a restore onto a new server starts from, inside the test's transaction."""
    remove_issued_editions()  # SQLite's flush deletes row by row, which the issued editions' triggers refuse
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still pending in the transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_a_dump_restores_every_task_update_and_history_row(seed, secretariat, twg_editor, tmp_path):
    task = Task.objects.get(position=6)
    update = ProgressUpdateFactory(task=task, reported_on=datetime.date(2017, 3, 24), status=Status.COMPLETED)
    update.recorded_by = secretariat
    update.narrative = "Endorsed at the third meeting."
    update.save()
    Task.objects.get(position=18).delete()  # its history, deletion included, must come back too
    before = snapshot()
    assert len(before["history of tasks.ProgressUpdate"]) > len(before["updates"])

    backup = tmp_path / "roadmap-backup.json"
    call_command("dumpdata", *BACKED_UP, natural_foreign=True, natural_primary=True, output=str(backup), verbosity=0)
    flush_within_the_test_transaction()
    assert not Task.objects.exists()
    assert not Task.history.exists()
    assert not Group.objects.exists()

    call_command("loaddata", str(backup), verbosity=0)

    after = snapshot()
    for key, value in before.items():
        assert after[key] == value, key
