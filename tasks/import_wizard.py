"""The admin's "Import progress updates": upload a spreadsheet, preview what it would do, confirm.

The steps keep the checked rows in the session between the preview and the confirmation,
under a token that a new upload replaces; confirming re-checks the rows' tasks and writes
them in one transaction (``services.apply_progress_import``), or nothing.
"""

import datetime
import io
import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Meeting, ProgressUpdate, Status, Task
from .permissions import refuse_rows_outside_own_groups
from .presentation import word_diff
from .services import ImportConflict, apply_progress_import
from .spreadsheets.layout import XLSX_CONTENT_TYPE
from .spreadsheets.progress_import import (
    CREATE,
    EARLIER,
    ERROR,
    UNCHANGED,
    ImportFileError,
    ImportRow,
    check_meeting_date,
    import_limits,
    read_progress_file,
    settle_earlier_rows,
    summarise,
)
from .spreadsheets.scope import ExportScope
from .spreadsheets.xlsx import write_import_template

SESSION_KEY = "tasks.progress_import"
LIST_IMPORTED_BY_ID = 200  # past this many, the change list shows the import by meeting and date instead
LINKS_IN_MESSAGE = 20


class ProgressImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        help_text=_('The "Data" sheet of the table\'s Excel export, or the blank template, with the new statuses.'),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )
    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.all(), label=_("Meeting"), help_text=_("The meeting the updates were reported at.")
    )
    reported_on = forms.DateField(
        label=_("Reported on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave blank for the meeting's end date."),
    )

    def clean(self):
        cleaned = super().clean()
        meeting = cleaned.get("meeting")
        if meeting is not None and "reported_on" not in self.errors:
            cleaned["reported_on"] = cleaned.get("reported_on") or meeting.edition_date
            for error in check_meeting_date(meeting, cleaned["reported_on"]):
                self.add_error("reported_on", error)
        return cleaned


def latest_meeting():
    """Return the meeting an import most likely reports: the latest one started by today."""
    today = timezone.localdate()
    return Meeting.objects.filter(start_date__lte=today).order_by("-start_date", "-pk").first()


def preview_lines(rows):
    """Return what the preview shows of each row: the task, its old and new status, the narrative's changes."""
    tasks = Task.objects.in_bulk([row.task_id for row in rows if row.task_id is not None])
    old = ProgressUpdate.objects.in_bulk([row.compared_update_id for row in rows if row.compared_update_id])
    labels = dict(Status.choices)
    lines = []
    for row in rows:
        previous = old.get(row.compared_update_id)
        old_label = previous.get_status_display() if previous else _("No update yet")
        task = tasks.get(row.task_id)
        lines.append(
            {
                "row": row,
                "task": task,
                "old_status": old_label,
                "new_status": labels.get(row.status, row.status_text) or (old_label if previous else ""),
                "status_changed": task is not None
                and bool(row.status)
                and (previous is None or previous.status != row.status),
                "diff": word_diff(previous.narrative if previous else "", row.narrative)
                if row.action in (CREATE, EARLIER)
                else None,
                "narrative": row.narrative or (previous.narrative if previous else ""),
            }
        )
    return lines


def success_message(created, skipped):
    """Return the message after an import: the counts, and links to the first updates created."""
    created = sorted(created, key=lambda update: update.pk)
    shown = created[:LINKS_IN_MESSAGE]
    positions = dict(Task.objects.filter(pk__in=[u.task_id for u in shown]).values_list("pk", "position"))
    links = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (
                reverse("admin:tasks_progressupdate_change", args=[update.pk]),
                _("task %(position)s") % {"position": positions.get(update.task_id)},
            )
            for update in shown
        ),
    )
    summary = " ".join(
        [
            ngettext("Imported %(count)d progress update;", "Imported %(count)d progress updates;", len(created))
            % {"count": len(created)},
            ngettext("skipped %(count)d unchanged row.", "skipped %(count)d unchanged rows.", skipped)
            % {"count": skipped},
        ]
    )
    more = len(created) - len(shown)
    return format_html("{} {}{}", summary, links, f" (+{more})" if more > 0 else "")


def _close_uploads(request):
    """Keep nothing of the upload: a large one sits in a temporary file until closed."""
    for key in request.FILES:
        for upload in request.FILES.getlist(key):
            upload.close()


class ProgressImportMixin:
    """The import's pages, for the progress updates' ModelAdmin: its add permission is the import's."""

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name=name),
            path("import/template.xlsx", wrap(self.import_template_view), name=f"{name}_template"),
            path("import/preview/", wrap(self.import_preview_view), name=f"{name}_preview"),
            path("import/confirm/", wrap(self.import_confirm_view), name=f"{name}_confirm"),
            *super().get_urls(),
        ]

    def _import_url(self, step=""):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import{step}")

    def _check_import_permission(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied

    def _import_context(self, request, title, **context):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "template_url": self._import_url("_template"),
            "import_url": self._import_url(),
            **context,
        }

    def import_view(self, request):
        """Take the spreadsheet, the meeting and the date; read and check it; keep the rows for the preview."""
        self._check_import_permission(request)
        if request.method == "POST":
            request.session.pop(SESSION_KEY, None)  # a new upload replaces any preview
            form = ProgressImportForm(request.POST, request.FILES)
            try:
                if form.is_valid() and self._read_upload(request, form):
                    return redirect(self._import_url("_preview"))
            finally:
                _close_uploads(request)
        else:
            form = ProgressImportForm(initial={"meeting": latest_meeting()})
        max_bytes, max_rows = import_limits()
        context = self._import_context(
            request, _("Import progress updates"), form=form, max_bytes=max_bytes, max_rows=max_rows
        )
        return TemplateResponse(request, "admin/tasks/progressupdate/import_form.html", context)

    def _read_upload(self, request, form):
        """Check the uploaded file and keep its rows in the session; return whether it could be read."""
        data = form.cleaned_data
        try:
            rows = read_progress_file(data["file"], reported_on=data["reported_on"])
        except ImportFileError as error:
            form.add_error("file", str(error))
            return False
        refuse_rows_outside_own_groups(request.user, rows)
        request.session[SESSION_KEY] = {
            "token": secrets.token_urlsafe(16),
            "meeting": data["meeting"].pk,
            "reported_on": data["reported_on"].isoformat(),
            "filename": data["file"].name[:200],
            "rows": [row.to_session() for row in rows],
        }
        return True

    def import_template_view(self, request):
        """Download the Data sheet's layout for the current tasks, statuses left blank."""
        self._check_import_permission(request)
        out = io.BytesIO()
        write_import_template(ExportScope(tasks=Task.objects.as_of(None)), out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="progress-import-template.xlsx"'
        return response

    def _pending_import(self, request):
        pending = request.session.get(SESSION_KEY)
        if not pending:
            return None, None, None
        meeting = Meeting.objects.filter(pk=pending["meeting"]).first()
        rows = [ImportRow.from_session(row) for row in pending["rows"]]
        return pending, meeting, rows

    def import_preview_view(self, request):
        """Show, row by row, what confirming would create, skip or refuse."""
        self._check_import_permission(request)
        pending, meeting, rows = self._pending_import(request)
        if pending is None:
            self.message_user(request, _("There is no import to preview: upload a file."), messages.WARNING)
            return redirect(self._import_url())
        counts = summarise(rows)
        context = self._import_context(
            request,
            _("Preview of the import"),
            pending=pending,
            meeting=meeting,
            reported_on=datetime.date.fromisoformat(pending["reported_on"]),
            lines=preview_lines(rows),
            counts=counts,
            can_confirm=meeting is not None and counts[ERROR] == 0 and counts[CREATE] + counts[EARLIER] > 0,
            confirm_url=self._import_url("_confirm"),
        )
        return TemplateResponse(request, "admin/tasks/progressupdate/import_preview.html", context)

    def import_confirm_view(self, request):
        """Write the previewed updates in one transaction, or nothing if the tasks changed meanwhile."""
        self._check_import_permission(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        pending, meeting, rows = self._pending_import(request)
        if pending is None or request.POST.get("token") != pending["token"]:
            self.message_user(request, _("This preview is no longer current: upload the file again."), messages.ERROR)
            return redirect(self._import_url())
        refuse_rows_outside_own_groups(request.user, rows)  # roles may have changed since the preview
        if meeting is None or any(row.is_error for row in rows):
            self.message_user(request, _("This import has errors and cannot be confirmed."), messages.ERROR)
            return redirect(self._import_url("_preview"))
        reported_on = datetime.date.fromisoformat(pending["reported_on"])
        settle_earlier_rows(rows, include=request.POST.get("include_earlier") == "1")
        del request.session[SESSION_KEY]
        try:
            created = apply_progress_import(rows=rows, meeting=meeting, reported_on=reported_on, user=request.user)
        except ImportConflict as conflict:
            self.message_user(
                request,
                _(
                    "Nothing was imported: since the preview, the progress updates of these tasks changed: "
                    "%(tasks)s. Upload the file again to see a new preview."
                )
                % {"tasks": "; ".join(str(task) for task in conflict.tasks)},
                messages.ERROR,
            )
            return redirect(self._import_url())
        skipped = sum(row.action == UNCHANGED for row in rows)
        self.message_user(request, success_message(created, skipped), messages.SUCCESS)
        return redirect(self._imported_list_url(created, meeting, reported_on))

    def _imported_list_url(self, created, meeting, reported_on):
        """Return the change list showing what was imported: by id, or by meeting and date for many."""
        changelist = reverse("admin:tasks_progressupdate_changelist")
        if 0 < len(created) <= LIST_IMPORTED_BY_ID:
            return f"{changelist}?id__in={','.join(str(update.pk) for update in created)}"
        return f"{changelist}?meeting__id__exact={meeting.pk}&reported_on={reported_on.isoformat()}"
