from django.db import migrations, models
from django.db.models import Case, Value, When

STATUS_ORDER = ["not_started", "in_progress", "draft", "completed", "pending", "cancelled"]


def rank_existing_tasks(apps, schema_editor):
    """Fill the new rank from each task's stored current status."""
    Task = apps.get_model("tasks", "Task")
    Task.objects.update(
        current_status_rank=Case(
            *(When(current_status=status, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)),
            default=Value(len(STATUS_ORDER)),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("tasks", "0005_roles")]

    operations = [
        migrations.AddField(
            model_name="task",
            name="current_status_rank",
            field=models.PositiveSmallIntegerField(default=6, editable=False, verbose_name="current status rank"),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["current_status_rank", "position"], name="task_status_rank_idx"),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(fields=["lead_group", "current_status", "position"], name="task_group_status_idx"),
        ),
        migrations.RunPython(rank_existing_tasks, migrations.RunPython.noop),
    ]
