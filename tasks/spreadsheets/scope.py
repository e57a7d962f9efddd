"""What the Excel and Word exports share: the scope (rows and heading), the options, the download.

A scope is a set of tasks as the status table shows them (an edition, filters applied).
Its rows come from a fixed number of queries whatever their number: one for the article
links, one streamed for the tasks and, when asked for, one streamed for the history.
"""

import datetime
import tempfile
from dataclasses import dataclass
from typing import NamedTuple

from django import forms
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.models import cite_articles
from translations.fields import ORIGINAL_LANGUAGE, source_field, translation_field
from translations.states import NOTES, State, page_language, shown_text, state_of

from ..formatting import place_and_dates
from ..models import Meeting, ProgressUpdate, Status, Task, TaskArticle
from .layout import XML_ILLEGAL, xml_safe

CHUNK_SIZE = 2000
SPOOL_MAX_SIZE = 4 * 1024 * 1024  # a file larger than this goes to disk while it is built and sent

COMMISSION = _("Economic and Social Commission for Asia and the Pacific")
TITLE = _("Update on progress status for tasks")


def status_labels(language=None):
    """Return {status key: label}, in ``language`` (the active one when None)."""
    if language is None:
        return {key: str(label) for key, label in Status.choices}
    with translation.override(language):
        return {key: str(label) for key, label in Status.choices}


def meeting_place_and_dates(meeting):
    """Return where and when a meeting was held as its documents give it: "Bangkok, 23-25 March 2016"."""
    return place_and_dates(shown_text(meeting, "venue"), meeting.start_date, meeting.end_date, dash="-")


class TaskRow(NamedTuple):
    """A row of the status table, as plain values."""

    id: int
    position: int
    title: str
    lead_group: str  # short name, "" when not stated
    articles: tuple  # article numbers, ascending
    status: str  # Status key, "" when no update
    narrative: str
    reported_on: datetime.date | None
    meeting: str  # short title, "" when none
    # The title and narrative in the export's language: the current translation, else the English
    # followed by a note ("" for rows that carry the English alone). The Data sheet keeps
    # ``title`` and ``narrative``, the English originals.
    shown_title: str = ""
    shown_narrative: str = ""

    @property
    def articles_label(self):
        return cite_articles(self.articles)

    @property
    def article_numbers(self):
        """Return the articles as the "Data" sheet lists them: "7, 14"."""
        return ", ".join(str(number) for number in self.articles)


class HistoryRow(NamedTuple):
    task_id: int
    position: int
    reported_on: datetime.date
    meeting: str
    status: str
    narrative: str
    recorded_at: datetime.datetime  # naive, local time


@dataclass
class ExportScope:
    """The tasks an export holds, with what its heading says about them."""

    tasks: QuerySet  # tasks from Task.objects.as_of(), filtered
    meeting: Meeting | None = None  # the edition, None for the latest table
    filters: tuple = ()  # (label, value) of each filter in force
    left_out: tuple = ()  # labels of the filters left out as invalid
    selected: int | None = None  # how many tasks were chosen by hand, if they were
    group_name: str = ""  # the lead group the tasks were chosen by, if any
    narrowed: bool = False  # fewer tasks than the edition holds: filtered, or chosen by hand

    @classmethod
    def from_filter(cls, filterset):
        """Return the scope of a /tasks/ query: its edition, its filters, invalid ones left out."""
        filterset.errors  # noqa: B018  (validates the form once)
        cleaned = filterset.form.cleaned_data
        group = cleaned.get("group")
        return cls(
            tasks=filterset.qs,
            meeting=filterset.edition_meeting,
            filters=tuple(filterset.applied()),
            left_out=tuple(str(filterset.form[name].label) for name in filterset.errors if name in filterset.filters),
            group_name=shown_text(group, "name") if group else "",
            narrowed=any(cleaned.get(name) for name in filterset.filters if name != "meeting"),
        )

    @classmethod
    def from_selection(cls, queryset):
        """Return the scope of tasks chosen by hand (the admin's action): the latest table."""
        return cls(
            tasks=Task.objects.filter(pk__in=queryset.values("pk")).as_of(None),
            selected=queryset.count(),
            narrowed=True,
        )

    @property
    def description(self):
        """Return the heading's line naming the filters applied."""
        if self.selected is not None:
            return ngettext("%(count)d task selected by hand.", "%(count)d tasks selected by hand.", self.selected) % {
                "count": self.selected
            }
        if self.filters:
            line = gettext("Filters: %(filters)s.") % {
                "filters": "; ".join(f"{label}: {value}" for label, value in self.filters)
            }
        else:
            line = gettext("Filters: none (every task).")
        if self.left_out:
            line += " " + gettext("Left out as invalid: %(filters)s.") % {"filters": ", ".join(self.left_out)}
        return line

    @property
    def as_at(self):
        """Return the date the table stands on: the edition's, or today's."""
        return self.meeting.edition_date if self.meeting else timezone.localdate()

    @property
    def title(self):
        if self.group_name:
            return gettext("%(title)s of the %(group)s") % {"title": TITLE, "group": self.group_name}
        return str(TITLE)

    @property
    def status_line(self):
        return gettext("Status as at %(date)s") % {"date": date_format(self.as_at, "DATE_FORMAT")}

    def filename(self, extension):
        if self.meeting:
            stem = slugify(self.meeting.short_title) or f"meeting-{self.meeting.pk}"
        else:
            stem = self.as_at.isoformat()
        return f"roadmap-status-{stem}.{extension}"

    def rows(self):
        """Yield the tasks in road map order as TaskRow, streamed from the database."""
        tasks = self.tasks.order_by("position", "pk")
        articles = {}  # the one thing held for every task: its article numbers, a few small integers
        links = TaskArticle.objects.filter(task__in=tasks.values("pk")).order_by("task_id", "article__number")
        for task_id, number in links.values_list("task_id", "article__number"):
            articles.setdefault(task_id, []).append(number)
        language = page_language()
        columns = ["title", "entry__narrative"]
        if language != ORIGINAL_LANGUAGE:
            columns += [name(field, language) for field in columns for name in (translation_field, source_field)]
        values = tasks.values_list(
            "pk",
            "position",
            "lead_group__short_name",
            "entry__status",
            "entry__reported_on",
            "entry__meeting__short_title",
            *columns,
        )
        for pk, position, lead, status, reported_on, meeting, title, narrative, *translations in values.iterator(
            CHUNK_SIZE
        ):
            title, narrative = xml_safe(title), xml_safe(narrative) or ""
            shown = _in_language(title, *translations[:2]), _in_language(narrative, *translations[2:])
            yield TaskRow(
                pk,
                position,
                title,
                lead or "",
                tuple(articles.get(pk, ())),
                status or "",
                narrative,
                reported_on,
                meeting or "",
                xml_safe(shown[0]),
                xml_safe(shown[1]),
            )

    def history(self):
        """Yield every progress update of the tasks, known at the edition, task by task, oldest first."""
        updates = ProgressUpdate.objects.filter(task__in=self.tasks.values("pk"))
        if self.meeting:
            updates = updates.filter(reported_on__lte=self.meeting.edition_date)
        values = updates.order_by("task__position", "task_id", "reported_on", "created_at", "pk").values_list(
            "task_id", "task__position", "reported_on", "meeting__short_title", "status", "narrative", "created_at"
        )
        zone = timezone.get_current_timezone()
        clean = XML_ILLEGAL.sub  # the hot loop of a large export: a row per update
        for task_id, position, reported_on, meeting, status, narrative, created_at in values.iterator(CHUNK_SIZE):
            yield HistoryRow(
                task_id,
                position,
                reported_on,
                meeting or "",
                status,
                clean("", narrative),
                created_at.astimezone(zone).replace(tzinfo=None),  # aware from the database (USE_TZ)
            )


def _in_language(original, translation=None, source=None):
    """Return the current translation, else ``original`` with its note ("[Not yet translated]")."""
    if translation is None:  # the export is in English
        return original
    state = state_of(original, translation, source)
    if state is None:
        return original
    if state == State.CURRENT:
        return translation
    return f"{original}\n[{NOTES[state]}]"


# The longest lines a document takes (as editions.Edition stores them).
MAX_LENGTHS = {"symbol": 60, "language": 40, "agenda_item": 20}


class ExportOptionsForm(forms.Form):
    """The export's own query parameters, beside the table's filters. Invalid ones are refused."""

    hide = forms.MultipleChoiceField(
        label=_("Columns to leave out"),
        choices=[("lead", _("Lead group")), ("status", _("Status"))],
        required=False,
    )
    history = forms.TypedChoiceField(
        label=_("History sheet"),
        choices=[("0", "0"), ("1", "1")],
        coerce=lambda value: value == "1",
        required=False,
        empty_value=False,
    )
    symbol = forms.CharField(label=_("Document symbol"), max_length=MAX_LENGTHS["symbol"], required=False)
    distribution = forms.ChoiceField(
        label=_("Distribution"), choices=[("", ""), *Meeting.Distribution.choices], required=False
    )
    language = forms.CharField(label=_("Language line"), max_length=MAX_LENGTHS["language"], required=False)
    agenda_item = forms.CharField(label=_("Agenda item"), max_length=MAX_LENGTHS["agenda_item"], required=False)
    date = forms.DateField(label=_("Date of the document"), input_formats=["%Y-%m-%d"], required=False)

    def clean(self):
        cleaned = super().clean()
        for name in ("symbol", "language", "agenda_item"):
            if cleaned.get(name):
                cleaned[name] = xml_safe(cleaned[name])
        return cleaned

    def error_text(self):
        """Return the errors as one plain sentence per parameter, naming it as the URL does."""
        return "\n".join(
            f"{name}: {' '.join(str(message) for message in messages)}" for name, messages in self.errors.items()
        )


def spooled_response(write, *, filename, content_type):
    """Return a download of what ``write(file)`` writes, spooled to a temporary file.

    The file is sent in blocks and deleted when the response is closed.
    """
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_SIZE)  # noqa: SIM115  (FileResponse closes it)
    try:
        write(spool)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=content_type)
