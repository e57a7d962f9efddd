from django import forms
from django.contrib import admin
from django.db.models import Count, Prefetch
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from .exports.common import ExportScope
from .exports.xlsx import xlsx_response
from .models import Meeting, ProgressUpdate, Status, Task, TaskArticle, WorkingGroup


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


class TaskArticleInline(admin.TabularInline):
    model = TaskArticle
    autocomplete_fields = ["article"]
    extra = 1
    verbose_name = _("relevant article")
    verbose_name_plural = _("relevant articles")


class ProgressUpdateInlineForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["reported_on", "meeting", "status", "narrative"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 3, "cols": 60})}


class ProgressUpdateInline(admin.StackedInline):
    model = ProgressUpdate
    form = ProgressUpdateInlineForm
    extra = 1
    ordering = ["-reported_on", "-created_at", "-pk"]
    fields = ["reported_on", "meeting", "status", "narrative", "recorded"]
    readonly_fields = ["recorded"]
    autocomplete_fields = ["meeting"]
    show_change_link = True
    verbose_name = _("progress update")
    verbose_name_plural = _("progress updates (newest first)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("meeting", "recorded_by")

    @admin.display(description=_("recorded"))
    def recorded(self, update):
        if not update.pk:
            return "—"
        who = update.recorded_by.get_username() if update.recorded_by else _("(imported)")
        return format_html("{} · {:%Y-%m-%d %H:%M}", who, update.created_at)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["position", "short_title", "lead_group", "articles_cited", "status_badge", "last_reported_on"]
    list_display_links = ["position", "short_title"]
    list_filter = ["lead_group", CurrentStatusFilter, ("articles", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "current_update__narrative"]
    ordering = ["position", "pk"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["position", "title", "lead_group"]}),
        (_("More"), {"fields": ["description"], "classes": ["collapse"]}),
    ]
    inlines = [TaskArticleInline, ProgressUpdateInline]
    actions = ["export_selected_xlsx"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_current_status()
            .prefetch_related(Prefetch("articles", queryset=Article.objects.only("pk", "number")))
        )

    @admin.display(description=_("task"), ordering="title")
    def short_title(self, task):
        title = " ".join(task.title.split())
        return title if len(title) <= 120 else f"{title[:119]}…"

    @admin.action(description=_("Export selected to Excel"), permissions=["view"])
    def export_selected_xlsx(self, request, queryset):
        return xlsx_response(ExportScope.from_selection(queryset))

    @admin.display(description=_("relevant articles"))
    def articles_cited(self, task):
        return task.articles_label or "—"

    @admin.display(description=_("current status"), ordering="current_status")
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
class ProgressUpdateAdmin(admin.ModelAdmin):
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


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
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
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug", "position", "task_count"]
    list_editable = ["position"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(task_count=Count("tasks"))

    @admin.display(description=_("tasks led"), ordering="task_count")
    def task_count(self, group):
        return group.task_count
