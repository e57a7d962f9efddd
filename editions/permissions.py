"""Who may do what with an edition. Checked by the services, so every path (admin, scripts) obeys."""

from tasks.permissions import edits_all_groups


def may_prepare(user, edition=None):
    """Prepare (create, edit while a draft) and submit: the Secretariat any edition, an editor their group's."""
    if not user.has_perm("editions.prepare_edition"):
        return False
    if edits_all_groups(user):
        return True
    if edition is None:
        return user.edited_working_groups.exists()
    return edition.group_id is not None and user.edited_working_groups.filter(pk=edition.group_id).exists()


def may_clear(user):
    return user.has_perm("editions.clear_edition")


def may_issue(user):
    return user.has_perm("editions.issue_edition")
