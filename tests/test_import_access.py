"""Who may import progress updates: the Secretariat every task, a working-group editor their own groups' tasks."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from tasks.models import ProgressUpdate, Status, Task
from tests.factories import UserFactory
from tests.progress_import import IMPORT_URL, confirm, current_rows, page_text, set_row, upload, workbook_bytes

# Who may import.


def import_steps():
    return [
        ("get", reverse(IMPORT_URL)),
        ("post", reverse(IMPORT_URL)),
        ("get", reverse(f"{IMPORT_URL}_template")),
        ("get", reverse(f"{IMPORT_URL}_preview")),
        ("post", reverse(f"{IMPORT_URL}_confirm")),
    ]


def test_staff_without_the_add_permission_get_403_on_every_step(seed, client):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_progressupdate"))
    client.force_login(viewer)
    assert client.get(reverse("admin:tasks_progressupdate_changelist")).status_code == 200
    assert reverse(IMPORT_URL) not in client.get(reverse("admin:tasks_progressupdate_changelist")).content.decode()
    for method, url in import_steps():
        assert getattr(client, method)(url).status_code == 403, url


def test_delegates_and_visitors_never_reach_the_import(seed, client, delegate_client):
    for method, url in import_steps():
        response = getattr(delegate_client, method)(url)
        assert response.status_code == 302 and reverse("admin:login") in response.url, url
    delegate_client.logout()
    for method, url in import_steps():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and reverse("admin:login") in response.url, url


def test_the_upload_needs_the_csrf_token(seed, secretariat):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat)
    response = upload(client, workbook_bytes(current_rows()))
    assert response.status_code == 403


def test_a_working_group_editor_imports_only_for_their_groups_tasks(twg_editor_client):
    rows = current_rows()
    set_row(rows, 6, status="Completed", narrative="Done by the TWG.")  # led by the TWG
    set_row(rows, 2, status="In progress", narrative="Started by the LWG.")  # led by the LWG
    assert upload(twg_editor_client, workbook_bytes(rows)).status_code == 302
    preview = twg_editor_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert preview.context["counts"]["error"] == 1
    assert not preview.context["can_confirm"]
    assert "another working group leads it" in page_text(preview)
    before = ProgressUpdate.objects.count()
    assert confirm(twg_editor_client).status_code == 302
    assert ProgressUpdate.objects.count() == before
    set_row(rows, 2, status="Not started", narrative="Work to be initiated by the Legal Working Group.")
    upload(twg_editor_client, workbook_bytes(rows))
    confirm(twg_editor_client)
    assert Task.objects.get(position=6).current_status == Status.COMPLETED
