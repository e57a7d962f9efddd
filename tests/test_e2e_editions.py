"""Browser test: the secretariat prepares, clears, issues and revises an edition; a delegate reads it.

Ana prepares and submits, Ben clears and issues, each in a browser of their own; then a delegate
opens the issued edition and the comparison. Set EDITION_SCREENSHOTS=<folder> to save the pages
the README shows.
"""

import os
import re
from pathlib import Path

import pytest
from django.test import Client

from editions.models import Edition, State
from tasks.models import Meeting, Status, Task
from tests.factories import ProgressUpdateFactory
from tests.test_e2e import open_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SYMBOL = "ESCAP/PTA/IISG(3)/CRP.1"


def shoot(page, name):
    folder = os.environ.get("EDITION_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def signed_in(browser, live_server, user):
    """Return a page signed in as ``user`` (the session made server-side: no password typed)."""
    client = Client()
    client.force_login(user)
    context, page, errors = open_page(browser, live_server)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context, page, errors


def take_step(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .error").count() == 0, page.locator(".messagelist").inner_text()


def ensure_secretariat_group():
    """Give the Secretariat group its rights again if an earlier transactional test's flush removed it."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name="Secretariat")
    if created:
        group.permissions.add(*Permission.objects.filter(content_type__app_label__in=["editions", "tasks", "articles"]))


@pytest.fixture
def third_meeting(transactional_db):
    from django.core.management import call_command

    ensure_secretariat_group()
    call_command("load_seed", verbosity=0)
    iisg3 = Meeting.objects.get(short_title="IISG-3")
    ProgressUpdateFactory(
        task=Task.objects.get(position=6),
        meeting=iisg3,
        reported_on=iisg3.end_date,
        status=Status.COMPLETED,
        narrative="The framework has been completed by the Technical Working Group.",
    )
    return iisg3


def test_an_edition_from_draft_to_revision(browser, live_server, third_meeting, secretariat, second_secretariat):
    """Ana and Ben take an edition from draft to revision; a delegate reads it."""
    ana_context, ana, ana_errors = signed_in(browser, live_server, secretariat)
    ben_context, ben, ben_errors = signed_in(browser, live_server, second_secretariat)

    # Ana prepares the draft and previews it.
    ana.goto("/admin/editions/edition/add/")
    ana.select_option("#id_meeting", label=third_meeting.title)
    ana.fill("#id_symbol", SYMBOL)
    ana.select_option("#id_distribution", "participants")
    ana.fill("#id_language_line", "English only")
    ana.fill("#id_agenda_item", "4")
    ana.fill("#id_document_date", "2017-03-23")
    ana.fill("#id_introduction", "The working groups updated the progress status of their tasks, as appears below:")
    ana.get_by_role("button", name="Save and continue editing").click()
    ana.wait_for_url(re.compile(r"/admin/editions/edition/\d+/change/$"))
    shoot(ana, "edition-draft")
    ana.get_by_role("link", name="Preview the table and the Word document").click()
    assert "completed by the Technical Working Group" in ana.locator("#preview-table").inner_text()
    shoot(ana, "edition-preview")
    ana.go_back()
    take_step(ana, "Submit for clearance")
    edition = Edition.objects.get(symbol=SYMBOL)
    assert edition.state == State.SUBMITTED

    # Ben, the second pair of eyes, clears and issues it.
    ben.goto(f"/admin/editions/edition/{edition.pk}/change/")
    assert ben.get_by_role("button", name="Submit for clearance").count() == 0
    shoot(ben, "edition-submitted")
    take_step(ben, "Clear")
    take_step(ben, "Issue")
    assert "Issued." in ben.locator(".messagelist").inner_text()
    assert ben.locator("#id_symbol").count() == 0  # read-only now
    edition.refresh_from_db()
    assert edition.state == State.ISSUED and edition.rows.count() == 18

    # A delegate reads it, and compares it with the seed's edition.
    reader_context, reader, reader_errors = open_page(browser, live_server)
    reader.goto("/editions/")
    reader.get_by_role("link", name=SYMBOL).click()
    reader.wait_for_url(re.compile(r"/editions/\d+/$"))
    assert reader.locator("code.sha256").count() == 2
    assert len(reader.locator("#status-table tbody tr").all()) == 18
    shoot(reader, "edition-issued")
    reader.get_by_role("link", name=re.compile("^Compare with Update on progress")).click()
    assert "1 status changed" in reader.locator("#change-counts").inner_text()
    shoot(reader, "edition-comparison")

    # Ana revises it; Ben clears and issues the revision; the first edition is superseded.
    ana.goto(f"/admin/editions/edition/{edition.pk}/change/")
    ana.get_by_role("link", name="Revise").click()
    ana.get_by_role("button", name="Start the revision").click()
    ana.wait_for_url(re.compile(r"/admin/editions/edition/\d+/change/$"))
    assert ana.locator("#id_symbol").input_value() == f"{SYMBOL}/Rev.1"
    take_step(ana, "Submit for clearance")
    revision = Edition.objects.get(revises=edition)
    ben.goto(f"/admin/editions/edition/{revision.pk}/change/")
    take_step(ben, "Clear")
    take_step(ben, "Issue")
    reader.goto(f"/editions/{edition.pk}/")
    banner = reader.locator("#superseded-banner")
    assert "superseded" in banner.inner_text()
    shoot(reader, "edition-superseded")
    banner.get_by_role("link").click()
    reader.wait_for_url(f"**/editions/{revision.pk}/")

    for context in (ana_context, ben_context, reader_context):
        context.close()
    # The admin's pages have no favicon link: the browser's own request for /favicon.ico gets a 404.
    admin_errors = [error for error in ana_errors + ben_errors if "status of 404" not in error]
    assert admin_errors == reader_errors == []
