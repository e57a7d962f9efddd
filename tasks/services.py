"""Writes that span several models: applying a previewed progress import."""

from django.db import transaction
from django.db.models import Subquery
from simple_history.utils import bulk_create_with_history

from .current_update import refresh_current_update
from .models import ProgressUpdate, Task, report_date_errors
from .spreadsheets.progress_import import CREATE, ERROR


class ImportConflict(Exception):
    """The tasks changed since the import was previewed; nothing was written."""

    def __init__(self, tasks):
        self.tasks = tasks
        super().__init__(", ".join(str(task) for task in tasks))


def apply_progress_import(*, rows, meeting, reported_on, user):
    """Create the progress updates of a previewed import, all or none; return them.

    ``rows`` are ``tasks.spreadsheets.progress_import.ImportRow``s. Each task's updates are locked and checked
    against what the preview compared with: if any task got, lost or changed an update since,
    ImportConflict names them and nothing is written. Rows in error, or a date the rule for an
    update's date refuses, refuse the whole import; rows dated before a later update that nobody
    asked for (``settle_earlier_rows``) are not created.
    """
    _refuse_unappliable(rows, meeting, reported_on)
    checked = {row.task_id: row for row in rows if row.task_id is not None}
    with transaction.atomic():
        _refuse_changed_since_preview(checked, reported_on)
        created = _create_updates(rows, meeting, reported_on, user)
        refresh_current_update(task_ids={update.task_id for update in created})
    return created


def _refuse_unappliable(rows, meeting, reported_on):
    if any(row.action == ERROR for row in rows):
        raise ValueError("an import with rows in error cannot be applied")
    date_errors = report_date_errors(reported_on, meeting)
    if date_errors:
        raise ValueError(" ".join(str(error) for error in date_errors))


def _refuse_changed_since_preview(checked, reported_on):
    """Lock the rows' tasks; raise ImportConflict if any task's updates changed since the preview."""
    standing = ProgressUpdate.objects.standing_on(reported_on)
    # Lock the tasks first (in a fixed order), then read their updates as they now stand.
    locked = list(Task.objects.select_for_update().filter(pk__in=list(checked)).order_by("pk").values_list("pk"))
    now = {
        pk: (compared, version, current)
        for pk, compared, version, current in Task.objects.filter(pk__in=[pk for (pk,) in locked])
        .annotate(
            compared_id=Subquery(standing.values("pk")[:1]),
            compared_version=Subquery(standing.values("version")[:1]),
        )
        .values_list("pk", "compared_id", "compared_version", "current_update_id")
    }
    changed = [
        task_id
        for task_id, row in checked.items()
        if now.get(task_id) != (row.compared_update_id, row.compared_update_version, row.current_update_id)
    ]
    if changed:
        tasks = Task.objects.filter(pk__in=changed).order_by("position", "pk")
        missing = set(changed) - {task.pk for task in tasks}
        raise ImportConflict([*tasks, *(f"#{pk} (deleted)" for pk in sorted(missing))])


def _create_updates(rows, meeting, reported_on, user):
    """Create the rows' updates with their history rows, made by the importing user as an admin edit would be."""
    return bulk_create_with_history(
        [
            ProgressUpdate(
                task_id=row.task_id,
                meeting=meeting,
                reported_on=reported_on,
                status=row.status,
                narrative=row.narrative,
                recorded_by=user,
            )
            for row in rows
            if row.action == CREATE
        ],
        ProgressUpdate,
        default_user=user,
        default_change_reason="Imported from a spreadsheet",
    )
