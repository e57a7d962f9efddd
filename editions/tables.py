import django_tables2 as tables
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from tasks.tables import HEADER

from .models import EditionRow


class EditionRowTable(tables.Table):
    """An issued edition's table: the status table's columns, read from the frozen rows."""

    position = tables.Column(verbose_name=_("No."), attrs=HEADER)
    title = tables.Column(verbose_name=_("Task"), attrs=HEADER)
    narrative = tables.Column(verbose_name=_("Progress status"), orderable=False, attrs=HEADER)
    articles_label = tables.Column(verbose_name=_("Relevant articles"), orderable=False, attrs=HEADER)
    lead_group = tables.Column(verbose_name=_("Lead"), attrs=HEADER)
    status = tables.Column(verbose_name=_("Status"), attrs=HEADER)
    reported_on = tables.Column(verbose_name=_("Last update"), attrs=HEADER)

    class Meta:
        model = EditionRow
        fields = ["position", "title", "narrative", "articles_label", "lead_group", "status", "reported_on"]
        order_by_field = "sort"
        per_page_field = "per_page"
        attrs = {"class": "table table-sm align-top status-table", "id": "status-table"}
        empty_text = _("No task matches these filters.")
        template_name = "editions/_table.html"

    def order_status(self, queryset, is_descending):
        return queryset.order_by("-status_rank" if is_descending else "status_rank", "position", "task_id"), True

    def order_lead_group(self, queryset, is_descending):
        group = F("lead_group_position")
        return queryset.order_by(
            group.desc(nulls_last=True) if is_descending else group.asc(nulls_last=True), "position"
        ), True

    def order_title(self, queryset, is_descending):
        return queryset.order_by("-title" if is_descending else "title", "position"), True

    def order_reported_on(self, queryset, is_descending):
        return queryset.order_by("-reported_on" if is_descending else "reported_on", "position"), True
