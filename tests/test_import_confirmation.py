"""Confirming an import writes everything or nothing, even when someone else changed a task since the preview."""

import datetime

import pytest
from django.urls import reverse

from tasks.models import ProgressUpdate, Status, Task
from tests.factories import ProgressUpdateFactory
from tests.progress_import import (
    IMPORT_URL,
    SESSION_KEY,
    confirm,
    current_rows,
    page_text,
    set_row,
    upload,
    workbook_bytes,
)

# Someone else records an update between the preview and the confirmation.


@pytest.mark.parametrize(
    "reported_on",
    [datetime.date(2017, 3, 1), datetime.date(2018, 1, 1)],
    ids=["before the import's date", "after it"],
)
def test_a_change_since_the_preview_stops_the_confirmation(seed, secretariat_client, reported_on):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    set_row(rows, 2, status="Completed", narrative="Done too.")
    upload(secretariat_client, workbook_bytes(rows))
    assert secretariat_client.get(reverse(f"{IMPORT_URL}_preview")).context["can_confirm"]
    other = Task.objects.get(position=3)  # a row of the file that the preview found unchanged
    ProgressUpdateFactory(task=other, reported_on=reported_on, status=Status.PENDING, narrative="Meanwhile.")
    before = ProgressUpdate.objects.count()

    response = confirm(secretariat_client)
    assert response.status_code == 302
    assert response.url == reverse(IMPORT_URL)
    assert ProgressUpdate.objects.count() == before
    message = page_text(secretariat_client.get(response.url))
    assert "Nothing was imported" in message
    assert str(other) in message
    assert str(Task.objects.get(position=1)) not in message


def test_a_preview_is_confirmed_once(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    upload(secretariat_client, workbook_bytes(rows))
    token = secretariat_client.session[SESSION_KEY]["token"]
    confirm(secretariat_client)
    count = ProgressUpdate.objects.count()
    again = secretariat_client.post(reverse(f"{IMPORT_URL}_confirm"), {"token": token})
    assert again.status_code == 302
    assert ProgressUpdate.objects.count() == count
    assert "no longer current" in page_text(secretariat_client.get(again.url))


def test_confirm_takes_only_a_post_with_the_preview_token(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 1, status="Completed", narrative="Done.")
    upload(secretariat_client, workbook_bytes(rows))
    assert secretariat_client.get(reverse(f"{IMPORT_URL}_confirm")).status_code == 405
    secretariat_client.post(reverse(f"{IMPORT_URL}_confirm"), {"token": "forged"})
    assert not ProgressUpdate.objects.filter(narrative="Done.").exists()


def test_preview_without_an_upload_goes_back_to_the_form(secretariat_client):
    response = secretariat_client.get(reverse(f"{IMPORT_URL}_preview"))
    assert response.status_code == 302
    assert response.url == reverse(IMPORT_URL)


def test_an_edit_of_the_compared_update_since_the_preview_stops_the_confirmation(seed, secretariat_client):
    rows = current_rows()
    set_row(rows, 5, status="Completed", narrative="Memoranda collected.")
    upload(secretariat_client, workbook_bytes(rows))
    update = Task.objects.get(position=5).current_update
    update.narrative = "Memoranda collected."  # a colleague edits the same update meanwhile
    update.save()
    before = ProgressUpdate.objects.count()
    response = confirm(secretariat_client)
    assert response.url == reverse(IMPORT_URL)
    assert ProgressUpdate.objects.count() == before
    assert "Nothing was imported" in page_text(secretariat_client.get(response.url))
