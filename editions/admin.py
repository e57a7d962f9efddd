"""The editions' admin: drafts edited by who may prepare them, the workflow's buttons, the preview.

An edition that is not a draft is read-only here; an issued one is read-only everywhere. The
steps go through editions.services, which checks the permissions and the state under a lock.
The progress update admins of tasks are extended to say when a saved update falls within an
issued edition (tasks does not know about editions).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tasks import admin as task_admin
from tasks.models import ProgressUpdate, Status, Task
from tasks.permissions import editable_groups, edits_all_groups
from tasks.spreadsheets.layout import DOCX_CONTENT_TYPE, XLSX_CONTENT_TYPE
from tasks.spreadsheets.scope import spooled_response
from translations.admin import TranslatedAdminMixin

from . import services
from .documents import LiveEditionScope, document_lines, render
from .models import Edition, State, Step
from .permissions import may_clear, may_issue, may_prepare
from .selectors import covering_editions

LINES = [
    "meeting",
    "title",
    "symbol",
    "distribution",
    "language_line",
    "agenda_item",
    "agenda_title",
    "document_date",
    "introduction",
    "group",
    "articles",
]
STEPS = {
    "submit": (services.submit_edition, _("Submitted for clearance.")),
    "clear": (services.clear_edition, _("Cleared.")),
    "send_back": (services.send_back_edition, _("Sent back to draft.")),
    "issue": (services.issue_edition, _("Issued. The edition can no longer change.")),
}


class StepInline(admin.TabularInline):
    model = Step
    fields = ["kind", "user", "at", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("steps (who did what, and when)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Edition)
class EditionAdmin(TranslatedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "meeting", "group", "state", "issued_at"]
    list_filter = ["state", "meeting", "group"]
    list_select_related = ["meeting", "group"]
    search_fields = ["symbol", "title"]
    fields = LINES
    inlines = [StepInline]
    change_form_template = "admin/editions/edition/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))  # the translations' states
        if obj is not None and obj.state != State.DRAFT:
            return [*readonly, *LINES, "issued_files"]
        return readonly

    def get_fields(self, request, obj=None):
        return [*LINES, "issued_files"] if obj is not None and obj.is_frozen else LINES

    @admin.display(description=_("files as issued"))
    def issued_files(self, edition):
        files = edition.files.defer("content")
        return format_html_join(
            "",
            '<p><a href="{}">{}</a> ({} bytes), SHA-256 <code>{}</code></p>',
            ((f.get_absolute_url(), f.filename, f.size, f.sha256) for f in files),
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and may_prepare(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or (obj.state == State.DRAFT and may_prepare(request.user, obj))

    def has_translate_permission(self, request, obj=None):
        """Whoever may prepare editions may translate one's lines, an issued one's too."""
        return self.has_view_permission(request, obj) and may_prepare(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # an issued edition is never deleted; a draft one at a time
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        edition = self._edition(request, object_id)
        if edition.state != State.DRAFT:
            raise PermissionDenied  # nothing issued is ever deleted (the model and the database refuse too)
        return super().delete_view(request, object_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group" and not edits_all_groups(request.user):
            kwargs["queryset"] = editable_groups(request.user)
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not may_prepare(request.user, obj):
            raise PermissionDenied
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            services.record_created(edition=obj, user=request.user)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/step/<str:step>/", wrap(self.step_view), name=f"{name}_step"),
            path("<path:object_id>/revise/", wrap(self.revise_view), name=f"{name}_revise"),
            path("<path:object_id>/preview/", wrap(self.preview_view), name=f"{name}_preview"),
            path("<path:object_id>/preview.<str:kind>", wrap(self.preview_file), name=f"{name}_preview_file"),
            *super().get_urls(),
        ]

    def _edition(self, request, object_id):
        edition = get_object_or_404(Edition.objects.select_related("meeting", "group"), pk=object_id)
        if not self.has_view_permission(request, edition):
            raise PermissionDenied
        return edition

    def available_steps(self, request, edition):
        user = request.user
        state = edition.state
        return {
            "submit": state == State.DRAFT and may_prepare(user, edition),
            "clear": state == State.SUBMITTED and may_clear(user),
            "send_back": state in (State.SUBMITTED, State.CLEARED) and (may_clear(user) or may_issue(user)),
            "issue": state == State.CLEARED and may_issue(user),
            "revise": state == State.ISSUED and may_prepare(user, edition),
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        edition = self._edition(request, object_id)
        extra = {"edition": edition, "steps_allowed": self.available_steps(request, edition), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra)

    def step_view(self, request, object_id, step):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if step not in STEPS:
            raise Http404
        edition = self._edition(request, object_id)
        action, done = STEPS[step]
        comment = request.POST.get("comment", "")[:2000]
        try:
            action(
                edition=edition,
                user=request.user,
                **({"reason": comment} if step == "send_back" else {"comment": comment}),
            )
        except services.EditionError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect("admin:editions_edition_change", edition.pk)

    def revise_view(self, request, object_id):
        edition = self._edition(request, object_id)
        if request.method == "POST":
            try:
                draft = services.revise_edition(edition=edition, user=request.user)
            except services.EditionError as error:
                self.message_user(request, str(error), messages.ERROR)
                return redirect("admin:editions_edition_change", edition.pk)
            self.message_user(
                request, gettext("A revision was started as a draft: edit it, then submit it."), messages.SUCCESS
            )
            return redirect("admin:editions_edition_change", draft.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "edition": edition,
            "title": _("Revise an issued edition"),
        }
        return TemplateResponse(request, "admin/editions/edition/revise.html", context)

    def preview_view(self, request, object_id):
        edition = self._edition(request, object_id)
        scope = LiveEditionScope(edition)
        labels = dict(Status.choices)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "edition": edition,
            "lines": document_lines(edition),
            "scope": scope,
            "rows": [(row, labels.get(row.status, "")) for row in scope.rows()],
            "title": _("Preview of the edition"),
        }
        return TemplateResponse(request, "admin/editions/edition/preview.html", context)

    def preview_file(self, request, object_id, kind):
        edition = self._edition(request, object_id)
        if kind not in ("docx", "xlsx"):
            raise Http404
        scope = LiveEditionScope(edition)
        content_type = DOCX_CONTENT_TYPE if kind == "docx" else XLSX_CONTENT_TYPE
        return spooled_response(
            lambda out: out.write(render(scope, kind)),
            filename=f"preview-{scope.filename(kind)}",
            content_type=content_type,
        )


class IssuedEditionNotice:
    """Say, on saving a progress update, which issued editions cover its date and stay as they were."""

    def notify_issued(self, request, update):
        for edition in covering_editions(update):
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    gettext(
                        "This update is dated within %(edition)s, which was issued on %(date)s: the issued edition "
                        "does not change."
                    )
                    % {"edition": edition, "date": edition.issued_at.date()},
                    reverse("admin:editions_edition_revise", args=[edition.pk]),
                    gettext("Revise"),
                ),
                messages.WARNING,
            )


class ProgressUpdateAdmin(IssuedEditionNotice, task_admin.ProgressUpdateAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.notify_issued(request, obj)


class TaskAdmin(IssuedEditionNotice, task_admin.TaskAdmin):
    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        saved = [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]
        for update in saved:
            if isinstance(update, ProgressUpdate):
                self.notify_issued(request, update)


for model, model_admin in ((ProgressUpdate, ProgressUpdateAdmin), (Task, TaskAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)
