from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from simple_history.utils import bulk_create_with_history

from .imports.xlsx import CREATE, ERROR
from .models import LATEST_FIRST, ProgressUpdate, Task, status_rank


def refresh_current_update(*, task_ids=None):
    """Recompute the denormalised latest update of the given tasks (all when None).

    Two UPDATE statements whatever the number of tasks; the only writer of
    ``Task.current_update``, ``Task.current_status`` and ``Task.current_status_rank``.
    """
    latest = ProgressUpdate.objects.filter(task=OuterRef("pk")).order_by(*LATEST_FIRST)
    tasks = Task.objects.all() if task_ids is None else Task.objects.filter(pk__in=list(task_ids))
    with transaction.atomic():
        # Lock the tasks first: a concurrent writer waits here, and its subqueries below then
        # see every update committed before it got the lock (READ COMMITTED takes a fresh
        # snapshot per statement), so the last writer never stores a stale "latest".
        list(tasks.select_for_update().values_list("pk", flat=True))
        count = tasks.update(
            current_update=Subquery(latest.values("pk")[:1]),
            current_status=Coalesce(Subquery(latest.values("status")[:1]), Value("")),
        )
        tasks.update(current_status_rank=status_rank("current_status"))
        return count


class ImportConflict(Exception):
    """The tasks changed since the import was previewed; nothing was written."""

    def __init__(self, tasks):
        self.tasks = tasks
        super().__init__(", ".join(str(task) for task in tasks))


def apply_progress_import(*, rows, meeting, reported_on, user):
    """Create the progress updates of a previewed import, all or none; return them.

    ``rows`` are ``tasks.imports.xlsx.ImportRow``s. Each task's updates are locked and checked
    against what the preview compared with: if any task got, lost or changed an update since,
    ImportConflict names them and nothing is written. Rows in error refuse the whole import.
    """
    if any(row.action == ERROR for row in rows):
        raise ValueError("an import with rows in error cannot be applied")
    checked = {row.task_id: row for row in rows if row.task_id is not None}
    with transaction.atomic():
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
        # With their history rows, made by the importing user, as an edit in the admin would be.
        created = bulk_create_with_history(
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
        refresh_current_update(task_ids={update.task_id for update in created})
    return created
