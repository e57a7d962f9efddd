"""Create the "Secretariat" group, with every permission on the road map's records.

Adding a staff member to this group is all it takes to let them keep the road map.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT = "Secretariat"
ROADMAP_MODELS = {
    "articles": ["article"],
    "tasks": ["workinggroup", "meeting", "task", "taskarticle", "progressupdate"],
}


def ensure_permissions(apps):
    """Create the permissions now: Django only adds them after all migrations have run."""
    for label in ROADMAP_MODELS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_secretariat_group(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=SECRETARIAT)
    for app_label, models in ROADMAP_MODELS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)
        )


def remove_secretariat_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=SECRETARIAT).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("tasks", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_secretariat_group, remove_secretariat_group)]
