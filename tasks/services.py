from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from .models import LATEST_FIRST, ProgressUpdate, Task, status_rank


def refresh_current_update(*, task_ids=None):
    """Recompute the denormalised latest update of the given tasks (all when None).

    Two UPDATE statements whatever the number of tasks; the only writer of
    ``Task.current_update``, ``Task.current_status`` and ``Task.current_status_rank``.
    """
    latest = ProgressUpdate.objects.filter(task=OuterRef("pk")).order_by(*LATEST_FIRST)
    tasks = Task.objects.all() if task_ids is None else Task.objects.filter(pk__in=list(task_ids))
    with transaction.atomic():
        count = tasks.update(
            current_update=Subquery(latest.values("pk")[:1]),
            current_status=Coalesce(Subquery(latest.values("status")[:1]), Value("")),
        )
        tasks.update(current_status_rank=status_rank("current_status"))
        return count
