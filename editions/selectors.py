"""Reads of editions: the published ones, a meeting's, the one before, and the comparison of two tables.

A comparison takes two sides, each an issued edition's frozen rows or the live table (``LIVE``),
and matches them by task. Its counts come from one aggregate query and the changes it lists (at
most ``limit``) from one more (two when tasks were removed), whatever the number of tasks.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from freshness import cache
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
    """A side of a comparison: an edition's frozen rows, one per task (unique index on edition, task)."""

    def __init__(self, edition):
        self.edition = edition
        self.label = str(edition)

    def rows(self, alias):
        """Return (FROM clause, WHERE condition, params) of the side's own rows."""
        return f"{EditionRow._meta.db_table} {alias}", f"{alias}.edition_id = %s", [self.edition.pk]

    def join(self, alias, key):
        """Return (LEFT JOIN clause finding the side's row of task ``key``, params): by the index."""
        table = EditionRow._meta.db_table
        return f"LEFT JOIN {table} {alias} ON {alias}.edition_id = %s AND {alias}.task_id = {key}", [self.edition.pk]

    def columns(self, alias):
        """Return the SQL of (task id, position, title, status, narrative) of a row under ``alias``."""
        return (f"{alias}.task_id", f"{alias}.position", f"{alias}.title", f"{alias}.status", f"{alias}.narrative")


class LiveSide:
    """The table as it stands today: each task's latest update."""

    edition = None
    label = LIVE

    def rows(self, alias):
        return f"{Task._meta.db_table} {alias} {self._update(alias)}", "1 = 1", []

    def join(self, alias, key):
        return f"LEFT JOIN {Task._meta.db_table} {alias} ON {alias}.id = {key} {self._update(alias)}", []

    def _update(self, alias):
        return f"LEFT JOIN {ProgressUpdate._meta.db_table} {alias}_u ON {alias}_u.id = {alias}.current_update_id"

    def columns(self, alias):
        return (
            f"{alias}.id",
            f"{alias}.position",
            f"{alias}.title",
            f"{alias}.current_status",
            f"COALESCE({alias}_u.narrative, '')",
        )


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


# Each table's rows with the other's row of the same task, found by index (two LEFT JOINs: a task
# in the new table only was added, in the old only removed). Plain SQL, the same on both databases.
def _matched(base, other, base_alias, other_alias):
    """Return (FROM ... WHERE, params, base's columns, other's columns): ``base``'s rows with ``other``'s."""
    table, where, params = base.rows(base_alias)
    join, join_params = other.join(other_alias, f"{base_alias}.{'task_id' if base.edition else 'id'}")
    return (
        f"{table} {join} WHERE {where}",
        [*join_params, *params],
        base.columns(base_alias),
        other.columns(other_alias),
    )


def _new_against_old(old, new):
    sql, params, n, o = _matched(new, old, "n", "o")
    added = f"{o[0]} IS NULL"
    both = f"{o[0]} IS NOT NULL"
    conditions = {
        "added": added,
        "status_changed": f"{both} AND {o[3]} <> {n[3]}",
        "narrative_changed": f"{both} AND {o[4]} <> {n[4]}",
    }
    conditions["changed"] = " OR ".join(f"({condition})" for condition in conditions.values())
    conditions["finished"] = (
        f"{conditions['status_changed']} AND {n[3]} IN ('{Status.COMPLETED}', '{Status.CANCELLED}')"
    )
    select = f"{n[0]}, {o[0]}, {n[1]}, {n[2]}, {o[3]}, {n[3]}, COALESCE({o[4]}, ''), {n[4]}"
    return sql, params, conditions, select


def _old_without_new(old, new):
    sql, params, o, n = _matched(old, new, "o", "n")
    select = f"NULL, {o[0]}, {o[1]}, {o[2]}, {o[3]}, NULL, {o[4]}, ''"
    return f"{sql} AND {n[0]} IS NULL", params, select


def compare(old, new, limit=100):
    """Return what changed from side ``old`` to side ``new``: counts, and the first changes in road map order.

    Two issued editions never change, so their comparison is computed once and kept in the cache
    (under both editions' ids and issue times); a comparison with the live table is computed each time.
    """
    if old.edition is not None and new.edition is not None:
        key = comparison_key(old.edition, new.edition, limit)
        counts, listed = cache.get_or_compute(key, lambda: _compared(old, new, limit))
    else:
        counts, listed = _compared(old, new, limit)
    total = counts["changed"] + counts["removed"]
    return {
        "old": old,
        "new": new,
        "counts": counts,
        "changes": listed,
        "total": total,
        "truncated": total > limit,
    }


def comparison_key(old, new, limit=100):
    """Return the cache key of the comparison of two issued editions: their ids and issue times, the limit."""
    parts = (part for edition in (old, new) for part in (edition.pk, edition.issued_at.timestamp()))
    return f"comparison:{limit}:" + ":".join(map(str, parts))


def _compared(old, new, limit):
    """Return (counts, the first ``limit`` changes): one pass over the new table joined with the old.

    The removed tasks are counted without a second pass (the old table's rows less those the new
    one matched) and listed only when there are some.
    """
    sql, params, conditions, select = _new_against_old(old, new)
    old_table, old_where, old_params = old.rows("c")
    sums = ", ".join(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)" for condition in conditions.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {old_table} WHERE {old_where}), COUNT(*), {sums} FROM {sql}",  # noqa: S608  (no value is spliced in)
            [*old_params, *params],
        )
        old_count, new_count, *sums = cursor.fetchone()
        counts = {name: int(value or 0) for name, value in zip(conditions, sums, strict=True)}
        counts["removed"] = old_count - (new_count - counts["added"])
        listed = _listed(cursor, f"SELECT {select} FROM {sql} AND ({conditions['changed']})", params, limit)  # noqa: S608  (no value is spliced in)
        if counts["removed"]:
            removed_sql, removed_params, removed_select = _old_without_new(old, new)
            listed += _listed(cursor, f"SELECT {removed_select} FROM {removed_sql}", removed_params, limit)  # noqa: S608  (no value is spliced in)
    listed.sort(key=lambda change: (change.position, change.task_id))
    return counts, listed[:limit]


def _listed(cursor, sql, params, limit=None):
    order = " ORDER BY 3, 1, 2"  # position, then the task id (new, else old)
    cursor.execute(f"{sql}{order}" + (" LIMIT %s" if limit else ""), [*params, limit] if limit else params)
    return [_change(row) for row in cursor.fetchall()]


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


def every_change(old, new):
    """Yield every change from ``old`` to ``new`` in road map order (for the workbook)."""
    sql, params, conditions, select = _new_against_old(old, new)
    removed_sql, removed_params, removed_select = _old_without_new(old, new)
    with connection.cursor() as cursor:
        changes = _listed(cursor, f"SELECT {select} FROM {sql} AND ({conditions['changed']})", params)  # noqa: S608  (no value is spliced in)
        changes += _listed(cursor, f"SELECT {removed_select} FROM {removed_sql}", removed_params)  # noqa: S608  (no value is spliced in)
    changes.sort(key=lambda change: (change.position, change.task_id))
    yield from changes


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
