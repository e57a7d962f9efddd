"""The API's filters: the status table's own FilterSet for tasks, a FilterSet for progress updates, the sort.

Every filter is strict here: a value that does not validate is answered 400, naming its parameter,
where the pages leave it out and say so above the table.
"""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.drainage import set_override
from drf_spectacular.types import OpenApiTypes
from rest_framework.exceptions import ValidationError

from tasks.filters import TaskFilter
from tasks.models import Meeting, ProgressUpdate, Status, Task, WorkingGroup
from tasks.tables import TaskTable

# The schema's types of the table's filters that drf-spectacular cannot infer (article numbers, a meeting's id).
for _name in ("article", "meeting"):
    set_override(TaskFilter.base_filters[_name], "field", OpenApiTypes.INT)

# The table's sortable columns, by the names its ``sort`` parameter takes.
SORT_KEYS = [name for name, column in TaskTable.base_columns.items() if column.orderable is not False]
MAX_SORT_KEYS = 3  # as many as the table reads


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the FilterSet on the view (the CSV export reads its scope)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        view.filterset = filterset
        return filterset.qs


def sort_keys(request):
    """Return the ``sort`` keys asked for (repeated or comma-separated), refusing unknown ones by name."""
    keys = [key.strip() for value in request.query_params.getlist("sort") for key in value.split(",") if key.strip()]
    unknown = [key for key in keys if key.removeprefix("-") not in SORT_KEYS]
    if unknown or len(keys) > MAX_SORT_KEYS:
        message = _("Sort by at most %(most)d of %(keys)s, each with '-' in front for descending.") % {
            "most": MAX_SORT_KEYS,
            "keys": ", ".join(SORT_KEYS),
        }
        raise ValidationError({"sort": [message]})
    return keys


class TableSortBackend:
    """Order tasks as the status table's ``sort`` does (its own column orderings), the task's id last."""

    def filter_queryset(self, request, queryset, view):
        keys = sort_keys(request)
        if keys:
            queryset = TaskTable(queryset, order_by=keys).data.data
            return queryset.order_by(*queryset.query.order_by, "pk")
        return queryset.order_by("position", "pk")

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "sort",
                "required": False,
                "in": "query",
                "description": "Order of the rows, as on /tasks/: a column, '-' in front for descending; "
                "repeat it (at most 3) to break ties. Default: position.",
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": SORT_KEYS + [f"-{k}" for k in SORT_KEYS]},
                },
                "explode": True,
            }
        ]


class UpdateFilter(django_filters.FilterSet):
    """Progress updates by task, meeting, lead group, status and reported-on dates (inclusive)."""

    task = django_filters.ModelChoiceFilter(queryset=Task.objects.all(), label=gettext_lazy("Task"))
    meeting = django_filters.ModelChoiceFilter(queryset=Meeting.objects.all(), label=gettext_lazy("Meeting"))
    group = django_filters.ModelChoiceFilter(
        field_name="task__lead_group",
        to_field_name="slug",
        queryset=WorkingGroup.objects.all(),
        label=gettext_lazy("Lead working group of the task"),
    )
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=gettext_lazy("Status"))
    reported_from = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="gte", label=gettext_lazy("Reported on or after (YYYY-MM-DD)")
    )
    reported_to = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="lte", label=gettext_lazy("Reported on or before (YYYY-MM-DD)")
    )

    class Meta:
        model = ProgressUpdate
        fields = []  # every filter is declared above
