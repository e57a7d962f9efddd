"""Give the roles their permissions: the Secretariat edits everything, a working-group editor
edits the tasks and progress updates of the groups they are an editor of.

Both groups may view every road map record and its history. Which tasks a working-group editor
may change is decided in the admin (tasks.permissions), from WorkingGroup.editors.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT = "Secretariat"
WORKING_GROUP_EDITOR = "Working-group editor"

ROADMAP_MODELS = {
    "articles": ["article"],
    "tasks": ["workinggroup", "meeting", "task", "taskarticle", "progressupdate"],
}
HISTORY_MODELS = {
    "articles": ["historicalarticle"],
    "tasks": [
        "historicalworkinggroup",
        "historicalmeeting",
        "historicaltask",
        "historicaltaskarticle",
        "historicalprogressupdate",
    ],
}
EDITOR_CHANGES = {
    "task": ["add", "change"],
    "progressupdate": ["add", "change"],
    "taskarticle": ["add", "change", "delete"],
}


def ensure_permissions(apps):
    """Create the permissions now: Django only adds them after all migrations have run."""
    for label in ROADMAP_MODELS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def permissions(Permission, models, actions=None):
    found = Permission.objects.none()
    for app_label, names in models.items():
        codenames = [f"{action}_{name}" for name in names for action in (actions or ["view"])]
        found = found | Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    return found


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    secretariat.permissions.add(
        *permissions(Permission, HISTORY_MODELS),
        Permission.objects.get(content_type__app_label="tasks", codename="edit_all_groups"),
    )

    editor, _ = Group.objects.get_or_create(name=WORKING_GROUP_EDITOR)
    editor.permissions.add(*permissions(Permission, ROADMAP_MODELS), *permissions(Permission, HISTORY_MODELS))
    for model, actions in EDITOR_CHANGES.items():
        editor.permissions.add(*permissions(Permission, {"tasks": [model]}, actions))


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.filter(name=WORKING_GROUP_EDITOR).delete()
    secretariat = Group.objects.filter(name=SECRETARIAT).first()
    if secretariat:
        secretariat.permissions.remove(
            *permissions(Permission, HISTORY_MODELS),
            *Permission.objects.filter(content_type__app_label="tasks", codename="edit_all_groups"),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_history_and_version"),
        ("tasks", "0004_history_versions_editors"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
