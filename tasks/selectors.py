"""Reads that span several models: the dashboard's counts, an edition's changes, a task's history."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from articles.models import Article

from .models import LATEST_FIRST, STATUS_ORDER, Meeting, ProgressUpdate, Status, Task, WorkingGroup
from .presentation import NO_STATUS, word_diff


def _counted(rows):
    """Return GROUP BY rows with "no update" as NO_STATUS: [(*keys, status, count)]."""
    return [(*keys, status or NO_STATUS, n) for *keys, status, n in rows]


def _counts_by_group(tasks):
    """Return [(group or None, {status: count})] for every group, then tasks with no group if any."""
    by_group = {}
    for group_id, status, n in _counted(tasks.values_list("lead_group_id", "entry_status").annotate(n=Count("pk"))):
        by_group.setdefault(group_id, {})[status] = n
    groups = [(group, by_group.get(group.pk, {})) for group in WorkingGroup.objects.all()]
    if by_group.get(None):
        groups.append((None, by_group[None]))
    return groups


def _counts_by_article(tasks):
    """Return [(article, [(status, count) in STATUS_ORDER], total)] for the articles tasks cite."""
    counts = {}
    rows = tasks.filter(articles__isnull=False).values_list("articles__number", "entry_status").annotate(n=Count("pk"))
    for number, status, n in _counted(rows):
        counts[(number, status)] = n
    numbers = sorted({number for number, _status in counts})
    return [
        (
            article,
            [(status, counts.get((article.number, status), 0)) for status in STATUS_ORDER],
            sum(n for (number, _status), n in counts.items() if number == article.number),
        )
        for article in Article.objects.filter(number__in=numbers)
    ]


def latest_updates(meeting=None, limit=8):
    """Return the updates recorded last (those known at ``meeting``'s edition), newest first."""
    updates = ProgressUpdate.objects.select_related("task", "meeting").order_by(*LATEST_FIRST)
    if meeting is not None:
        updates = updates.filter(reported_on__lte=meeting.edition_date)
    return list(updates[:limit])


def latest_reporting_meeting():
    """Return the latest dated meeting at which updates were reported."""
    return (
        Meeting.objects.filter(start_date__isnull=False)
        .filter(Exists(ProgressUpdate.objects.filter(meeting=OuterRef("pk"))))
        .order_by("-start_date", "-pk")
        .first()
    )


def dashboard_summary(meeting=None):
    """Return the dashboard's counts for the table now, or as at ``meeting``.

    A fixed number of queries whatever the data size: the counts are GROUP BY queries over
    the same edition of the table (``Task.objects.as_of``) that the status table shows.
    """
    tasks = Task.objects.as_of(meeting).order_by()
    overall = dict(_counted(tasks.values_list("entry_status").annotate(n=Count("pk"))))
    return {
        "meeting": meeting,
        "overall": overall,
        "groups": _counts_by_group(tasks),
        "articles": _counts_by_article(tasks),
        "latest_updates": latest_updates(meeting),
        "latest_meeting": latest_reporting_meeting(),
    }


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


FINISHED = (Status.COMPLETED, Status.CANCELLED)


def _standing(day):
    return Subquery(ProgressUpdate.objects.standing_on(day).values("pk")[:1])


def _compared_tasks(new_day, old_day):
    """Return the tasks in the new edition, with both updates' ids, statuses and narratives joined by id."""
    return (
        Task.objects.annotate(new_id=_standing(new_day))
        .filter(new_id__isnull=False)
        .annotate(
            old_id=_standing(old_day),
            new=FilteredRelation("updates", condition=Q(updates__pk=F("new_id"))),
            old=FilteredRelation("updates", condition=Q(updates__pk=F("old_id"))),
        )
        .annotate(
            new_status=F("new__status"),
            old_status=F("old__status"),
            new_narrative=F("new__narrative"),
            old_narrative=F("old__narrative"),
        )
    )


def _changed_and_counts(tasks):
    """Return the tasks that changed and the counts of each kind of change, in one aggregate query."""
    added = Q(old_id__isnull=True)
    kept = Q(old_id__isnull=False)
    status_changed = kept & ~Q(old_status=F("new_status"))
    narrative_changed = kept & ~Q(old_narrative=F("new_narrative"))
    finished = status_changed & Q(new_status__in=FINISHED)
    counts = tasks.aggregate(
        changed=Count("pk", filter=added | status_changed | narrative_changed),
        added=Count("pk", filter=added),
        status_changed=Count("pk", filter=status_changed),
        narrative_changed=Count("pk", filter=narrative_changed),
        finished=Count("pk", filter=finished),
    )
    return tasks.filter(added | status_changed | narrative_changed), counts


def _first_edition(new_day):
    """Return a first edition's tasks, every one of them new, and its counts."""
    tasks = Task.objects.annotate(new_id=_standing(new_day)).filter(new_id__isnull=False)
    added = tasks.count()
    return tasks, {"changed": added, "added": added, "status_changed": 0, "narrative_changed": 0, "finished": 0}


def edition_changes(meeting, previous, limit=100):
    """Return what changed in the table from ``previous``'s edition to ``meeting``'s.

    Counts come from one aggregate query; the changes listed (at most ``limit``) from two more.
    Per task, only the two updates' ids are looked up; the updates are then joined by id.
    """
    new_day = meeting.edition_date
    if new_day is None:
        return None
    if previous is None:
        changed, counts = _first_edition(new_day)
    else:
        changed, counts = _changed_and_counts(_compared_tasks(new_day, previous.edition_date))
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
        "finished": [c for c in changes if c.status_changed and c.new.status in FINISHED],
    }
