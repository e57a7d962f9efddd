"""Reads that span several models: the dashboard's counts, an edition's changes, a task's history."""

import difflib
import re
from dataclasses import dataclass

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from .models import LATEST_FIRST, STATUS_ORDER, Meeting, ProgressUpdate, Status, Task, WorkingGroup

NO_STATUS = ""


@dataclass
class StatusSegment:
    status: str
    label: str
    count: int
    start: float  # percent of the bar
    width: float  # percent of the bar


def status_bar(counts):
    """Return the segments of a stacked bar from {status: count}, in reading order."""
    total = sum(counts.values())
    labels = dict(Status.choices)
    segments, start = [], 0.0
    for status in [*STATUS_ORDER, NO_STATUS]:
        count = counts.get(status, 0)
        if not count:
            continue
        width = 100.0 * count / total
        segments.append(StatusSegment(status or "none", labels.get(status, _("No update yet")), count, start, width))
        start += width
    return segments


def dashboard_summary(meeting=None):
    """Return the dashboard's figures for the table now, or as at ``meeting``.

    A fixed number of queries whatever the data size: the counts are GROUP BY queries over
    the same edition of the table (``Task.objects.as_of``) that the status table shows.
    """
    tasks = Task.objects.as_of(meeting).order_by()

    def counted(rows):
        return [(*keys, status or NO_STATUS, n) for *keys, status, n in rows]

    overall = dict(counted(tasks.values_list("entry_status").annotate(n=Count("pk"))))
    by_group = {}
    rows = tasks.values_list("lead_group_id", "entry_status").annotate(n=Count("pk"))
    for group_id, status, n in counted(rows):
        by_group.setdefault(group_id, {})[status] = n
    groups = [
        {
            "group": group,
            "total": sum(by_group.get(group.pk, {}).values()),
            "bar": status_bar(by_group.get(group.pk, {})),
        }
        for group in WorkingGroup.objects.all()
    ]
    if by_group.get(None):
        groups.append({"group": None, "total": sum(by_group[None].values()), "bar": status_bar(by_group[None])})

    matrix_counts = {}
    rows = tasks.filter(articles__isnull=False).values_list("articles__number", "entry_status").annotate(n=Count("pk"))
    for number, status, n in counted(rows):
        matrix_counts[(number, status)] = n
    numbers = sorted({number for number, _ in matrix_counts})
    matrix = [
        {
            "article": article,
            "cells": [(status, matrix_counts.get((article.number, status), 0)) for status in STATUS_ORDER],
            "total": sum(n for (number, _), n in matrix_counts.items() if number == article.number),
        }
        for article in Article.objects.filter(number__in=numbers)
    ]
    updates = ProgressUpdate.objects.select_related("task", "meeting").order_by(*LATEST_FIRST)
    if meeting is not None:
        updates = updates.filter(reported_on__lte=meeting.edition_date)
    latest_meeting = (
        Meeting.objects.filter(start_date__isnull=False)
        .filter(Exists(ProgressUpdate.objects.filter(meeting=OuterRef("pk"))))
        .order_by("-start_date", "-pk")
        .first()
    )
    return {
        "meeting": meeting,
        "total": sum(overall.values()),
        "overall": status_bar(overall),
        "groups": groups,
        "matrix_statuses": [(s, Status(s).label) for s in STATUS_ORDER],
        "matrix": matrix,
        "latest_updates": list(updates[:8]),
        "latest_meeting": latest_meeting,
    }


def word_diff(old, new):
    """Return [(op, text)] turning ``old`` into ``new`` word by word; op is "=", "-" or "+"."""
    old_words = re.findall(r"\s*\S+\s*", old or "")
    new_words = re.findall(r"\s*\S+\s*", new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("=", "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("-", "".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(("+", "".join(new_words[j1:j2])))
    return parts


class UpdateComparison:
    """What changed from an ``old`` progress update (None for a first one) to a ``new`` one."""

    old: ProgressUpdate | None
    new: ProgressUpdate

    @property
    def status_changed(self):
        return self.old is not None and self.old.status != self.new.status

    @property
    def narrative_changed(self):
        return self.old is not None and self.old.narrative != self.new.narrative

    @property
    def narrative_diff(self):
        return word_diff(self.old.narrative, self.new.narrative) if self.narrative_changed else []


@dataclass
class HistoryEntry(UpdateComparison):
    """An update of a task's history, with the one it followed."""

    update: ProgressUpdate
    previous: ProgressUpdate | None

    @property
    def new(self):
        return self.update

    @property
    def old(self):
        return self.previous


def task_history(task):
    """Return the task's updates, newest first, each with the one it followed."""
    updates = list(task.updates.select_related("meeting").order_by(*LATEST_FIRST))
    return [HistoryEntry(update, updates[i + 1] if i + 1 < len(updates) else None) for i, update in enumerate(updates)]


def previous_edition_meeting(meeting):
    """Return the latest meeting before ``meeting`` at which the table had updates."""
    day = meeting.edition_date
    if day is None:
        return None
    return (
        Meeting.objects.filter(start_date__isnull=False)
        .exclude(pk=meeting.pk)
        .filter(Q(end_date__lt=day) | Q(end_date__isnull=True, start_date__lt=day))
        .filter(Exists(ProgressUpdate.objects.filter(meeting=OuterRef("pk"))))
        .order_by(Coalesce("end_date", "start_date").desc(), "-pk")
        .first()
    )


@dataclass
class Change(UpdateComparison):
    """A task's row in a meeting's edition against the previous edition."""

    task: Task
    old: ProgressUpdate | None
    new: ProgressUpdate


def edition_changes(meeting, previous, limit=100):
    """Return what changed in the table from ``previous``'s edition to ``meeting``'s.

    Counts come from one aggregate query; the changes listed (at most ``limit``) from two more.
    Per task, only the two updates' ids are looked up; the updates are then joined by id.
    """
    new_day = meeting.edition_date
    if new_day is None:
        return None

    def standing(day):
        return Subquery(ProgressUpdate.objects.standing_on(day).values("pk")[:1])

    tasks = Task.objects.annotate(new_id=standing(new_day)).filter(new_id__isnull=False)
    if previous is not None:
        # Two ids per task, then both updates joined on their primary key, compared column to column.
        tasks = tasks.annotate(
            old_id=standing(previous.edition_date),
            new=FilteredRelation("updates", condition=Q(updates__pk=F("new_id"))),
            old=FilteredRelation("updates", condition=Q(updates__pk=F("old_id"))),
        ).annotate(
            new_status=F("new__status"),
            old_status=F("old__status"),
            new_narrative=F("new__narrative"),
            old_narrative=F("old__narrative"),
        )
        added = Q(old_id__isnull=True)
        kept = Q(old_id__isnull=False)
        status_changed = kept & ~Q(old_status=F("new_status"))
        narrative_changed = kept & ~Q(old_narrative=F("new_narrative"))
        finished = status_changed & Q(new_status__in=[Status.COMPLETED, Status.CANCELLED])
        changed = tasks.filter(added | status_changed | narrative_changed)
        counts = tasks.aggregate(
            changed=Count("pk", filter=added | status_changed | narrative_changed),
            added=Count("pk", filter=added),
            status_changed=Count("pk", filter=status_changed),
            narrative_changed=Count("pk", filter=narrative_changed),
            finished=Count("pk", filter=finished),
        )
    else:
        changed = tasks  # the first edition: every task in it is new
        added = tasks.count()
        counts = {"changed": added, "added": added, "status_changed": 0, "narrative_changed": 0, "finished": 0}
    rows = list(changed.select_related("lead_group").order_by("position", "pk")[:limit])
    ids = {row.new_id for row in rows} | {getattr(row, "old_id", None) for row in rows}
    updates = ProgressUpdate.objects.select_related("meeting").in_bulk(ids - {None})
    changes = [Change(row, updates.get(getattr(row, "old_id", None)), updates[row.new_id]) for row in rows]
    total = counts["changed"]
    return {
        "counts": counts,
        "changes": changes,
        "total": total,
        "truncated": total > len(changes),
        "added": [c for c in changes if c.old is None],
        "status_changed": [c for c in changes if c.status_changed],
        "narrative_changed": [c for c in changes if c.narrative_changed],
        "finished": [c for c in changes if c.status_changed and c.new.status in (Status.COMPLETED, Status.CANCELLED)],
    }
