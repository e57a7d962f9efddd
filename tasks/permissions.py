"""Who may edit which tasks: the Secretariat every one, a working-group editor their groups' only.

Model permissions (given to the groups by migration 0005) say what kind of record a user may
add or change; these functions narrow that to the working groups a user is an editor of.
"""

from django.utils.translation import gettext_lazy as _

from .models import Task, WorkingGroup
from .spreadsheets.progress_import import CREATE, EARLIER, ERROR

EDIT_ALL_GROUPS = "tasks.edit_all_groups"
WORKING_GROUP_EDITOR = "Working-group editor"  # the group migration 0005 creates


def edits_all_groups(user):
    """Return whether the user's edits are not limited to some working groups."""
    return user.has_perm(EDIT_ALL_GROUPS)


def editable_groups(user):
    """Return the working groups whose tasks and updates the user may edit."""
    if edits_all_groups(user):
        return WorkingGroup.objects.all()
    if not user.is_authenticated or not user.is_active:
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(editors=user)


def edits_some_group(user):
    """Return whether the user may edit the tasks of at least one working group."""
    return edits_all_groups(user) or editable_groups(user).exists()


def editable_tasks(user):
    """Return the tasks the user may edit (and add progress updates to)."""
    if edits_all_groups(user):
        return Task.objects.all()
    return Task.objects.filter(lead_group__in=editable_groups(user))


def can_edit_task(user, task):
    """Return whether the user may change this task and its progress updates."""
    if edits_all_groups(user):
        return True
    if task is None or task.lead_group_id is None:
        return False
    return editable_groups(user).filter(pk=task.lead_group_id).exists()


def can_edit_update(user, update):
    """Return whether the user may change this progress update (its task may be deleted, when restoring)."""
    if edits_all_groups(user):
        return True
    return can_edit_task(user, Task.objects.filter(pk=update.task_id).first())


def refuse_rows_outside_own_groups(user, rows):
    """Turn import rows that would add an update to a task the user may not edit into errors."""
    if edits_all_groups(user):
        return
    allowed = set(editable_tasks(user).filter(pk__in=[row.task_id for row in rows]).values_list("pk", flat=True))
    for row in rows:
        if row.action in (CREATE, EARLIER) and row.task_id not in allowed:
            row.action = ERROR
            row.errors.append(str(_("You may not add updates to this task: another working group leads it.")))
