"""A small road map built with factories, for the tests that are about pages and filters, not the seed.

Seven tasks, two working groups, three meetings (two dated), every status once or more, a task
with no lead group, a task with no update, a long title, a task reported at both meetings:

    pos  lead  articles  at the first meeting (TM-1)  at the second (TM-2)
    1    LWG   6, 9      in progress
    2    TWG   7, 14     draft
    3    TWG   13        not started
    4    TWG   14        pending
    5    -     -         cancelled
    6    LWG   7         in progress ("UNNExT")     in progress ("benchmarking")
    7    TWG   9, 14     no update

Tests say what they expect in these terms, so that a change to the seed data changes none of them.
"""

import datetime
from types import SimpleNamespace

from tasks.models import Meeting, Status
from tests.factories import ArticleFactory, MeetingFactory, ProgressUpdateFactory, TaskFactory, WorkingGroupFactory

FIRST_END = datetime.date(2016, 3, 25)
SECOND_END = datetime.date(2017, 3, 24)
LONG_TITLE = (
    "Introduce a framework for a mutual recognition programme of trade-related documents "
    "among the parties to the agreement"
)


def build_small_roadmap():
    """Create the road map above; return its records by name (groups, meetings, tasks by position)."""
    lwg = WorkingGroupFactory(name="Legal Working Group", short_name="LWG", slug="lwg", position=1)
    twg = WorkingGroupFactory(name="Technical Working Group", short_name="TWG", slug="twg", position=2)
    articles = {n: ArticleFactory(number=n) for n in (6, 7, 9, 13, 14)}
    articles[9].title = "International standards for exchange of trade-related data"
    articles[9].save()
    first = MeetingFactory(
        title="First Test Meeting of the Steering Group",
        short_title="TM-1",
        body=Meeting.Body.STEERING_GROUP,
        start_date=datetime.date(2016, 3, 23),
        end_date=FIRST_END,
    )
    second = MeetingFactory(
        title="Second Test Meeting of the Steering Group",
        short_title="TM-2",
        body=Meeting.Body.STEERING_GROUP,
        start_date=datetime.date(2017, 3, 22),
        end_date=SECOND_END,
    )
    undated = MeetingFactory(title="Undated Test Meeting", short_title="TM-X", start_date=None, end_date=None)
    rows = [
        (1, "Prepare a legal readiness checklist", lwg, [6, 9], Status.IN_PROGRESS, "Examples are being collected."),
        (2, "Draft a framework for pilot projects", twg, [7, 14], Status.DRAFT, "A draft is under revision."),
        (3, "Survey single window practices", twg, [13], Status.NOT_STARTED, "Not started."),
        (4, LONG_TITLE, twg, [14], Status.PENDING, "Pending. A concept note has yet to be written."),
        (5, "Study liability for electronic records", None, [], Status.CANCELLED, "Cancelled: merged into task 1."),
        (6, "Build capacity for paperless trade", lwg, [7], Status.IN_PROGRESS, "Workshops are planned with UNNExT."),
        (7, "Agree on data standards", twg, [9, 14], None, ""),
    ]
    tasks = {}
    for position, title, group, numbers, status, narrative in rows:
        task = TaskFactory(position=position, title=title, lead_group=group, articles=[articles[n] for n in numbers])
        if status is not None:
            ProgressUpdateFactory(task=task, meeting=first, reported_on=FIRST_END, status=status, narrative=narrative)
        tasks[position] = task
    ProgressUpdateFactory(
        task=tasks[6],
        meeting=second,
        reported_on=SECOND_END,
        status=Status.IN_PROGRESS,
        narrative="Workshops on benchmarking were held in three member States.",
    )
    for task in tasks.values():
        task.refresh_from_db()
    return SimpleNamespace(
        lwg=lwg, twg=twg, articles=articles, first=first, second=second, undated=undated, tasks=tasks
    )
