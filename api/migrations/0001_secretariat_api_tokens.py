"""Let the Secretariat create, list and delete API tokens (django-rest-knox's AuthToken) in the admin.

A token reads the API as its user; the API only reads, and a token opens neither the admin nor any page.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ("add", "view", "delete")


def token_permissions(apps):
    app_config = apps.get_app_config("knox")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="knox", codename__in=[f"{action}_authtoken" for action in ACTIONS]
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    secretariat, _created = Group.objects.get_or_create(name="Secretariat")
    secretariat.permissions.add(*token_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Secretariat"):
        group.permissions.remove(*token_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("knox", "0009_extend_authtoken_field"),
        ("tasks", "0005_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
