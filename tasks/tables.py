import django_tables2 as tables
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .models import Task


class TaskTable(tables.Table):
    """The road map's status table, with the meeting document's three columns first.

    The columns define the headers, sorting and paging; templates/tasks/_table.html writes the cells.
    """

    position = tables.Column(
        verbose_name=_("No."), attrs={"th": {"scope": "col"}, "td": {"class": "text-end", "data-label": _("No.")}}
    )
    title = tables.Column(
        verbose_name=_("Task"),
        attrs={"th": {"scope": "col"}, "td": {"class": "cell-task", "data-label": _("Task")}},
    )
    narrative = tables.Column(
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

    def order_status(self, queryset, is_descending):
        queryset = queryset.order_by("-entry_rank" if is_descending else "entry_rank", "position", "pk")
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
