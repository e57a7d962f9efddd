import datetime
import io
import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article
from roadmap.admin import RoadmapAdmin, VersionedInlineMixin, VersionedModelForm

from .exports.common import ExportScope
from .exports.xlsx import xlsx_response
from .imports.xlsx import (
    CREATE,
    ERROR,
    UNCHANGED,
    ImportFileError,
    ImportRow,
    check_meeting_date,
    import_limits,
    read_progress_file,
    summarise,
    write_template,
)
from .models import Meeting, ProgressUpdate, Status, Task, TaskArticle, WorkingGroup
from .permissions import (
    can_edit_task,
    can_edit_update,
    editable_groups,
    editable_tasks,
    edits_all_groups,
    edits_some_group,
)
from .selectors import word_diff
from .services import ImportConflict, apply_progress_import

IMPORT_SESSION_KEY = "tasks.progress_import"


def refuse_rows_outside_own_groups(user, rows):
    """Turn rows that would add an update to a task the user may not edit into errors."""
    if edits_all_groups(user):
        return
    allowed = set(editable_tasks(user).filter(pk__in=[row.task_id for row in rows]).values_list("pk", flat=True))
    for row in rows:
        if row.action == CREATE and row.task_id not in allowed:
            row.action = ERROR
            row.errors.append(str(_("You may not add updates to this task: another working group leads it.")))


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_IMPORTED_BY_ID = 200  # past this many, the change list shows the import by meeting and date instead


class CurrentStatusFilter(admin.SimpleListFilter):
    title = _("current status")
    parameter_name = "current_status"

    def lookups(self, request, model_admin):
        return [*Status.choices, ("none", _("No update yet"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(current_status="")
        if value in Status.values:
            return queryset.filter(current_status=value)
        return queryset


class TaskInlinePermissions:
    """An inline on the task page may change the task's records only if the user may edit the task."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or can_edit_task(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or can_edit_task(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or can_edit_task(request.user, obj))


class TaskArticleInline(TaskInlinePermissions, admin.TabularInline):
    model = TaskArticle
    autocomplete_fields = ["article"]
    extra = 1
    verbose_name = _("relevant article")
    verbose_name_plural = _("relevant articles")


class ProgressUpdateInlineForm(VersionedModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["reported_on", "meeting", "status", "narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 3, "cols": 60})}


class NewProgressUpdateInline(TaskInlinePermissions, VersionedInlineMixin, admin.StackedInline):
    """One empty form, above the history, to record the task's next update."""

    model = ProgressUpdate
    form = ProgressUpdateInlineForm
    fields = ["reported_on", "meeting", "status", "narrative"]
    autocomplete_fields = ["meeting"]
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = _("new progress update")
    verbose_name_plural = _("record the next progress update")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields["reported_on"].initial = timezone.localdate
        return formset


class ProgressUpdateInline(TaskInlinePermissions, VersionedInlineMixin, admin.StackedInline):
    """The task's updates, newest first, editable in place."""

    model = ProgressUpdate
    form = ProgressUpdateInlineForm
    extra = 0
    ordering = ["-reported_on", "-created_at", "-pk"]
    fields = ["reported_on", "meeting", "status", "narrative", "recorded"]
    readonly_fields = ["recorded"]
    show_change_link = True
    verbose_name = _("progress update")
    verbose_name_plural = _("progress history (newest first)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("task", "meeting", "recorded_by")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "meeting" and field is not None:
            # The meetings read once for every form of the history, not once per form (as the
            # autocomplete widget of the new-update form does for its one form).
            field.choices = [("", field.empty_label), *((m.pk, str(m)) for m in field.queryset)]
        return field

    def has_add_permission(self, request, obj=None):
        return False  # new updates go in the form above, one at a time

    @admin.display(description=_("recorded"))
    def recorded(self, update):
        who = update.recorded_by.get_username() if update.recorded_by else _("(seed data)")
        return format_html("{} · {}", who, date_format(timezone.localtime(update.created_at), "DATETIME_FORMAT"))


@admin.register(Task)
class TaskAdmin(RoadmapAdmin):
    list_display = ["position", "short_title", "lead", "articles_cited", "status_badge", "last_reported_on"]
    list_display_links = ["position", "short_title"]
    list_filter = ["lead_group", CurrentStatusFilter, ("articles", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "current_update__narrative"]
    ordering = ["position", "pk"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["position", "title", "lead_group"]}),
        (_("More"), {"fields": ["description"], "classes": ["collapse"]}),
    ]
    inlines = [TaskArticleInline, NewProgressUpdateInline, ProgressUpdateInline]
    object_history_template = "admin/tasks/task/object_history.html"
    actions = ["export_selected_xlsx"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_current_status()
            .prefetch_related(Prefetch("articles", queryset=Article.objects.only("pk", "number")))
        )

    def history_view(self, request, object_id, extra_context=None):
        try:  # the history of a deleted task stays visible, so the id is not looked up as a task
            task_id = Task._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404 from error
        links = list(
            TaskArticle.history.filter(task_id=task_id)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:200]
        )
        # Not select_related: an article deleted since must not hide the link's history.
        articles = Article._base_manager.in_bulk({link.article_id for link in links})
        for link in links:
            article = articles.get(link.article_id)
            link.article_label = article.label if article else link.article_id
        extra_context = {
            "article_link_history": links,
            "update_history": ProgressUpdate.history.filter(task_id=task_id)
            .select_related("history_user")
            .order_by("-history_date", "-history_id")[:200],
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context)

    # A working-group editor sees every task, and edits those of their groups only.

    def has_add_permission(self, request):
        return super().has_add_permission(request) and edits_some_group(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or can_edit_task(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_group" and not edits_all_groups(request.user):
            kwargs["queryset"] = editable_groups(request.user)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The task picker of a progress update offers only the tasks the user may add updates to.
        if request.GET.get("model_name") == "progressupdate" and request.GET.get("field_name") == "task":
            queryset = queryset & editable_tasks(request.user)
        return queryset, may_have_duplicates

    @admin.display(description=_("task"), ordering="title")
    def short_title(self, task):
        title = " ".join(task.title.split())
        return title if len(title) <= 120 else f"{title[:119]}…"

    @admin.display(description=_("lead"), ordering="lead_group__position")
    def lead(self, task):
        return task.lead_group.short_name if task.lead_group else "—"

    @admin.action(description=_("Export selected to Excel"), permissions=["view"])
    def export_selected_xlsx(self, request, queryset):
        return xlsx_response(ExportScope.from_selection(queryset))

    @admin.display(description=_("relevant articles"))
    def articles_cited(self, task):
        return task.articles_label or "—"

    @admin.display(description=_("current status"), ordering="current_status_rank")
    def status_badge(self, task):
        if not task.current_status:
            return _("No update yet")
        return task.current_update.get_status_display()

    @admin.display(description=_("last update"), ordering="current_update__reported_on")
    def last_reported_on(self, task):
        return task.current_update.reported_on if task.current_update else None

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for instance in instances:
            if isinstance(instance, ProgressUpdate) and instance.pk is None:
                instance.recorded_by = request.user
            instance.save()
        formset.save_m2m()


class ProgressImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        help_text=_('The "Data" sheet of the table\'s Excel export, or the blank template, with the new statuses.'),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
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


def _latest_meeting():
    today = timezone.localdate()
    return Meeting.objects.filter(start_date__lte=today).order_by("-start_date", "-pk").first()


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(RoadmapAdmin):
    change_list_template = "admin/tasks/progressupdate/change_list.html"  # adds the import button
    list_display = ["task_position", "task_title", "status", "reported_on", "meeting", "recorded_by"]
    list_display_links = ["task_title"]
    list_filter = ["status", "meeting", "task__lead_group", "reported_on"]
    list_select_related = ["task", "meeting", "recorded_by"]
    search_fields = ["narrative", "task__title"]
    date_hierarchy = "reported_on"
    autocomplete_fields = ["task", "meeting"]
    fields = ["task", "reported_on", "meeting", "status", "narrative", "recorded_by", "created_at", "updated_at"]
    readonly_fields = ["recorded_by", "created_at", "updated_at"]
    ordering = ["-reported_on", "-created_at", "-pk"]

    @admin.display(description=_("#"), ordering="task__position")
    def task_position(self, update):
        return update.task.position

    @admin.display(description=_("task"), ordering="task__title")
    def task_title(self, update):
        title = " ".join(update.task.title.split())
        return title if len(title) <= 90 else f"{title[:89]}…"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and edits_some_group(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or can_edit_update(request.user, obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "task" and not edits_all_groups(request.user):
            kwargs["queryset"] = editable_tasks(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Import progress updates from a spreadsheet: upload, preview, confirm.

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
            request.session.pop(IMPORT_SESSION_KEY, None)  # a new upload replaces any preview
            form = ProgressImportForm(request.POST, request.FILES)
            try:
                if form.is_valid():
                    data = form.cleaned_data
                    try:
                        rows = read_progress_file(data["file"], reported_on=data["reported_on"])
                    except ImportFileError as error:
                        form.add_error("file", str(error))
                    else:
                        refuse_rows_outside_own_groups(request.user, rows)
                        request.session[IMPORT_SESSION_KEY] = {
                            "token": secrets.token_urlsafe(16),
                            "meeting": data["meeting"].pk,
                            "reported_on": data["reported_on"].isoformat(),
                            "filename": data["file"].name[:200],
                            "rows": [row.to_session() for row in rows],
                        }
                        return redirect(self._import_url("_preview"))
            finally:
                # Keep nothing of the upload: a large one sits in a temporary file until closed.
                for key in request.FILES:
                    for upload in request.FILES.getlist(key):
                        upload.close()
        else:
            form = ProgressImportForm(initial={"meeting": _latest_meeting()})
        max_bytes, max_rows = import_limits()
        context = self._import_context(
            request, _("Import progress updates"), form=form, max_bytes=max_bytes, max_rows=max_rows
        )
        return TemplateResponse(request, "admin/tasks/progressupdate/import_form.html", context)

    def import_template_view(self, request):
        """Download the Data sheet's layout for the current tasks, statuses left blank."""
        self._check_import_permission(request)
        out = io.BytesIO()
        write_template(out, Task.objects.select_related("lead_group").prefetch_related("articles").order_by("position"))
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="progress-import-template.xlsx"'
        return response

    def _pending_import(self, request):
        pending = request.session.get(IMPORT_SESSION_KEY)
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
        tasks = Task.objects.in_bulk([row.task_id for row in rows if row.task_id is not None])
        old = ProgressUpdate.objects.in_bulk([row.compared_update_id for row in rows if row.compared_update_id])
        labels = dict(Status.choices)
        lines = []
        for row in rows:
            previous = old.get(row.compared_update_id)
            old_label = previous.get_status_display() if previous else _("No update yet")
            new_label = labels.get(row.status, row.status_text)
            task = tasks.get(row.task_id)
            lines.append(
                {
                    "row": row,
                    "task": task,
                    "old_status": old_label,
                    "new_status": new_label or (old_label if previous else ""),
                    "status_changed": task is not None
                    and bool(row.status)
                    and (previous is None or previous.status != row.status),
                    "diff": word_diff(previous.narrative if previous else "", row.narrative)
                    if row.action == CREATE
                    else None,
                    "narrative": row.narrative or (previous.narrative if previous else ""),
                }
            )
        counts = summarise(rows)
        context = self._import_context(
            request,
            _("Preview of the import"),
            pending=pending,
            meeting=meeting,
            reported_on=datetime.date.fromisoformat(pending["reported_on"]),
            lines=lines,
            counts=counts,
            can_confirm=meeting is not None and counts["error"] == 0 and counts[CREATE] > 0,
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
        del request.session[IMPORT_SESSION_KEY]
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
        created = sorted(created, key=lambda update: update.pk)
        positions = dict(Task.objects.filter(pk__in=[u.task_id for u in created[:20]]).values_list("pk", "position"))
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:tasks_progressupdate_change", args=[update.pk]),
                    _("task %(position)s") % {"position": positions.get(update.task_id)},
                )
                for update in created[:20]
            ),
        )
        summary = " ".join(
            [
                ngettext(
                    "Imported %(count)d progress update;",
                    "Imported %(count)d progress updates;",
                    len(created),
                )
                % {"count": len(created)},
                ngettext(
                    "skipped %(count)d unchanged row.",
                    "skipped %(count)d unchanged rows.",
                    skipped,
                )
                % {"count": skipped},
            ]
        )
        more = len(created) - 20
        self.message_user(
            request,
            format_html("{} {}{}", summary, links, f" (+{more})" if more > 0 else ""),
            messages.SUCCESS,
        )
        changelist = reverse("admin:tasks_progressupdate_changelist")
        if 0 < len(created) <= LIST_IMPORTED_BY_ID:
            return redirect(f"{changelist}?id__in={','.join(str(update.pk) for update in created)}")
        return redirect(f"{changelist}?meeting__id__exact={meeting.pk}&reported_on={reported_on.isoformat()}")


@admin.register(Meeting)
class MeetingAdmin(RoadmapAdmin):
    list_display = [
        "title",
        "short_title",
        "body",
        "start_date",
        "end_date",
        "venue",
        "document_symbol",
        "update_count",
    ]
    list_filter = ["body", "venue"]
    search_fields = ["title", "short_title", "document_symbol", "venue"]
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["title", "short_title", "body", ("start_date", "end_date"), "venue"]}),
        (
            _("Meeting documents"),
            {"fields": ["document_symbol", "distribution", "language_line", "agenda_item"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(update_count=Count("updates"))

    @admin.display(description=_("updates"), ordering="update_count")
    def update_count(self, meeting):
        return meeting.update_count


@admin.register(WorkingGroup)
class WorkingGroupAdmin(RoadmapAdmin):
    list_display = ["name", "short_name", "slug", "position", "task_count"]
    list_editable = ["position"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["editors"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(task_count=Count("tasks"))

    @admin.display(description=_("tasks led"), ordering="task_count")
    def task_count(self, group):
        return group.task_count
