"""Reads of editions: the published ones, a meeting's, the one before, and the comparison of two tables.

A comparison takes two sides, each an issued edition's frozen rows or the live table (``LIVE``),
and matches them by task. Its counts come from one aggregate query and the changes it lists (at
most ``limit``) from two more, whatever the number of tasks.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from tasks.models import ProgressUpdate, Status, Task
from tasks.presentation import word_diff

from .models import FROZEN_STATES, Edition, EditionRow, State

LIVE = "live"


def published_editions():
    return Edition.objects.published().select_related("meeting", "group")


def meeting_editions(meeting):
    """Return the meeting's issued and superseded editions, newest first."""
    return list(published_editions().filter(meeting=meeting).order_by("-issued_at", "-pk"))


def previous_issued(edition):
    """Return the issued edition before ``edition``: of an earlier meeting, the same scope, not superseded."""
    return (
        published_editions()
        .filter(state=State.ISSUED, group_id=edition.group_id, articles=edition.articles)
        .filter(
            Q(meeting__start_date__lt=edition.meeting.start_date)
            if edition.meeting.start_date
            else Q(pk__lt=edition.pk)
        )
        .order_by(F("meeting__start_date").desc(nulls_last=True), "-issued_at")
        .first()
    )


def steps(edition, kinds=None):
    found = edition.steps.select_related("user")
    return list(found.filter(kind__in=kinds) if kinds else found)


class EditionSide:
    """A side of a comparison: an edition's frozen rows, one per task."""

    def __init__(self, edition):
        self.edition = edition
        self.label = str(edition)

    def sql(self):
        table = EditionRow._meta.db_table
        sql = f"SELECT task_id, position, title, status, narrative FROM {table} WHERE edition_id = %s"  # noqa: S608
        return sql, [self.edition.pk]


class LiveSide:
    """The table as it stands today: each task's latest update."""

    edition = None
    label = LIVE

    def sql(self):
        tasks, updates = Task._meta.db_table, ProgressUpdate._meta.db_table
        sql = (
            "SELECT t.id AS task_id, t.position, t.title, t.current_status AS status, "  # noqa: S608
            f"COALESCE(u.narrative, '') AS narrative FROM {tasks} t "
            f"LEFT JOIN {updates} u ON u.id = t.current_update_id"
        )
        return sql, []


def side(value):
    """Return the side a ``from``/``to`` parameter names: an edition (issued or superseded) or LIVE."""
    return LiveSide() if value == LIVE else EditionSide(value)


@dataclass
class RowChange:
    task_id: int
    position: int
    title: str
    old_status: str | None  # None: the task was not in the old table
    new_status: str | None  # None: the task is not in the new table
    old_narrative: str
    new_narrative: str

    @property
    def added(self):
        return self.old_status is None

    @property
    def removed(self):
        return self.new_status is None

    @property
    def status_changed(self):
        return not (self.added or self.removed) and self.old_status != self.new_status

    @property
    def narrative_changed(self):
        return not (self.added or self.removed) and self.old_narrative != self.new_narrative

    @property
    def narrative_diff(self):
        return word_diff(self.old_narrative, self.new_narrative) if self.narrative_changed else []

    @property
    def status_label_old(self):
        return Status(self.old_status).label if self.old_status else ""

    @property
    def status_label_new(self):
        return Status(self.new_status).label if self.new_status else ""


# The two tables joined on the task, once: a task in one only was added or removed, in both it may
# have changed status or narrative. Plain SQL (a full outer join), the same on SQLite and PostgreSQL.
ADDED = "o.task_id IS NULL"
REMOVED = "n.task_id IS NULL"
BOTH = "o.task_id IS NOT NULL AND n.task_id IS NOT NULL"
STATUS_CHANGED = f"{BOTH} AND o.status <> n.status"
NARRATIVE_CHANGED = f"{BOTH} AND o.narrative <> n.narrative"
FINISHED = f"{STATUS_CHANGED} AND n.status IN ('{Status.COMPLETED}', '{Status.CANCELLED}')"
CHANGED = f"({ADDED}) OR ({STATUS_CHANGED}) OR ({NARRATIVE_CHANGED})"
COUNTS = {
    "changed": CHANGED,
    "added": ADDED,
    "removed": REMOVED,
    "status_changed": STATUS_CHANGED,
    "narrative_changed": NARRATIVE_CHANGED,
    "finished": FINISHED,
}


def _joined(old, new):
    old_sql, old_params = old.sql()
    new_sql, new_params = new.sql()
    return f"({new_sql}) n FULL OUTER JOIN ({old_sql}) o ON o.task_id = n.task_id", [*new_params, *old_params]


def _changes_sql(old, new):
    joined, params = _joined(old, new)
    sql = (
        "SELECT n.task_id, o.task_id, COALESCE(n.position, o.position), COALESCE(n.title, o.title), "  # noqa: S608
        "o.status, n.status, COALESCE(o.narrative, ''), COALESCE(n.narrative, '') "
        f"FROM {joined} WHERE ({CHANGED}) OR ({REMOVED}) "
        "ORDER BY 3, COALESCE(n.task_id, o.task_id)"
    )
    return sql, params


def _change(row):
    new_id, old_id, position, title, old_status, new_status, old_narrative, new_narrative = row
    return RowChange(
        new_id if new_id is not None else old_id,
        position,
        title,
        None if old_id is None else old_status,
        None if new_id is None else new_status,
        old_narrative,
        new_narrative,
    )


def compare(old, new, limit=100):
    """Return what changed from side ``old`` to side ``new``: counts, and the first changes in road map order."""
    joined, params = _joined(old, new)
    sums = ", ".join(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)" for condition in COUNTS.values())
    sql, change_params = _changes_sql(old, new)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sums} FROM {joined}", params)  # noqa: S608  (no value is spliced in)
        counts = {name: int(value or 0) for name, value in zip(COUNTS, cursor.fetchone(), strict=True)}
        cursor.execute(f"{sql} LIMIT %s", [*change_params, limit])
        listed = [_change(row) for row in cursor.fetchall()]
    total = counts["changed"] + counts["removed"]
    return {"old": old, "new": new, "counts": counts, "changes": listed, "total": total, "truncated": total > limit}


def every_change(old, new):
    """Yield every change from ``old`` to ``new`` in road map order, streamed (for the workbook)."""
    sql, params = _changes_sql(old, new)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(2000):
            yield from (_change(row) for row in rows)


def frozen(edition_id):
    """Return a published edition by id, or None (drafts are never public)."""
    return published_editions().filter(pk=edition_id, state__in=FROZEN_STATES).first()


def _covering(task):
    """Return the issued (not superseded) editions whose scope holds ``task``, with the day they stand on."""
    return (
        Edition.objects.filter(state=State.ISSUED)
        .filter(Q(group__isnull=True) | Q(group_id=task.lead_group_id))
        .annotate(day=Coalesce("meeting__end_date", "meeting__start_date", "document_date"))
        .select_related("meeting")
        .order_by("day", "issued_at")
    )


def covering_editions(update):
    """Return the issued editions that cover ``update``'s date: each stands unchanged, without it."""
    return list(_covering(update.task).filter(day__gte=update.reported_on, issued_at__lt=update.created_at))


def late_reports(task, updates):
    """Return {update id: the first issued edition covering its date that was issued before it was recorded}."""
    editions = list(_covering(task))
    marks = {}
    for update in updates:
        edition = next((e for e in editions if e.day >= update.reported_on and e.issued_at < update.created_at), None)
        if edition is not None:
            marks[update.pk] = edition
    return marks
