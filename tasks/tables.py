import django_tables2 as tables
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from .models import Task

HEADER = {"th": {"scope": "col"}}


class TaskTable(tables.Table):
    """The road map's status table, with the meeting document's three columns first.

    The columns define the headers, sorting and paging; templates/tasks/_table.html writes the
    cells and rows (their classes, labels for the phone layout, and ids).
    """

    position = tables.Column(verbose_name=_("No."), attrs=HEADER)
    title = tables.Column(verbose_name=_("Task"), attrs=HEADER)
    narrative = tables.Column(verbose_name=_("Progress status"), orderable=False, attrs=HEADER)
    articles = tables.Column(verbose_name=_("Relevant articles"), orderable=False, attrs=HEADER)
    lead_group = tables.Column(verbose_name=_("Lead"), attrs=HEADER)
    status = tables.Column(verbose_name=_("Status"), attrs=HEADER)
    reported_on = tables.Column(verbose_name=_("Last update"), attrs=HEADER)

    class Meta:
        model = Task
        fields = ["position", "title", "narrative", "articles", "lead_group", "status", "reported_on"]
        order_by_field = "sort"
        per_page_field = "per_page"
        attrs = {"class": "table table-sm align-top status-table", "id": "status-table"}
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
