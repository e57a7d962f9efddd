"""The public pages of issued editions, and tasks' pages extended with them (tasks never imports editions)."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from tasks import views as task_views
from tasks.spreadsheets.layout import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE
from tasks.spreadsheets.scope import spooled_response

from .changes_xlsx import write_changes
from .filters import EditionListFilter, EditionRowFilter
from .models import Edition, EditionFile, EditionRow
from .selectors import (
    LIVE,
    compare,
    late_reports,
    meeting_editions,
    previous_issued,
    published_editions,
    side,
    steps,
)
from .tables import EditionRowTable

CONTENT_TYPES = {"docx": DOCX_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


@require_safe
def edition_list(request):
    """Issued editions, newest first, filterable by meeting and working group."""
    filterset = EditionListFilter(request.GET, queryset=published_editions().order_by("-issued_at", "-pk"))
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    return render(request, "editions/edition_list.html", {"filter": filterset, "page": page})


class EditionDetailView(task_views.TaskTableMixin, DetailView):
    """An issued edition: its lines, who cleared and issued it, its files, and its frozen table."""

    template_name = "editions/edition_detail.html"
    context_object_name = "edition"
    table_class = EditionRowTable

    def get_queryset(self):
        return published_editions()

    def get_table_data(self):
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        edition = self.object
        self.filterset = EditionRowFilter(self.request.GET, queryset=EditionRow.objects.filter(edition=edition))
        files = [(f.kind, f.filename, f.sha256, f.size) for f in edition.files.all().defer("content")]
        return super().get_context_data(
            filter=self.filterset,
            files=files,
            steps=steps(edition),
            previous=previous_issued(edition),
            superseded_by=edition.revisions.filter(state__in=["issued", "superseded"]).first(),
            **kwargs,
        )

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "results":
            return ["editions/_results.html"]
        return [self.template_name]


@require_safe
def edition_file(request, pk, kind):
    """Return a file exactly as it was issued."""
    stored = get_object_or_404(EditionFile.objects.filter(edition__in=published_editions()), edition_id=pk, kind=kind)
    response = HttpResponse(bytes(stored.content), content_type=CONTENT_TYPES[stored.kind])
    response["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    response["Digest"] = f"sha-256={stored.sha256}"
    return response


class CompareForm(forms.Form):
    """``from``: an issued edition's id; ``to``: another's, or "live" for today's table."""

    from_ = forms.IntegerField(label=_("From"), min_value=1, max_value=2**62)
    to = forms.CharField(label=_("To"), max_length=20)

    def __init__(self, data):
        data = {"from_": data.get("from", ""), "to": data.get("to", "")}
        super().__init__(data)

    def clean_to(self):
        value = self.cleaned_data["to"].strip()
        if value == LIVE:
            return LIVE
        if not value.isdigit() or not 0 < int(value) < 2**62:
            raise forms.ValidationError(_("Give an edition's number, or \"live\" for today's table."))
        return int(value)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_") is not None and cleaned.get("from_") == cleaned.get("to"):
            raise forms.ValidationError(_("An edition compared with itself has no changes: choose two editions."))
        return cleaned


class BadComparison(Exception):
    def __init__(self, response):
        self.response = response


def _sides(request):
    """Return (old side, new side) of the query, or raise the page to answer instead."""
    form = CompareForm(request.GET)
    if not form.is_valid():
        errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
        raise BadComparison(render(request, "editions/compare_error.html", {"errors": errors}, status=400))
    first, second = form.cleaned_data["from_"], form.cleaned_data["to"]
    editions = published_editions().in_bulk([first] if second == LIVE else [first, second])
    old = editions.get(first)
    new = LIVE if second == LIVE else editions.get(second)
    if old is None or new is None:
        raise Http404(_("No issued edition has that number."))
    return side(old), side(new)


@require_safe
def compare_editions(request):
    """What changed between two issued editions, or from one to today's table."""
    try:
        old, new = _sides(request)
    except BadComparison as bad:
        return bad.response
    query = request.GET.urlencode()
    return render(
        request,
        "editions/compare.html",
        {"comparison": compare(old, new), "xlsx_url": f"{reverse('editions:compare_xlsx')}?{query}"},
    )


@require_safe
def compare_xlsx(request):
    """The comparison as a workbook: its "Changes" sheet lists every change."""
    try:
        old, new = _sides(request)
    except BadComparison as bad:
        return bad.response
    name = f"roadmap-changes-{old.label}-{new.label}.xlsx".replace("/", "-")
    return spooled_response(lambda out: write_changes(old, new, out), filename=name, content_type=XLSX_CONTENT_TYPE)


class MeetingDetailView(task_views.MeetingDetailView):
    """The meeting page, with its issued editions and the comparison with the previous issued edition."""

    template_name = "editions/meeting_detail.html"

    def editions(self):
        if not hasattr(self, "_editions"):
            self._editions = meeting_editions(self.object)
        return self._editions

    def get_template_names(self):
        if self.editions():  # no table to update in place: the page links the issued one
            return [self.template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        editions = self.editions()
        if not editions:
            return super().get_context_data(editions=[], **kwargs)
        main = next((edition for edition in editions if edition.state == "issued"), editions[0])
        previous = previous_issued(main)
        comparison = compare(side(previous), side(main)) if previous else None
        return DetailView.get_context_data(
            self, editions=editions, main=main, previous_edition=previous, comparison=comparison, **kwargs
        )


class TaskDetailView(task_views.TaskDetailView):
    """The task page, marking updates reported after an issued edition covering their date."""

    template_name = "editions/task_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        marks = late_reports(self.object, [entry.update for entry in context["history"]])
        for entry in context["history"]:
            entry.late_edition = marks.get(entry.update.pk)
        return context


class UpdatesFeed(task_views.UpdatesFeed):
    """The updates feed, with an entry per issued edition."""

    def items(self, filterset):
        updates = list(super().items(filterset))
        items = updates + list(self.editions(filterset)[: self.limit])
        items.sort(key=self.item_pubdate, reverse=True)
        return items[: self.limit]

    def editions(self, filterset):
        """Return the issued editions the feed's filters leave in: none when it follows statuses, articles or words."""
        data = filterset.form.cleaned_data
        if data.get("status") or data.get("article") or data.get("q"):
            return published_editions().none()
        editions = published_editions().order_by("-issued_at")
        if data.get("group") is not None:
            editions = editions.filter(group=data["group"])
        meeting = filterset.edition_meeting
        if meeting is not None:
            editions = editions.filter(meeting__start_date__lte=meeting.start_date)
        return editions

    def item_title(self, item):
        if isinstance(item, Edition):
            return _("Issued: %(edition)s — %(meeting)s") % {"edition": item, "meeting": item.meeting.short_title}
        return super().item_title(item)

    def item_description(self, item):
        if isinstance(item, Edition):
            return item.title
        return super().item_description(item)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_author_name(self, item):
        if isinstance(item, Edition):
            return item.group.name if item.group else str(self.author_name)  # the secretariat issues
        return super().item_author_name(item)

    def item_pubdate(self, item):
        return item.issued_at if hasattr(item, "issued_at") else item.created_at

    def item_updateddate(self, item):
        return item.issued_at if hasattr(item, "issued_at") else item.updated_at
