"""The public pages of issued editions: the list, an edition, its files, comparisons, and tasks' pages."""

import hashlib
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from editions.models import Edition, EditionRow, State
from editions.selectors import LIVE, compare, side
from tasks.models import Meeting, Status, Task
from tests.editions import issued
from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def compare_url(old, new):
    return f"{reverse('editions:compare')}?from={old}&to={new}"


def test_the_list_shows_issued_editions_newest_first(client, two_editions):
    _old, _new = two_editions
    page = client.get(reverse("editions:list")).content.decode()
    assert page.index("ESCAP/PTA/IISG(3)/CRP.1") < page.index("Update on progress status for tasks of the Technical")


def test_the_list_filters_by_meeting_and_ignores_bad_values(client, two_editions):
    old, _new = two_editions
    page = client.get(reverse("editions:list"), {"meeting": old.meeting_id}).content.decode()
    assert "ESCAP/PTA/IISG(3)/CRP.1" not in page and old.title in page
    assert client.get(reverse("editions:list"), {"meeting": "x", "group": "nope", "page": "9"}).status_code == 200


def test_drafts_are_never_public(client, seed, secretariat):
    draft = Edition.objects.create(meeting=Meeting.objects.get(short_title="IISG-3"), symbol="DRAFT/1")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("editions:file", args=[draft.pk, "docx"])).status_code == 404
    assert "DRAFT/1" not in client.get(reverse("editions:list")).content.decode()
    assert client.get(compare_url(draft.pk, "live")).status_code == 404


def test_the_edition_page_shows_lines_steps_and_checksums(client, two_editions):
    _old, new = two_editions
    page = client.get(new.get_absolute_url()).content.decode()
    for stored in new.files.all():
        assert stored.sha256 in page
    assert "Cleared" in page and "clearer" in page
    assert "The framework has been completed." in page


def test_the_downloads_are_the_stored_files_byte_for_byte(client, seed_edition):
    for stored in seed_edition.files.all():
        response = client.get(reverse("editions:file", args=[seed_edition.pk, stored.kind]))
        assert response.status_code == 200
        assert hashlib.sha256(response.content).hexdigest() == stored.sha256
        assert response.content == bytes(stored.content)


def test_the_frozen_table_filters_and_sorts_like_the_status_table(client, seed_edition):
    url = seed_edition.get_absolute_url()
    page = client.get(url, {"article": "8"}).content.decode()
    assert page.count('id="row-') == 2  # the two Article 8 tasks
    page = client.get(url, {"group": "lwg"}).content.decode()
    assert page.count('id="row-') == EditionRow.objects.filter(edition=seed_edition, lead_group_slug="lwg").count()
    page = client.get(url, {"status": "cancelled"}).content.decode()
    assert page.count('id="row-') == 1
    for query in ({"q": "pilot projects"}, {"article": ["7", "14"]}, {"status": ["draft", "pending"]}):
        live = client.get(reverse("tasks:list"), {"meeting": 5, **query}).content.decode().count('id="task-')
        assert client.get(url, query).content.decode().count('id="row-') == live > 0
    page = client.get(url, {"sort": "-status", "per_page": "10"}).content.decode()
    assert page.count('id="row-') == 10
    assert client.get(url, {"sort": "bogus", "article": "x", "page": "99", "status": "nope"}).status_code == 200


def test_the_frozen_table_does_not_follow_the_live_data(client, seed_edition):
    task = Task.objects.get(position=3)
    ProgressUpdateFactory(task=task, reported_on="2016-03-24", status=Status.COMPLETED, narrative="Done, said later.")
    assert "Done, said later." not in client.get(seed_edition.get_absolute_url()).content.decode()
    assert "Done, said later." in client.get(reverse("tasks:list"), {"meeting": 5}).content.decode()


def test_the_comparison_lists_statuses_and_narratives_changed(client, two_editions):
    old, new = two_editions
    response = client.get(compare_url(old.pk, new.pk))
    page = response.content.decode()
    counts = response.context["comparison"]["counts"]
    assert (counts["added"], counts["removed"], counts["status_changed"], counts["narrative_changed"]) == (0, 0, 1, 2)
    assert counts["finished"] == 1
    assert "finalizing" in page and "<ins>" in page


def test_the_comparison_with_today_and_added_or_removed_tasks(client, seed_edition):
    Task.objects.get(position=18).delete()
    new_task = Task.objects.create(position=19, title="A task added later")
    response = client.get(compare_url(seed_edition.pk, "live"))
    counts = response.context["comparison"]["counts"]
    assert counts["added"] == 1 and counts["removed"] == 1
    page = response.content.decode()
    assert "A task added later" in page and f'id="change-{new_task.pk}"' in page


def test_two_editions_compared_with_tasks_removed_and_added_between_them(
    client, seed_edition, secretariat, second_secretariat
):
    Task.objects.get(position=18).delete()
    Task.objects.get(position=17).delete()
    iisg3 = Meeting.objects.get(short_title="IISG-3")
    added = Task.objects.create(position=19, title="A task added later")
    ProgressUpdateFactory(
        task=added, meeting=iisg3, reported_on=iisg3.end_date
    )  # a past edition lists tasks with an update
    later = issued(iisg3, secretariat, second_secretariat)
    comparison = client.get(compare_url(seed_edition.pk, later.pk)).context["comparison"]
    assert (comparison["counts"]["added"], comparison["counts"]["removed"]) == (1, 2)
    assert [(change.position, change.removed) for change in comparison["changes"]] == [
        (17, True),
        (18, True),
        (19, False),
    ]
    backwards = client.get(compare_url(later.pk, seed_edition.pk)).context["comparison"]
    assert (backwards["counts"]["added"], backwards["counts"]["removed"]) == (2, 1)


def test_two_issued_editions_are_compared_once_then_read_from_the_cache(two_editions, django_assert_num_queries):
    old, new = (side(edition) for edition in two_editions)
    first = compare(old, new)
    with django_assert_num_queries(0):
        again = compare(old, new)
    assert again["counts"] == first["counts"] and again["changes"] == first["changes"]
    assert compare(old, new, limit=1)["changes"] == first["changes"][:1]  # each limit its own entry


def test_a_comparison_with_the_live_table_is_never_kept(seed_edition):
    old = side(seed_edition)
    assert compare(old, side(LIVE))["total"] == 0
    ProgressUpdateFactory(task=Task.objects.get(position=3), status=Status.COMPLETED)
    assert compare(old, side(LIVE))["counts"]["status_changed"] == 1


def test_the_comparison_downloads_as_a_changes_sheet(client, two_editions):
    old, new = two_editions
    response = client.get(reverse("editions:compare_xlsx"), {"from": old.pk, "to": new.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Changes"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[1] for row in rows] == [1, 6]
    assert rows[1][4:6] == ("Draft prepared", "Completed")
    assert rows[1][7] == "The framework has been completed."


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("from=1&to=1", 400),
        ("from=abc&to=live", 400),
        ("to=live", 400),
        ("from=1", 400),
        ("from=1&to=yesterday", 400),
        ("from=1&to=999999", 404),
        ("from=99999999999999999999999&to=live", 400),
        ("from=-1&to=live", 400),
    ],
)
def test_bad_comparisons_get_a_clear_answer(client, seed_edition, query, status):
    query = query.replace("from=1", f"from={seed_edition.pk}").replace("to=1", f"to={seed_edition.pk}")
    response = client.get(f"{reverse('editions:compare')}?{query}")
    assert response.status_code == status
    assert client.get(f"{reverse('editions:compare_xlsx')}?{query}").status_code == status


def test_the_meeting_page_shows_its_issued_editions_and_the_comparison(client, two_editions):
    _old, new = two_editions
    page = client.get(new.meeting.get_absolute_url()).content.decode()
    assert "Editions issued to this meeting" in page and "ESCAP/PTA/IISG(3)/CRP.1" in page
    assert 'id="change-counts"' in page and 'id="computed-note"' not in page


def test_a_meeting_without_an_edition_keeps_the_computed_table_labelled(client, seed):
    page = client.get(Meeting.objects.get(short_title="IISG-3").get_absolute_url()).content.decode()
    assert 'id="computed-note"' in page and "Computed, not issued" in page
    assert 'id="status-table"' in page


def test_the_feed_has_an_entry_per_issued_edition(client, two_editions):
    feed = client.get(reverse("tasks:feed")).content.decode()
    assert "Issued: ESCAP/PTA/IISG(3)/CRP.1" in feed
    assert "Issued: Update on progress status for tasks of the Technical Working Group" in feed


def test_the_task_page_marks_an_update_reported_after_the_edition_covering_it(client, seed_edition):
    task = Task.objects.get(position=4)
    late = ProgressUpdateFactory(task=task, reported_on="2016-03-24", narrative="Reported late.")
    on_time = task.updates.exclude(pk=late.pk).get()
    page = client.get(task.get_absolute_url()).content.decode()
    assert f'id="late-{late.pk}"' in page
    assert f'id="late-{on_time.pk}"' not in page
    assert "was issued" in page


def test_pages_cost_a_fixed_number_of_queries(client, two_editions, django_assert_max_num_queries):
    old, new = two_editions
    with django_assert_max_num_queries(13):  # with the change stamp's read
        client.get(new.get_absolute_url())
    with django_assert_max_num_queries(8):
        client.get(compare_url(old.pk, new.pk))
    with django_assert_max_num_queries(8):
        client.get(compare_url(old.pk, "live"))
    with django_assert_max_num_queries(7):
        client.get(reverse("editions:list"))


def test_require_login_closes_the_edition_pages(client, seed_edition, settings):
    settings.ROADMAP_REQUIRE_LOGIN = True
    assert client.get(seed_edition.get_absolute_url()).status_code == 302
    assert client.get(reverse("editions:file", args=[seed_edition.pk, "docx"])).status_code == 302
    assert seed_edition.state == State.ISSUED


def test_the_meeting_page_with_an_edition_answers_an_htmx_request_whole(client, seed_edition):
    url = seed_edition.meeting.get_absolute_url()
    response = client.get(url, {"group": "twg"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert response.status_code == 200
    assert seed_edition.get_absolute_url() in response.content.decode()
