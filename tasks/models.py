import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, FilteredRelation, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles.models import cite_articles
from translations.fields import translations_of
from translations.states import shown_text
from versioning.models import VersionedModel

from .formatting import date_range, short_title

# The order that decides which update is a task's latest: one definition, used everywhere.
LATEST_FIRST = ("-reported_on", "-created_at", "-pk")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DRAFT = "draft", _("Draft prepared")
    COMPLETED = "completed", _("Completed")
    PENDING = "pending", _("Pending")
    CANCELLED = "cancelled", _("Cancelled")


# The order a reader expects: from not started to done, then the ones set aside.
STATUS_ORDER = [
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.DRAFT,
    Status.COMPLETED,
    Status.PENDING,
    Status.CANCELLED,
]
NO_STATUS_RANK = len(STATUS_ORDER)  # tasks with no update sort last


def status_rank(field):
    """Return an expression ranking the status in ``field`` in reading order."""
    return Case(
        *(When(**{field: status}, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)),
        default=Value(NO_STATUS_RANK),
        output_field=models.PositiveSmallIntegerField(),
    )


class WorkingGroup(VersionedModel, translations_of("WorkingGroup", __name__, name=(_("name"), 200))):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=20, unique=True)
    slug = models.SlugField(_("slug"), max_length=20, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="edited_working_groups",
        limit_choices_to={"is_staff": True},
        verbose_name=_("editors"),
        help_text=_(
            'Staff members in the "Working-group editor" group who may add and change this group\'s '
            "tasks and progress updates."
        ),
    )

    history = HistoricalRecords()
    translated_fields = ("name",)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        permissions = [("edit_all_groups", _("Can edit the tasks and updates of every working group"))]

    def __str__(self):
        return shown_text(self, "name")

    def get_absolute_url(self):
        return reverse("tasks:group", kwargs={"slug": self.slug})


class Meeting(
    VersionedModel,
    translations_of("Meeting", __name__, title=(_("title"), 255), venue=(_("venue"), 200)),
):
    # How a meeting document is distributed: the "Distr.:" line (editions.Edition records it).
    class Distribution(models.TextChoices):
        # Translators: the "Distr.:" line of a meeting document, as the UN writes it in the language.
        # The Organization's Russian and Chinese documents keep "Distr.: General" in English.
        GENERAL = "general", _("General")
        PARTICIPANTS = "participants", _("For participants only")

    class Body(models.TextChoices):
        STEERING_GROUP = "steering_group", _("Steering group")
        WORKING_GROUP = "working_group", _("Working group")

    title = models.CharField(_("title"), max_length=255)
    short_title = models.CharField(_("short title"), max_length=40, unique=True)
    body = models.CharField(_("body"), max_length=20, choices=Body)
    start_date = models.DateField(_("start date"), null=True, blank=True, help_text=_("Leave blank if not verified."))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Leave blank if not verified."))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    history = HistoricalRecords()
    translated_fields = ("title", "venue")

    class Meta:
        ordering = [F("start_date").asc(nulls_last=True), "title"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="meeting_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False),
                name="meeting_end_date_needs_start_date",
            ),
        ]

    def __str__(self):
        return shown_text(self, "title")

    def get_absolute_url(self):
        return reverse("tasks:meeting", kwargs={"pk": self.pk})

    @property
    def dates(self):
        """Return the meeting's dates as pages give them (an en dash between days), "" when not recorded."""
        return date_range(self.start_date, self.end_date)

    @property
    def edition_date(self):
        """Return the date an edition of the table "as at" this meeting stands on."""
        return self.end_date or self.start_date


class TaskQuerySet(models.QuerySet):
    def with_current_status(self):
        """Return tasks with their latest update (and its meeting) joined in."""
        return self.select_related("lead_group", "current_update", "current_update__meeting")

    def as_of(self, when=None):
        """Return the status table as it stood at a meeting (or on a date; now when None).

        Each task carries ``entry``, the progress update shown for it: the latest one reported
        on or before the meeting's end date. Tasks with no update by then are left out of a
        past edition; the current table keeps them, with ``entry`` None. ``entry_status`` is
        that update's status ("" for none) and ``entry_rank`` its place in STATUS_ORDER, for
        filtering and sorting: now, they are the indexed ``current_status`` and
        ``current_status_rank`` columns, so the current table needs no join to filter or sort.
        """
        day = when.edition_date if isinstance(when, Meeting) else when
        if day is None and isinstance(when, Meeting):
            return self.none()
        if day is None:
            tasks = self.annotate(entry_status=F("current_status"), entry_rank=F("current_status_rank"))
            update_id = F("current_update_id")
        else:
            standing = ProgressUpdate.objects.standing_on(day)
            tasks = self.annotate(
                entry_id=Subquery(standing.values("pk")[:1]),
                entry_status=Subquery(standing.values("status")[:1]),
            ).filter(entry_id__isnull=False)
            tasks = tasks.annotate(entry_rank=status_rank("entry_status"))
            update_id = F("entry_id")
        return tasks.annotate(entry=FilteredRelation("updates", condition=Q(updates__pk=update_id))).select_related(
            "lead_group", "entry", "entry__meeting"
        )


class Task(
    VersionedModel,
    translations_of("Task", __name__, title=(_("task"), None), description=(_("description"), None)),
):
    position = models.PositiveIntegerField(
        _("position"), db_index=True, help_text=_("Order of the task in the road map table.")
    )
    title = models.TextField(_("task"), help_text=_('The "Tasks" cell of the road map table.'))
    description = models.TextField(_("description"), blank=True)
    lead_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("lead working group"),
    )
    articles = models.ManyToManyField(
        "articles.Article",
        through="TaskArticle",
        blank=True,
        related_name="tasks",
        verbose_name=_("relevant articles"),
    )
    # Denormalised copies of the latest progress update, for sorting and filtering at scale.
    # Only tasks.current_update.refresh_current_update() writes them; the updates are the source of truth.
    current_update = models.ForeignKey(
        "ProgressUpdate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("latest update"),
    )
    current_status = models.CharField(_("current status"), max_length=20, choices=Status, blank=True, editable=False)
    current_status_rank = models.PositiveSmallIntegerField(
        _("current status rank"), default=NO_STATUS_RANK, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = TaskQuerySet.as_manager()
    # The denormalised copies are left out of the history: they change with the updates,
    # whose own history records each change.
    history = HistoricalRecords(excluded_fields=["current_update", "current_status", "current_status_rank"])
    derived_fields = ("current_update", "current_status")
    translated_fields = ("title", "description")

    # The update shown for the task in a table edition; set by TaskQuerySet.as_of().
    entry = None

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["current_status", "position"], name="task_status_position_idx"),
            models.Index(fields=["current_status_rank", "position"], name="task_status_rank_idx"),
            models.Index(fields=["lead_group", "current_status", "position"], name="task_group_status_idx"),
        ]

    def __str__(self):
        return f"{self.position}. {short_title(shown_text(self, 'title'))}"

    def get_absolute_url(self):
        return reverse("tasks:detail", kwargs={"pk": self.pk})

    @property
    def articles_label(self):
        """Return the task's articles as the meeting document cites them."""
        return cite_articles(article.number for article in self.articles.all())


class TaskArticle(models.Model):
    """A task implements an article. An article that tasks cite cannot be deleted."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="article_links")
    article = models.ForeignKey("articles.Article", on_delete=models.PROTECT, related_name="task_links")

    history = HistoricalRecords()

    class Meta:
        ordering = ["article__number"]
        verbose_name = _("relevant article")
        verbose_name_plural = _("relevant articles")
        constraints = [models.UniqueConstraint(fields=["task", "article"], name="task_article_unique")]

    def __str__(self):
        return str(self.article.label)


# An update attached to a meeting is what was reported there: dated from the meeting's first day
# to at most this long after its last (the report written up after it), never later.
REPORT_AFTER_MEETING = datetime.timedelta(days=92)


def report_date_errors(reported_on, meeting):
    """Return why an update cannot be dated ``reported_on`` at ``meeting`` (None for none): [] when it can.

    The one rule for every path that records updates (the admin's forms, the import, the command):
    not in the future (in the project's time zone), not before the meeting starts, and not more
    than three months after it ends (an update reported later belongs to a later meeting, or none).
    """
    if reported_on is None:
        return []
    errors = []
    if reported_on > timezone.localdate():
        errors.append(_("The reported-on date %(date)s is in the future.") % {"date": date_format(reported_on)})
    if meeting is None:
        return errors
    if meeting.start_date and reported_on < meeting.start_date:
        errors.append(
            _("The meeting starts on %(start)s, after the reported-on date %(date)s.")
            % {"start": date_format(meeting.start_date), "date": date_format(reported_on)}
        )
    last_day = meeting.end_date or meeting.start_date
    if last_day and reported_on > last_day + REPORT_AFTER_MEETING:
        errors.append(
            _(
                "The meeting ended on %(end)s, more than three months before the reported-on date %(date)s: "
                "an update reported that late is not that meeting's. Choose the meeting it was reported at, "
                "or none."
            )
            % {"end": date_format(last_day), "date": date_format(reported_on)}
        )
    return errors


class ProgressUpdateQuerySet(models.QuerySet):
    def standing_on(self, day, task=None):
        """Return the updates of a task (of the outer query by default) reported by ``day``, latest first.

        Its first row is the update that stood for the task on that day: the one rule behind
        every edition of the table.
        """
        return self.filter(task=OuterRef("pk") if task is None else task, reported_on__lte=day).order_by(*LATEST_FIRST)


class ProgressUpdate(
    VersionedModel, translations_of("ProgressUpdate", __name__, narrative=(_("progress status"), None))
):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates", verbose_name=_("task"))
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("meeting"),
        help_text=_("The meeting at which this status was reported, if any."),
    )
    reported_on = models.DateField(_("reported on"))
    status = models.CharField(_("status"), max_length=20, choices=Status)
    narrative = models.TextField(_("progress status"), help_text=_('The "Progress Status" cell, as reported.'))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ProgressUpdateQuerySet.as_manager()
    history = HistoricalRecords()
    translated_fields = ("narrative",)

    class Meta:
        ordering = LATEST_FIRST
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [
            models.Index(fields=["task", "-reported_on", "-created_at", "-id"], name="update_task_latest_idx"),
            models.Index(fields=["-reported_on", "-created_at"], name="update_latest_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=Status.values), name="update_status_valid"),
        ]

    def __str__(self):
        try:
            task = f"#{self.task.position}"
        except Task.DoesNotExist:  # a deleted update, seen in its history, whose task is deleted too
            task = _("a deleted task")
        return _("%(task)s — %(status)s on %(date)s") % {
            "task": task,
            "status": self.get_status_display(),
            "date": self.reported_on,
        }

    def get_absolute_url(self):
        return f"{self.task.get_absolute_url()}#update-{self.pk}"

    def clean(self):
        super().clean()
        self.check_date()

    def save(self, *args, **kwargs):
        self.check_date()  # every path, not only forms: a save never stores a date the rule refuses
        super().save(*args, **kwargs)

    def check_date(self):
        """Raise ValidationError if the update's date breaks ``report_date_errors``'s rule."""
        reported_on = self._meta.get_field("reported_on").to_python(self.reported_on)
        errors = report_date_errors(reported_on, self.meeting)
        if errors:
            raise ValidationError({"reported_on": errors})
