"""`manage.py generate_roadmap`: a large, realistic road map for benchmarks, never mixed in by accident."""

import io
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import OuterRef, Subquery

from tasks.generation import NEXT_STATUS, generate_roadmap, ordinal
from tasks.models import LATEST_FIRST, Meeting, ProgressUpdate, Status, Task, TaskArticle, WorkingGroup
from tests.editions import remove_issued_editions

pytestmark = pytest.mark.django_db


def generate(*args):
    out = io.StringIO()
    call_command("generate_roadmap", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything a reader sees of the road map, without ids or timestamps."""
    meeting_fields = ["short_title", "title", "body", "start_date", "end_date", "venue"]
    meetings = list(Meeting.objects.values_list(*meeting_fields))
    tasks = list(Task.objects.values_list("position", "title", "description", "lead_group__slug", "current_status"))
    links = sorted(TaskArticle.objects.values_list("task__position", "article__number"))
    update_fields = ["task__position", "meeting__short_title", "reported_on", "status", "narrative"]
    updates = sorted(ProgressUpdate.objects.values_list(*update_fields))
    return meetings, tasks, links, updates


def delete_roadmap():
    remove_issued_editions()  # issued editions refuse deletion: lift the triggers, as a flush would
    Task.objects.all().delete()
    Meeting.objects.all().delete()


def test_generates_the_requested_numbers_of_records():
    output = generate("--tasks", "40", "--updates-per-task", "5", "--meetings", "9", "--seed", "3")
    assert "Generated 40 tasks, 200 progress updates and 9 meetings" in output
    assert Task.objects.count() == 40
    assert ProgressUpdate.objects.count() == 200
    assert Meeting.objects.count() == 9
    assert set(WorkingGroup.objects.values_list("slug", flat=True)) == {"lwg", "twg"}
    assert sorted(Task.objects.values_list("position", flat=True)) == list(range(1, 41))
    for task in Task.objects.prefetch_related("updates__meeting", "articles"):
        updates = list(task.updates.all())
        assert len(updates) == 5
        assert len({update.meeting_id for update in updates}) == 5, "one update per meeting"
        assert all(update.reported_on == update.meeting.end_date for update in updates)
        assert all(30 <= len(update.narrative) <= 700 for update in updates)
        assert len(task.articles.all()) <= 3


def test_meetings_span_the_years_in_both_bodies():
    generate("--tasks", "1", "--updates-per-task", "1", "--meetings", "12")
    meetings = list(Meeting.objects.all())
    assert {meeting.start_date.year for meeting in meetings} == {2015, 2016, 2017, 2018}
    assert [meeting.short_title for meeting in meetings[:4]] == ["IISG-1", "LTWG-1", "LTWG-2", "IISG-2"]
    assert meetings[3].title.startswith("Second Meeting of the Interim Intergovernmental Steering Group")
    assert all(meeting.start_date <= meeting.end_date for meeting in meetings)


def test_the_same_seed_gives_the_same_roadmap():
    generate("--tasks", "30", "--updates-per-task", "4", "--meetings", "8", "--seed", "7")
    first = snapshot()
    delete_roadmap()
    generate("--tasks", "30", "--updates-per-task", "4", "--meetings", "8", "--seed", "7")
    assert snapshot() == first
    delete_roadmap()
    generate("--tasks", "30", "--updates-per-task", "4", "--meetings", "8", "--seed", "8")
    assert snapshot()[3] != first[3]


def test_current_status_is_each_tasks_latest_update():
    generate("--tasks", "200", "--updates-per-task", "6", "--meetings", "10")
    latest = ProgressUpdate.objects.filter(task=OuterRef("pk")).order_by(*LATEST_FIRST)
    computed = Task.objects.annotate(
        latest_id=Subquery(latest.values("pk")[:1]), latest_status=Subquery(latest.values("status")[:1])
    )
    rows = list(computed.values_list("current_update_id", "latest_id", "current_status", "latest_status"))
    assert len(rows) == 200
    assert all(stored == expected and status == expected_status for stored, expected, status, expected_status in rows)
    last_meeting_day = {task.pk: max(u.reported_on for u in task.updates.all()) for task in Task.objects.all()}
    for task in Task.objects.select_related("current_update"):
        assert task.current_update.reported_on == last_meeting_day[task.pk]


def test_statuses_move_the_way_a_task_progresses():
    generate("--tasks", "300", "--updates-per-task", "8", "--meetings", "12")
    allowed = {(status, after) for status, moves in NEXT_STATUS.items() for after, _weight in moves}
    for task in Task.objects.prefetch_related("updates"):
        history = [update.status for update in sorted(task.updates.all(), key=lambda u: u.reported_on)]
        assert all(move in allowed for move in pairwise(history)), history
    current = set(Task.objects.values_list("current_status", flat=True))
    assert current == set(Status.values), "the generated table shows every status"


def test_refuses_a_database_that_holds_tasks(seed):
    before = snapshot()
    with pytest.raises(CommandError, match=r"holds 18 tasks and 18 progress updates.*--force"):
        generate("--tasks", "5")
    assert snapshot() == before


def test_force_adds_after_the_existing_road_map_and_keeps_it(seed):
    seeded = snapshot()
    generate("--tasks", "5", "--updates-per-task", "2", "--meetings", "3", "--force")
    assert Task.objects.count() == 23
    assert ProgressUpdate.objects.count() == 18 + 10
    assert list(Task.objects.filter(position__gt=18).values_list("position", flat=True)) == [19, 20, 21, 22, 23]
    meetings, tasks, _links, _updates = snapshot()
    assert set(seeded[0]) <= set(meetings)
    assert set(seeded[1]) <= set(tasks)
    new_meetings = Meeting.objects.exclude(short_title__in=[m[0] for m in seeded[0]])
    assert sorted(new_meetings.values_list("short_title", flat=True)) == ["IISG-6", "LTWG-4", "LTWG-5"]
    assert all(meeting.start_date.year >= 2020 for meeting in new_meetings)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tasks", "0"], "at least 1"),
        (["--tasks", "-5"], "at least 1"),
        (["--tasks", "many"], "not a whole number"),
        (["--tasks", "5", "--updates-per-task", "0"], "at least 1"),
        (["--tasks", "5", "--meetings", "-1"], "at least 1"),
        (["--tasks", "5", "--updates-per-task", "7", "--meetings", "6"], "cannot exceed meetings"),
    ],
)
def test_rejects_bad_numbers(args, message):
    with pytest.raises(CommandError, match=message):
        generate(*args)
    assert not Task.objects.exists()
    assert not Meeting.objects.exists()


def test_the_function_rejects_bad_numbers_too():
    with pytest.raises(ValueError, match="tasks must be a whole number of at least 1"):
        generate_roadmap(tasks=0, updates_per_task=1, meetings=1)


@pytest.mark.parametrize(
    ("number", "word"), [(1, "First"), (12, "Twelfth"), (20, "Twentieth"), (42, "Forty-second"), (103, "103rd")]
)
def test_meetings_are_numbered_in_words(number, word):
    assert ordinal(number) == word
