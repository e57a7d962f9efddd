"""The one owner of each task's stored latest update: the function that refreshes it and its receivers.

``Task.current_update``, ``current_status`` and ``current_status_rank`` are copies of the
task's latest progress update, kept for sorting and filtering at scale; the updates are the
source of truth. Receivers (not ``save()`` overrides) cover fixtures, cascades and queryset
deletes too. ``bulk_create`` and ``QuerySet.update`` send no signals: their callers (the
generator, the import, the seed loader) call ``refresh_current_update`` themselves.
"""

from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from freshness.stamp import bump

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
        bump()  # QuerySet.update sends no signal: the one bulk writer every bulk path calls counts itself
        return count


@receiver(pre_save, sender=ProgressUpdate)
def remember_previous_task(sender, instance, raw=False, **kwargs):
    """Note the task an existing update belonged to, in case the save moves it."""
    instance._previous_task_id = None
    if instance.pk and not raw:
        instance._previous_task_id = (
            ProgressUpdate.objects.filter(pk=instance.pk).values_list("task_id", flat=True).first()
        )


@receiver(post_save, sender=ProgressUpdate)
@receiver(post_delete, sender=ProgressUpdate)
def refresh_task_after_update_change(sender, instance, origin=None, **kwargs):
    if _deleting_tasks(origin):
        return  # the updates go with their task: there is no task left to refresh
    task_ids = {instance.task_id, getattr(instance, "_previous_task_id", None)} - {None}
    refresh_current_update(task_ids=task_ids)


def _deleting_tasks(origin):
    """Return whether a deletion started from tasks (a Task, or a queryset of them)."""
    model = getattr(origin, "model", None) or type(origin)
    return model is Task
