"""Page-number pagination with the status table's page sizes, every bad value answered by name."""

from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination

from tasks.filters import DEFAULT_PER_PAGE, PER_PAGE_CHOICES


class RoadmapPagination(PageNumberPagination):
    """``page`` and ``per_page`` as on /tasks/: 10, 25 (default), 50 or 100 rows a page.

    Page numbers rather than cursors: the road map is small and changes at meetings, clients want
    its count and a page they can name, and the `sort` orders (status, lead group...) are not the
    unique, unchanging keys a cursor needs. Every list orders on a unique key last, so pages are stable.
    """

    page_size = DEFAULT_PER_PAGE
    page_size_query_param = "per_page"
    max_page_size = max(PER_PAGE_CHOICES)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        if not value.isascii() or not value.isdigit() or int(value) not in PER_PAGE_CHOICES:
            choices = ", ".join(str(n) for n in PER_PAGE_CHOICES)
            raise ValidationError(
                {self.page_size_query_param: [_("Choose one of %(choices)s.") % {"choices": choices}]}
            )
        return int(value)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        number = request.query_params.get(self.page_query_param, "") or "1"
        if not number.isascii() or not number.isdigit() or not number.strip("0"):
            raise ValidationError({self.page_query_param: [_("A page number is a whole number from 1.")]})
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            # Python refuses to read integers of thousands of digits: such a page is past the last anyway.
            self.page = paginator.page(int(number) if len(number) <= 18 else paginator.num_pages + 1)
        except InvalidPage:
            message = _("There is no such page: the last is %(last)s.") % {"last": paginator.num_pages}
            raise NotFound({self.page_query_param: [message]}) from None
        return list(self.page)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number, from 1.",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": "Rows a page.",
                "schema": {"type": "integer", "enum": PER_PAGE_CHOICES, "default": DEFAULT_PER_PAGE},
            },
        ]
