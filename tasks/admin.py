"""The road map's model admins. The progress import's pages are in ``tasks.import_wizard``."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect as AdminAutocompleteSelect
from django.contrib.auth import get_user_model
from django.db.models import BLANK_CHOICE_DASH, Count, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from translations.admin import TranslatedAdminMixin
from versioning.admin import VersionedAdmin, VersionedInlineMixin
from versioning.forms import VersionedModelForm

from .formatting import short_title
from .import_wizard import ProgressImportMixin
from .models import Meeting, ProgressUpdate, Status, Task, TaskArticle, WorkingGroup
from .permissions import (
    WORKING_GROUP_EDITOR,
    can_edit_task,
    can_edit_update,
    editable_groups,
    editable_tasks,
    edits_all_groups,
    edits_some_group,
)
from .spreadsheets.scope import ExportScope
from .spreadsheets.xlsx import xlsx_response


class AutocompleteSelect(AdminAutocompleteSelect):
    """Django's autocomplete select with its empty choice labelled and first, required or not.

    Django's has an empty ``<option>`` when the choice is optional and none when it is
    required; valid HTML wants a label on the one and an empty first option on the other.
    """

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        options = groups[0][1]
        if options and options[0]["value"] == "":
            options[0]["label"] = BLANK_CHOICE_DASH[0][1]
        else:
            options.insert(0, self.create_option(name, "", BLANK_CHOICE_DASH[0][1], False, 0))
        return groups


class LabelledAutocompleteMixin:
    """Use the autocomplete select above for every field in ``autocomplete_fields``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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


class TaskArticleInline(LabelledAutocompleteMixin, TaskInlinePermissions, admin.TabularInline):
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


class NewProgressUpdateInline(
    LabelledAutocompleteMixin, TaskInlinePermissions, VersionedInlineMixin, admin.StackedInline
):
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
class TaskAdmin(TranslatedAdminMixin, VersionedAdmin):
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

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        # A page that cannot record an update shows no empty "Record the next progress update" heading.
        return [
            inline
            for inline in inlines
            if not isinstance(inline, NewProgressUpdateInline) or inline.has_add_permission(request, obj)
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_current_status()
            .prefetch_related(Prefetch("articles", queryset=Article.objects.only("pk", "number")))
        )

    def history_view(self, request, object_id, extra_context=None):
        task_id = self.history_record_id(object_id)  # a deleted task's history stays visible: not looked up
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
        return short_title(task.title)

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


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(LabelledAutocompleteMixin, ProgressImportMixin, TranslatedAdminMixin, VersionedAdmin):
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
        return short_title(update.task.title)

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


@admin.register(Meeting)
class MeetingAdmin(TranslatedAdminMixin, VersionedAdmin):
    list_display = [
        "title",
        "short_title",
        "body",
        "start_date",
        "end_date",
        "venue",
        "update_count",
    ]
    list_filter = ["body", "venue"]
    search_fields = ["title", "short_title", "venue"]
    date_hierarchy = "start_date"
    fields = ["title", "short_title", "body", ("start_date", "end_date"), "venue"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(update_count=Count("updates"))

    @admin.display(description=_("updates"), ordering="update_count")
    def update_count(self, meeting):
        return meeting.update_count


@admin.register(WorkingGroup)
class WorkingGroupAdmin(TranslatedAdminMixin, VersionedAdmin):
    list_display = ["name", "short_name", "slug", "position", "task_count"]
    list_editable = ["position"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["editors"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(task_count=Count("tasks"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "editors":
            # Those who may be editors: staff in the "Working-group editor" group (and anyone already one).
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_staff=True)
                .filter(Q(groups__name=WORKING_GROUP_EDITOR) | Q(edited_working_groups__isnull=False))
                .distinct()
                .order_by("username")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("tasks led"), ordering="task_count")
    def task_count(self, group):
        return group.task_count
