"""Working-group editors delete nothing: not even a task's article links (the Roles table's rule).

A removed link cannot be restored from any "Deleted records" list, so removing one is left to the
secretariat; an editor corrects a wrong link by changing its article.
"""

from django.db import migrations

WORKING_GROUP_EDITOR = "Working-group editor"


def remove_delete_right(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name=WORKING_GROUP_EDITOR).first()
    if editor:
        editor.permissions.remove(
            *Permission.objects.filter(content_type__app_label="tasks", codename="delete_taskarticle")
        )


def give_delete_right_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name=WORKING_GROUP_EDITOR).first()
    if editor:
        editor.permissions.add(
            *Permission.objects.filter(content_type__app_label="tasks", codename="delete_taskarticle")
        )


class Migration(migrations.Migration):
    dependencies = [("tasks", "0007_progressupdate_no_get_latest_by")]

    operations = [migrations.RunPython(remove_delete_right, give_delete_right_back)]
