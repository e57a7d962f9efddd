"""An edition as the Word and Excel writers read it: ExportScope's interface over the frozen rows.

``tasks.spreadsheets`` writes the files (``write_docx(scope, out, *, lines)``, ``write_xlsx(scope,
out, ...)``); this module gives them an edition's rows and lines. A draft is read the same way
from the live table (``LiveEditionScope``), for its preview.
"""

import datetime
import hashlib
import io

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext

from articles.models import cite_articles
from tasks.models import Meeting, TaskArticle
from tasks.spreadsheets.docx import DocumentLines, write_docx
from tasks.spreadsheets.layout import xml_safe
from tasks.spreadsheets.scope import CHUNK_SIZE, TaskRow
from tasks.spreadsheets.xlsx import write_xlsx

from .models import EditionRow

ROW_FIELDS = (
    "task_id",
    "position",
    "title",
    "lead_group",
    "article_key",
    "status",
    "narrative",
    "reported_on",
    "meeting",
)


class EditionScope:
    """The rows and heading of an issued edition, read from its frozen rows."""

    def __init__(self, edition):
        self.edition = edition
        self.meeting = edition.meeting
        self.title = edition.title

    @property
    def narrowed(self):
        return bool(self.edition.group_id or self.edition.article_numbers)

    @property
    def description(self):
        parts = []
        if self.edition.group_id:
            parts.append(f"{gettext('Working group')}: {self.edition.group.short_name}")
        if self.edition.article_numbers:
            parts.append(f"{gettext('Articles')}: {', '.join(map(str, self.edition.article_numbers))}")
        if not parts:
            return gettext("Filters: none (every task).")
        return gettext("Filters: %(filters)s.") % {"filters": "; ".join(parts)}

    @property
    def as_at(self):
        return self.edition.as_at

    @property
    def status_line(self):
        return gettext("Status as at %(date)s") % {"date": date_format(self.as_at, "j F Y")}

    def filename(self, extension):
        stem = (
            slugify(self.edition.symbol.replace("/", "-")) or f"{slugify(self.meeting.short_title)}-{self.edition.pk}"
        )
        return f"roadmap-edition-{stem}.{extension}"

    def rows(self):
        """Yield the rows in road map order as TaskRow, streamed."""
        values = (
            EditionRow.objects.filter(edition=self.edition).order_by("position", "task_id").values_list(*ROW_FIELDS)
        )
        for task_id, position, title, lead, key, status, narrative, reported_on, meeting in values.iterator(CHUNK_SIZE):
            articles = tuple(int(n) for n in key.strip(",").split(",") if n)
            yield TaskRow(
                task_id, position, xml_safe(title), lead, articles, status, xml_safe(narrative), reported_on, meeting
            )

    def history(self):
        """An edition freezes each task's row, not its history: there is none to write."""
        return iter(())


class LiveEditionScope(EditionScope):
    """A draft's rows: the live table as at the edition's date, in its scope."""

    def rows(self):
        for values in live_rows(self.edition):
            yield TaskRow(
                values["task_id"],
                values["position"],
                xml_safe(values["title"]),
                values["lead_group"],
                values["articles"],
                values["status"],
                xml_safe(values["narrative"]),
                values["reported_on"],
                values["meeting"],
            )


def live_rows(edition):
    """Yield a dict per task of the edition's scope as the live data stands at its date: what issuing freezes."""
    tasks = edition.tasks().order_by("position", "pk")
    articles = {}
    links = TaskArticle.objects.filter(task__in=tasks.values("pk")).order_by("task_id", "article__number")
    for task_id, number in links.values_list("task_id", "article__number"):
        articles.setdefault(task_id, []).append(number)
    values = tasks.values_list(
        "pk",
        "position",
        "title",
        "lead_group__short_name",
        "lead_group__slug",
        "lead_group__position",
        "entry__pk",
        "entry__status",
        "entry_rank",
        "entry__narrative",
        "entry__reported_on",
        "entry__meeting__short_title",
    )
    for (
        pk,
        position,
        title,
        lead,
        slug,
        lead_position,
        update,
        status,
        rank,
        narrative,
        day,
        meeting,
    ) in values.iterator(CHUNK_SIZE):
        yield {
            "task_id": pk,
            "position": position,
            "title": title,
            "lead_group": lead or "",
            "lead_group_slug": slug or "",
            "lead_group_position": lead_position,
            "articles": tuple(articles.get(pk, ())),
            "update_id": update,
            "status": status or "",
            "status_rank": rank,
            "narrative": narrative or "",
            "reported_on": day,
            "meeting": meeting or "",
        }


def document_lines(edition):
    """Return the lines at the top of the edition's Word document."""
    day = edition.document_date or edition.meeting.start_date or edition.as_at or datetime.date.today()
    distribution = (
        gettext("Distr.: %(distribution)s") % {"distribution": Meeting.Distribution(edition.distribution).label}
        if edition.distribution
        else ""
    )
    return DocumentLines(
        symbol=edition.symbol,
        distribution=distribution,
        date=date_format(day, "j F Y"),
        language=edition.language_line,
        agenda_item=edition.agenda_item,
        agenda_title=edition.agenda_title,
        introduction=edition.introduction,
    )


def render(scope, kind):
    """Return the bytes of the scope's Word ("docx") or Excel ("xlsx") file, in the site's language."""
    out = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE):
        if kind == "docx":
            write_docx(scope, out, lines=document_lines(scope.edition))
        else:
            write_xlsx(scope, out)
    return out.getvalue()


def sha256(content):
    return hashlib.sha256(content).hexdigest()


def article_key(numbers):
    """Return article numbers as the frozen row stores them for filtering: ",7,14,"."""
    return f",{','.join(map(str, numbers))}," if numbers else ""


def articles_label(numbers):
    return str(cite_articles(numbers))
