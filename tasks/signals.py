"""Keep each task's denormalised latest update in step with its progress updates.

Receivers (not ``save()`` overrides) so that fixtures, cascades and queryset deletes are
covered too. ``bulk_create`` and ``QuerySet.update`` send no signals: callers of those call
``services.refresh_current_update`` themselves.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import ProgressUpdate, Task
from .services import refresh_current_update


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
