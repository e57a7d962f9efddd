"""Generate a large, realistic road map: for scale benchmarks and for trying the pages at size.

The data reads like the secretariat's: the two working groups and the agreement's articles of the
seed data, steering-group and working-group meetings over the years, tasks that join the road map
at a meeting and move from "Not started" towards "Completed" (some pending, some cancelled), with
narratives in the road map's register. The same seed gives the same road map.

Everything is written with ``bulk_create`` in batches, inside one transaction; as ``bulk_create``
sends no signals, the denormalised latest update is refreshed once at the end.
"""

import datetime
import json
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from articles.models import Article
from freshness.stamp import bump

from .current_update import refresh_current_update
from .models import Meeting, ProgressUpdate, Status, Task, TaskArticle, WorkingGroup
from .signals import roadmap_generated

SEED_FIXTURE = settings.BASE_DIR / "fixtures" / "roadmap_2016.json"
FIRST_YEAR = 2015  # The Interim Intergovernmental Steering Group first met in April 2015.
BATCH_SIZE = 1000  # Rows per INSERT; tasks are also generated this many at a time, to bound memory.

STEERING_GROUP_TITLE = (
    "{ordinal} Meeting of the Interim Intergovernmental Steering Group on Cross-border Paperless Trade Facilitation"
)
WORKING_GROUP_TITLE = "{ordinal} meeting of the Legal and Technical Working Group"
# A year of meetings, as the road map's bodies hold them: (body, month, earliest day).
YEARLY_CYCLE = [
    (Meeting.Body.STEERING_GROUP, 3, 10),
    (Meeting.Body.WORKING_GROUP, 6, 5),
    (Meeting.Body.WORKING_GROUP, 10, 20),
]
OTHER_VENUES = ["Incheon", "Beijing", "Kuala Lumpur", "Manila", "Almaty", "Online"]

TASK_KINDS = [
    ("Guide on", "guide"),
    ("Template for", "template"),
    ("Checklist for", "checklist"),
    ("Model memorandum of understanding on", "model memorandum of understanding"),
    ("Study on", "study"),
    ("List of relevant international standards and best practices for", "list"),
    ("Criteria for", "set of criteria"),
    ("Capacity-building programme on", "programme"),
    ("Pilot project on", "pilot project report"),
    ("Technical specifications for", "technical specifications"),
]
TASK_SUBJECTS = [
    "mutual recognition of electronic signatures and certificates",
    "cross-border exchange of electronic certificates of origin",
    "the exchange of electronic phytosanitary certificates",
    "the interoperability of national single windows",
    "data harmonization based on the WCO Data Model",
    "legal recognition of electronic transferable records",
    "the protection of personal and commercial data exchanged across borders",
    "the cross-border exchange of electronic invoices",
    "electronic customs transit declarations",
    "a national paperless trade readiness assessment",
    "the settlement of disputes arising from cross-border data exchange",
    "trusted third-party services for cross-border paperless trade",
    "the electronic payment of duties and fees",
    "the use of UN/CEFACT standards in trade documents",
    "aligning national laws with the UNCITRAL model laws on electronic commerce",
    "the secure archiving of electronic trade documents",
    "the exchange of sanitary and phytosanitary data",
    "a legal liability framework for cross-border data exchange",
    "the monitoring of the implementation of the Framework Agreement",
    "paperless trade systems for small and medium-sized enterprises",
]
TASK_QUALIFIERS = ["", "", "", " among the Parties", " in Asia and the Pacific", " in landlocked developing countries"]
TASK_DESCRIPTIONS = [
    "Requested by the Steering Group at its last meeting.",
    "Builds on the background study prepared by the secretariat.",
    "To be carried out in cooperation with the partner organizations of the road map.",
]

PARTNERS = [
    "UNCITRAL",
    "the World Customs Organization",
    "UN/CEFACT",
    "the Asian Development Bank",
    "UNNExT experts",
    "the Asia Pacific Trade Facilitation Forum",
]
# Sentences of the "Progress Status" cell, by status; a narrative takes one to four of them.
NARRATIVES = {
    Status.NOT_STARTED: [
        "Work to be initiated by the {group}.",
        "The {group} agreed to take up the task at its next meeting.",
        "Terms of reference for the task are being prepared by the secretariat.",
        "Members were invited to nominate experts to contribute to the {doc}.",
        "The task awaits the completion of related work under the road map.",
    ],
    Status.IN_PROGRESS: [
        "Work initiated. The {group} is in the process of collecting examples from member States.",
        "A background study has been completed.",
        "The {group} is in the process of collecting comments from the members.",
        "{count} member States have shared their national practices.",
        "The secretariat circulated a questionnaire to the members; {count} responses have been received.",
        "Discussion was initiated by the {group}.",
        "An expert group meeting with {partner} was held to review the approach.",
        "An outline of the {doc} was discussed and agreed.",
        "Work to be continued by the {group}.",
    ],
    Status.DRAFT: [
        "A draft {doc} has been prepared and is under further revision by the {group}.",
        "A draft is ready and in the process of further improvement by the {group}.",
        "Comments received from {count} member States have been incorporated in the revised draft.",
        "The {group} is in the process of improving the draft.",
        "The revised draft will be submitted to the Steering Group for its consideration.",
        "The draft was reviewed with {partner}.",
    ],
    Status.COMPLETED: [
        "The {doc} was finalized and endorsed by the Steering Group.",
        "Completed. The final {doc} has been published on the ESCAP website.",
        "The outcome was shared with the members and with {partner}.",
        "No further work is required.",
        "The {doc} is being used in national capacity-building activities.",
    ],
    Status.PENDING: [
        "Pending. The {group} has yet to develop a concept note before including it as a new task.",
        "Pending the outcome of related discussions in {partner}.",
        "Work is on hold until a related task of the road map is completed.",
        "Pending the availability of resources; the secretariat is seeking extrabudgetary funding.",
    ],
    Status.CANCELLED: [
        "The task is to be cancelled in accordance with a decision of the Steering Group.",
        "The task was merged into a related task of the road map.",
        "The task was cancelled, as the issue is addressed under the work of {partner}.",
        "No further work is required.",
    ],
}
FIRST_STATUS = [(Status.NOT_STARTED, 50), (Status.IN_PROGRESS, 40), (Status.PENDING, 10)]
# From one meeting to the next: how a task's status moves (weights; staying put is the most likely).
NEXT_STATUS = {
    Status.NOT_STARTED: [(Status.NOT_STARTED, 72), (Status.IN_PROGRESS, 25), (Status.PENDING, 3)],
    Status.IN_PROGRESS: [(Status.IN_PROGRESS, 80), (Status.DRAFT, 15), (Status.PENDING, 4), (Status.CANCELLED, 1)],
    Status.DRAFT: [(Status.DRAFT, 72), (Status.COMPLETED, 20), (Status.IN_PROGRESS, 8)],
    Status.PENDING: [(Status.PENDING, 65), (Status.IN_PROGRESS, 30), (Status.CANCELLED, 5)],
    Status.COMPLETED: [(Status.COMPLETED, 100)],
    Status.CANCELLED: [(Status.CANCELLED, 100)],
}

FIRST_NINETEEN = [
    *["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"],
    *["eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth"],
    "nineteenth",
]
TENS = ["twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"]  # + "ieth" or "y-first"...


@dataclass(frozen=True)
class GeneratedRoadmap:
    tasks: int
    updates: int
    meetings: int
    seconds: float


def ordinal(number):
    """Return "First", "Twenty-second"... as meeting titles spell them (digits from 100 on)."""
    if number < 20:
        word = FIRST_NINETEEN[number - 1]
    elif number < 100:
        tens, ones = divmod(number, 10)
        word = f"{TENS[tens - 2]}ieth" if ones == 0 else f"{TENS[tens - 2]}y-{FIRST_NINETEEN[ones - 1]}"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10 if number % 100 not in (11, 12, 13) else 0, "th")
        return f"{number}{suffix}"
    return word[0].upper() + word[1:]


def weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def generate_roadmap(*, tasks, updates_per_task, meetings, seed=0):
    """Add a generated road map to the database: tasks, their articles, meetings and updates.

    Adds to what the database holds (positions and meeting numbers continue after the existing
    ones). Each task gets exactly ``updates_per_task`` updates, at distinct meetings, so there
    must be at least as many meetings.
    """
    for name, value in [("tasks", tasks), ("updates_per_task", updates_per_task), ("meetings", meetings)]:
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1 (got {value!r}).")
    if updates_per_task > meetings:
        raise ValueError(
            f"Each task's updates are reported at distinct meetings: updates_per_task ({updates_per_task}) "
            f"cannot exceed meetings ({meetings})."
        )
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (generated records, not secrets)
    with transaction.atomic():
        groups, articles = _ensure_groups_and_articles()
        schedule = _create_meetings(rng, meetings)
        _create_tasks(rng, tasks, updates_per_task, schedule, groups, articles)
        refresh_current_update()
        roadmap_generated.send(sender=generate_roadmap, meetings=schedule)
        bump()  # bulk_create sends no signals: meetings and articles are counted here
    return GeneratedRoadmap(
        tasks=tasks,
        updates=tasks * updates_per_task,
        meetings=meetings,
        seconds=time.perf_counter() - started,
    )


def _ensure_groups_and_articles():
    """Return the lead groups (with their weights) and articles, created from the seed data if missing."""
    records = json.loads(SEED_FIXTURE.read_text())
    groups = {}
    for record in records:
        if record["model"] == "tasks.workinggroup":
            fields = record["fields"]
            groups[fields["slug"]], _ = WorkingGroup.objects.get_or_create(
                slug=fields["slug"], defaults={k: v for k, v in fields.items() if k != "slug"}
            )
        elif record["model"] == "articles.article":
            fields = record["fields"]
            Article.objects.get_or_create(
                number=fields["number"], defaults={k: v for k, v in fields.items() if k != "number"}
            )
    # As in the seed table: most tasks are technical, a few have no lead group yet.
    lead_groups = [(groups["twg"], 55), (groups["lwg"], 40), (None, 5)]
    return lead_groups, list(Article.objects.order_by("number"))


def _create_meetings(rng, count):
    """Create ``count`` meetings, three a year, after the latest existing one; return them in date order."""
    latest = Meeting.objects.aggregate(latest=Max("start_date"))["latest"]
    year = latest.year + 1 if latest else FIRST_YEAR
    taken = set(Meeting.objects.values_list("short_title", flat=True))
    numbers = {body: Meeting.objects.filter(body=body).count() for body in Meeting.Body.values}
    schedule = []
    for index in range(count):
        body, month, earliest_day = YEARLY_CYCLE[index % len(YEARLY_CYCLE)]
        numbers[body] += 1
        prefix = "IISG" if body == Meeting.Body.STEERING_GROUP else "LTWG"
        while f"{prefix}-{numbers[body]}" in taken:
            numbers[body] += 1
        number = numbers[body]
        start = datetime.date(year + index // len(YEARLY_CYCLE), month, earliest_day + rng.randint(0, 7))
        steering = body == Meeting.Body.STEERING_GROUP
        meeting = Meeting(
            title=(STEERING_GROUP_TITLE if steering else WORKING_GROUP_TITLE).format(ordinal=ordinal(number)),
            short_title=f"{prefix}-{number}",
            body=body,
            start_date=start,
            end_date=start + datetime.timedelta(days=rng.randint(1, 2)),
            venue="Bangkok" if steering or rng.random() < 0.6 else rng.choice(OTHER_VENUES),
        )
        if steering:
            rng.randint(3, 5)  # once the agenda item: still drawn, so a seed gives the road map it always gave
        schedule.append(meeting)
    # PostgreSQL and SQLite (3.35+) return the new ids from bulk inserts: the updates can cite them.
    Meeting.objects.bulk_create(schedule, batch_size=BATCH_SIZE)
    return schedule


def _create_tasks(rng, count, updates_per_task, schedule, lead_groups, articles):
    position = (Task.objects.aggregate(last=Max("position"))["last"] or 0) + 1
    for first in range(0, count, BATCH_SIZE):
        size = min(BATCH_SIZE, count - first)
        batch = [_task(rng, position + first + offset, lead_groups) for offset in range(size)]
        Task.objects.bulk_create([task for task, _doc in batch], batch_size=BATCH_SIZE)
        links, updates = [], []
        for task, doc in batch:
            cited = rng.sample(articles, k=min(len(articles), weighted(rng, [(0, 10), (1, 55), (2, 25), (3, 10)])))
            links.extend(TaskArticle(task=task, article=article) for article in cited)
            updates.extend(_updates(rng, task, doc, updates_per_task, schedule))
        TaskArticle.objects.bulk_create(links, batch_size=BATCH_SIZE)
        ProgressUpdate.objects.bulk_create(updates, batch_size=BATCH_SIZE)


def _task(rng, position, lead_groups):
    """Return an unsaved task and the word its narratives use for its output ("guide")."""
    prefix, doc = rng.choice(TASK_KINDS)
    title = f"{prefix} {rng.choice(TASK_SUBJECTS)}{rng.choice(TASK_QUALIFIERS)}"
    description = rng.choice(TASK_DESCRIPTIONS) if rng.random() < 0.2 else ""
    return Task(position=position, title=title, description=description, lead_group=weighted(rng, lead_groups)), doc


def _updates(rng, task, doc, count, schedule):
    """Return a task's updates: one at each of ``count`` meetings from the one it joined the road map at."""
    joined = rng.randint(0, len(schedule) - count)
    at = sorted(rng.sample(range(joined, len(schedule)), count))
    group = task.lead_group.name if task.lead_group else "secretariat"
    status = weighted(rng, FIRST_STATUS)
    updates = []
    for step, index in enumerate(at):
        if step:
            status = weighted(rng, NEXT_STATUS[status])
        meeting = schedule[index]
        updates.append(
            ProgressUpdate(
                task=task,
                meeting=meeting,
                reported_on=meeting.end_date,
                status=status,
                narrative=_narrative(rng, status, group=group, doc=doc),
            )
        )
    return updates


def _narrative(rng, status, *, group, doc):
    sentences = rng.sample(NARRATIVES[status], k=weighted(rng, [(1, 35), (2, 35), (3, 20), (4, 10)]))
    slots = {"group": group, "doc": doc, "count": rng.randint(3, 12), "partner": rng.choice(PARTNERS)}
    text = " ".join(sentence.format(**slots) for sentence in sentences)
    return text[0].upper() + text[1:]
