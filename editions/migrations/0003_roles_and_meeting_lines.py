"""Give the roles their edition permissions, and move the meetings' document lines to editions.

The Secretariat prepares, clears and issues; a working-group editor prepares and submits the
editions of their own group (checked in editions.permissions). Each meeting that recorded
document lines (symbol, distribution, language line, agenda item) gets a draft edition
holding them, before tasks' next migration removes them from the meeting.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SECRETARIAT = "Secretariat"
WORKING_GROUP_EDITOR = "Working-group editor"
VIEW_ONLY = ["view_step", "view_editionrow", "view_editionfile"]
SECRETARIAT_PERMISSIONS = [
    "add_edition",
    "change_edition",
    "delete_edition",  # drafts only (the admin, the model and the database refuse the others)
    "view_edition",
    "prepare_edition",
    "clear_edition",
    "issue_edition",
    *VIEW_ONLY,
]
EDITOR_PERMISSIONS = ["add_edition", "change_edition", "view_edition", "prepare_edition", *VIEW_ONLY]


def _permissions(apps, codenames):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="editions", codename__in=codenames)


def give_permissions(apps, schema_editor):
    app_config = apps.get_app_config("editions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name, codenames in ((SECRETARIAT, SECRETARIAT_PERMISSIONS), (WORKING_GROUP_EDITOR, EDITOR_PERMISSIONS)):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(apps, codenames))


def take_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=[SECRETARIAT, WORKING_GROUP_EDITOR]):
        group.permissions.remove(*_permissions(apps, SECRETARIAT_PERMISSIONS))


def move_meeting_lines(apps, schema_editor):
    Meeting = apps.get_model("tasks", "Meeting")
    Edition = apps.get_model("editions", "Edition")
    Step = apps.get_model("editions", "Step")
    for meeting in Meeting.objects.all():
        lines = (meeting.document_symbol, meeting.distribution, meeting.language_line, meeting.agenda_item)
        if not any(lines):
            continue
        symbol = meeting.document_symbol
        if symbol and Edition.objects.filter(symbol=symbol).exists():
            symbol = ""
        edition = Edition.objects.create(
            meeting=meeting,
            symbol=symbol,
            distribution=meeting.distribution,
            language_line=meeting.language_line,
            agenda_item=meeting.agenda_item,
            document_date=meeting.start_date,
        )
        Step.objects.create(edition=edition, kind="created", comment="The meeting's document lines, moved here.")


def restore_meeting_lines(apps, schema_editor):
    Edition = apps.get_model("editions", "Edition")
    for edition in Edition.objects.filter(state="draft").order_by("pk"):
        meeting = edition.meeting
        meeting.document_symbol = edition.symbol
        meeting.distribution = edition.distribution
        meeting.language_line = edition.language_line
        meeting.agenda_item = edition.agenda_item
        meeting.save()


class Migration(migrations.Migration):
    dependencies = [
        ("editions", "0002_frozen_triggers"),
        ("tasks", "0005_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    # The lines must be read before tasks drops them from the meeting (tasks never depends on editions).
    run_before = [("tasks", "0010_meeting_document_lines_to_editions")]

    operations = [
        migrations.RunPython(give_permissions, take_permissions),
        migrations.RunPython(move_meeting_lines, restore_meeting_lines),
    ]
