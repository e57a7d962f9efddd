"""An issued edition of the status table: the document the secretariat clears and issues to a meeting.

A draft's table follows the live data (``Task.objects.as_of``); issuing freezes it into
EditionRow and EditionFile, which nothing may change afterwards: the models refuse it, and
database triggers (migration 0002) refuse any UPDATE or DELETE, raw SQL included.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tasks.models import Meeting, ProgressUpdate, Status, Task, WorkingGroup
from translations.fields import translations_of

DEFAULT_TITLE = "Update on progress status for tasks"
FROZEN_MESSAGE = "an issued edition cannot change"


class FrozenEditionError(Exception):
    """A write to an issued edition, its rows or its files."""


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for clearance")
    CLEARED = "cleared", _("Cleared")
    ISSUED = "issued", _("Issued")
    SUPERSEDED = "superseded", _("Superseded")


FROZEN_STATES = (State.ISSUED, State.SUPERSEDED)


class EditionQuerySet(models.QuerySet):
    def published(self):
        """Return the editions delegates may read: issued ones and the ones a revision superseded."""
        return self.filter(state__in=FROZEN_STATES)


class Edition(
    translations_of(
        "Edition",
        __name__,
        title=(_("title"), 255),
        agenda_title=(_("agenda item's title"), 500),
        introduction=(_("introductory paragraph"), None),
    )
):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="editions", verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=255, default=DEFAULT_TITLE)
    symbol = models.CharField(
        _("document symbol"), max_length=60, blank=True, help_text=_("For example ESCAP/PTA/IISG(2)/CRP.1.")
    )
    distribution = models.CharField(_("distribution"), max_length=20, choices=Meeting.Distribution, blank=True)
    language_line = models.CharField(
        _("language line"), max_length=40, blank=True, help_text=_('For example "English only".')
    )
    agenda_item = models.CharField(_("agenda item"), max_length=20, blank=True, help_text=_("For example 4."))
    agenda_title = models.CharField(_("agenda item's title"), max_length=500, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    introduction = models.TextField(_("introductory paragraph"), blank=True)
    group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="editions",
        verbose_name=_("working group"),
        help_text=_("Leave blank for every task."),
    )
    articles = models.CharField(
        _("articles"),
        max_length=200,
        blank=True,
        help_text=_("Article numbers, comma-separated, to hold only their tasks; blank for all."),
    )
    state = models.CharField(_("state"), max_length=20, choices=State, default=State.DRAFT, editable=False)
    revises = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="revisions",
        verbose_name=_("revises"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued"), null=True, editable=False)

    objects = EditionQuerySet.as_manager()
    # The lines as issued never change; their translations may follow the issue (the other
    # language versions come later): translations.services saves them with save_translations().
    translated_fields = ("title", "agenda_title", "introduction")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(
                fields=["symbol"],
                condition=~Q(symbol=""),
                name="edition_symbol_unique",
                violation_error_message=_("An edition with this document symbol already exists."),
            ),
            models.CheckConstraint(condition=Q(state__in=State.values), name="edition_state_valid"),
        ]
        permissions = [
            ("prepare_edition", _("Can prepare and submit an edition")),
            ("clear_edition", _("Can clear an edition")),
            ("issue_edition", _("Can issue an edition")),
        ]

    def __str__(self):
        return self.symbol or f"{self.title} ({self.meeting.short_title})"

    def save(self, *args, **kwargs):
        # Superseding is the one change an issued edition takes: a QuerySet.update() in the services.
        if self.pk and Edition.objects.filter(pk=self.pk, state__in=FROZEN_STATES).exists():
            raise FrozenEditionError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("editions:detail", kwargs={"pk": self.pk})

    def save_translations(self, fields):
        """Write the translation fields alone: all an issued edition still takes (the triggers allow it)."""
        Edition.objects.filter(pk=self.pk).update(**{name: getattr(self, name) for name in fields})

    def delete(self, *args, **kwargs):
        if self.state != State.DRAFT:
            raise FrozenEditionError(_("Only a draft edition can be deleted."))
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self):
        return self.state in FROZEN_STATES

    @property
    def as_at(self):
        """Return the date the table stands on: the meeting's edition date, else the document's."""
        return self.meeting.edition_date or self.document_date

    @property
    def article_numbers(self):
        return sorted({int(n) for n in re.findall(r"\d+", self.articles)})

    def clean(self):
        if re.sub(r"[\d,\s]", "", self.articles):
            raise ValidationError({"articles": _("Give article numbers separated by commas, e.g. 7, 14.")})
        if self.meeting_id and self.as_at is None:
            raise ValidationError(_("The meeting has no dates: give the document date, which the table stands on."))

    def tasks(self):
        """Return the live tasks of the edition's scope, as at its date (a draft's rows)."""
        tasks = Task.objects.as_of(self.as_at)
        if self.group_id:
            tasks = tasks.filter(lead_group_id=self.group_id)
        if self.article_numbers:
            tasks = tasks.filter(article_links__article__number__in=self.article_numbers).distinct()
        return tasks


class Step(models.Model):
    """A step in an edition's life: who took it, when, and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Prepared")
        SUBMITTED = "submitted", _("Submitted for clearance")
        CLEARED = "cleared", _("Cleared")
        SENT_BACK = "sent_back", _("Sent back to draft")
        ISSUED = "issued", _("Issued")
        SUPERSEDED = "superseded", _("Superseded")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=Kind)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"


class FrozenModel(models.Model):
    """A part of an issued edition: written once, when it is issued, then never again."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None or self.edition.is_frozen:
            raise FrozenEditionError(FROZEN_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenEditionError(FROZEN_MESSAGE)


class EditionRow(FrozenModel):
    """A task's row as the edition printed it."""

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="rows")
    # No database constraint: a task or update deleted later leaves the issued row in place.
    task = models.ForeignKey(
        Task, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+", verbose_name=_("task")
    )
    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.TextField(_("task"))
    lead_group = models.CharField(_("lead group"), max_length=20, blank=True)  # short name, as printed
    lead_group_slug = models.CharField(max_length=20, blank=True)
    lead_group_position = models.PositiveSmallIntegerField(null=True)
    articles_label = models.CharField(_("relevant articles"), max_length=500, blank=True)
    article_key = models.CharField(max_length=500, blank=True)  # ",7,14," for filtering
    status = models.CharField(_("status"), max_length=20, choices=Status, blank=True)
    status_rank = models.PositiveSmallIntegerField()
    narrative = models.TextField(_("progress status"), blank=True)
    reported_on = models.DateField(_("last update"), null=True)
    meeting = models.CharField(max_length=40, blank=True)  # the update's meeting's short title

    class Meta:
        ordering = ["position", "task_id"]
        verbose_name = _("issued row")
        verbose_name_plural = _("issued rows")
        indexes = [models.Index(fields=["edition", "position"], name="editionrow_position_idx")]
        constraints = [models.UniqueConstraint(fields=["edition", "task"], name="editionrow_one_per_task")]

    def __str__(self):
        return f"{self.position}. {self.title[:60]}"

    @property
    def article_numbers(self):
        return tuple(int(n) for n in self.article_key.strip(",").split(",") if n)


class EditionFile(FrozenModel):
    """A file as issued, byte for byte, with its SHA-256."""

    class Kind(models.TextChoices):
        DOCX = "docx", _("Word")
        XLSX = "xlsx", _("Excel")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=4, choices=Kind)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("issued file")
        verbose_name_plural = _("issued files")
        constraints = [models.UniqueConstraint(fields=["edition", "kind"], name="editionfile_one_per_kind")]

    def __str__(self):
        return self.filename

    def get_absolute_url(self):
        return reverse("editions:file", kwargs={"pk": self.edition_id, "kind": self.kind})
