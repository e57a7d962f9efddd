import django_tables2 as tables
from django.db.models import Case, F, IntegerField, Value, When
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .models import Status, Task

# The order a reader expects: from not started to done, then the ones set aside.
STATUS_ORDER = [
    Status.NOT_STARTED,
    Status.IN_PROGRESS,
    Status.DRAFT,
    Status.COMPLETED,
    Status.PENDING,
    Status.CANCELLED,
]


def status_rank(field="entry__status"):
    """Return an expression that sorts statuses in reading order (tasks with none last)."""
    return Case(
        *(When(**{field: status}, then=Value(rank)) for rank, status in enumerate(STATUS_ORDER)),
        default=Value(len(STATUS_ORDER)),
        output_field=IntegerField(),
    )


class TaskTable(tables.Table):
    """The road map's status table, with the meeting document's three columns first."""

    position = tables.Column(
        verbose_name=_("No."), attrs={"th": {"scope": "col"}, "td": {"class": "text-end", "data-label": _("No.")}}
    )
    title = tables.TemplateColumn(
        template_name="tasks/_cell_title.html",
        verbose_name=_("Task"),
        attrs={"th": {"scope": "col"}, "td": {"class": "cell-task", "data-label": _("Task")}},
    )
    narrative = tables.TemplateColumn(
        template_name="tasks/_cell_narrative.html",
        verbose_name=_("Progress status"),
        accessor="entry__narrative",
        orderable=False,
        attrs={"th": {"scope": "col"}, "td": {"class": "cell-narrative", "data-label": _("Progress status")}},
    )
    articles = tables.Column(
        verbose_name=_("Relevant articles"),
        accessor="articles_label",
        orderable=False,
        attrs={"th": {"scope": "col"}, "td": {"data-label": _("Relevant articles")}},
    )
    lead_group = tables.Column(
        verbose_name=_("Lead"),
        accessor="lead_group__short_name",
        default="—",
        attrs={"th": {"scope": "col"}, "td": {"data-label": _("Lead")}},
    )
    status = tables.Column(
        verbose_name=_("Status"),
        accessor="entry__status",
        empty_values=(),
        attrs={"th": {"scope": "col"}, "td": {"data-label": _("Status")}},
    )
    reported_on = tables.DateColumn(
        verbose_name=_("Last update"),
        accessor="entry__reported_on",
        format="j M Y",
        default="—",
        attrs={"th": {"scope": "col"}, "td": {"class": "text-nowrap", "data-label": _("Last update")}},
    )

    class Meta:
        model = Task
        fields = ["position", "title", "narrative", "articles", "lead_group", "status", "reported_on"]
        order_by_field = "sort"
        per_page_field = "per_page"
        # Sort and page links update the table in place (hx-boost on its wrapper); links in rows navigate.
        attrs = {"class": "table table-sm align-top status-table", "id": "status-table", "tbody": {"hx-boost": "false"}}
        row_attrs = {"id": lambda record: f"task-{record.pk}"}
        empty_text = _("No task matches these filters.")
        template_name = "tasks/_table.html"

    def render_status(self, record):
        return render_to_string("tasks/_status_badge.html", {"update": record.entry})

    def order_status(self, queryset, is_descending):
        queryset = queryset.annotate(status_rank=status_rank()).order_by(
            "-status_rank" if is_descending else "status_rank", "position", "pk"
        )
        return queryset, True

    def order_lead_group(self, queryset, is_descending):
        group = F("lead_group__position")
        return queryset.order_by(
            group.desc(nulls_last=True) if is_descending else group.asc(nulls_last=True), "position"
        ), True

    def order_title(self, queryset, is_descending):
        return queryset.order_by("-title" if is_descending else "title", "position"), True

    def order_reported_on(self, queryset, is_descending):
        field = "entry__reported_on"
        ordering = queryset.order_by(f"-{field}", "position") if is_descending else queryset.order_by(field, "position")
        return ordering, True
