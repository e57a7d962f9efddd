"""Reads of editions: the published ones, a meeting's, the one before, and the comparison of two tables.

A comparison takes two sides, each an issued edition's frozen rows or the live table (``LIVE``),
and matches them by task. Its counts come from one aggregate query and the changes it lists (at
most ``limit``) from two more, whatever the number of tasks.
"""

import heapq
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce

from tasks.models import Status, Task
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

    def rows(self):
        return EditionRow.objects.filter(edition=self.edition).values(
            "task_id", "position", "title", "status", "narrative"
        )

    def matching(self):
        # No ORDER BY: one row per task (a unique index), found by it, not by scanning the edition in order.
        return EditionRow.objects.filter(edition=self.edition, task_id=OuterRef("task_id")).order_by()

    def lookup(self, field):
        return Subquery(self.matching().values(field)[:1])


class LiveSide:
    """The table as it stands today: each task's latest update."""

    edition = None
    label = LIVE

    def rows(self):
        return Task.objects.annotate(
            task_id=F("pk"),
            status=F("current_status"),
            narrative=Coalesce(F("current_update__narrative"), Value(""), output_field=TextField()),
        ).values("task_id", "position", "title", "status", "narrative")

    def matching(self):
        return Task.objects.filter(pk=OuterRef("task_id")).order_by()

    def lookup(self, field):
        source = {"status": "current_status", "narrative": "current_update__narrative"}[field]
        return Subquery(self.matching().values(source)[:1])


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


def _querysets(old, new):
    """Return the new side's rows with the old side's values, the filters of each kind of change, the removed rows."""
    rows = new.rows().annotate(
        in_old=Exists(old.matching()),
        old_status=old.lookup("status"),
        old_narrative=Coalesce(old.lookup("narrative"), Value(""), output_field=TextField()),
    )
    kinds = {
        "added": Q(in_old=False),
        "status_changed": Q(in_old=True) & ~Q(old_status=F("status")),
        "narrative_changed": Q(in_old=True) & ~Q(old_narrative=F("narrative")),
    }
    kinds["changed"] = kinds["added"] | kinds["status_changed"] | kinds["narrative_changed"]
    kinds["finished"] = kinds["status_changed"] & Q(status__in=[Status.COMPLETED, Status.CANCELLED])
    removed = old.rows().annotate(in_new=Exists(new.matching())).filter(in_new=False)
    return rows, kinds, removed


def _changed(row):
    old_status = row["old_status"] if row["in_old"] else None
    return RowChange(
        row["task_id"], row["position"], row["title"], old_status, row["status"], row["old_narrative"], row["narrative"]
    )


def _removed(row):
    return RowChange(row["task_id"], row["position"], row["title"], row["status"], None, row["narrative"], "")


def compare(old, new, limit=100):
    """Return what changed from side ``old`` to side ``new``: counts, and the first changes in road map order."""
    rows, kinds, removed = _querysets(old, new)
    counts = rows.aggregate(**{name: Count("task_id", filter=condition) for name, condition in kinds.items()})
    counts["removed"] = removed.count()
    order = ("position", "task_id")
    listed = [_changed(row) for row in rows.filter(kinds["changed"]).order_by(*order)[:limit]]
    listed += [_removed(row) for row in removed.order_by(*order)[:limit]]
    listed.sort(key=lambda change: (change.position, change.task_id))
    total = counts["changed"] + counts["removed"]
    return {
        "old": old,
        "new": new,
        "counts": counts,
        "changes": listed[:limit],
        "total": total,
        "truncated": total > limit,
    }


def every_change(old, new):
    """Yield every change from ``old`` to ``new`` in road map order, streamed (for the workbook)."""
    rows, kinds, removed = _querysets(old, new)
    order = ("position", "task_id")
    changed = (_changed(row) for row in rows.filter(kinds["changed"]).order_by(*order).iterator(2000))
    gone = (_removed(row) for row in removed.order_by(*order).iterator(2000))
    yield from heapq.merge(changed, gone, key=lambda change: (change.position, change.task_id))


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
