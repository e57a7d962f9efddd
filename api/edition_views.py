"""The issued editions as data: thin views over editions' own reads (published editions, the comparison)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from editions.filters import EditionListFilter
from editions.models import EditionFile, Step
from editions.selectors import LIVE, compare, published_editions, side
from editions.views import CompareForm

from . import edition_serializers as serializers
from .filters import StrictFilterBackend
from .views import DETAIL_ERRORS, ERRORS, LIST_ERRORS, Endpoint, _path_id

# The list's filters in the schema (django-filter's model choices would be typed as text).
LIST_PARAMETERS = [
    OpenApiParameter("meeting", int, description="A meeting's id: its editions."),
    OpenApiParameter("group", str, description="A working group's slug (lwg, twg): the editions of its tasks."),
]
COMPARE_PARAMETERS = [
    OpenApiParameter("from", int, required=True, description="An issued (or superseded) edition's id."),
    OpenApiParameter("to", str, required=True, description="Another edition's id, or \"live\" for today's table."),
]


@extend_schema_view(
    get=extend_schema(
        parameters=LIST_PARAMETERS,
        responses={200: serializers.EditionSummarySerializer(many=True), **LIST_ERRORS},
    )
)
class EditionList(Endpoint, generics.ListAPIView):
    """Issued and superseded editions, newest first, filterable by meeting and working group (as /editions/)."""

    serializer_class = serializers.EditionSummarySerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = EditionListFilter

    def get_queryset(self):
        return published_editions().order_by("-issued_at", "-pk")


@extend_schema_view(
    get=extend_schema(
        parameters=[_path_id("id", "The edition's id.")],
        responses={200: serializers.EditionSerializer, **DETAIL_ERRORS},
    )
)
class EditionDetail(Endpoint, generics.RetrieveAPIView):
    """An issued edition: its lines, its states (who, when), its files (SHA-256, download) and its frozen rows."""

    serializer_class = serializers.EditionSerializer

    def get_queryset(self):
        return published_editions().prefetch_related(
            Prefetch("steps", queryset=Step.objects.select_related("user")),
            Prefetch("files", queryset=EditionFile.objects.defer("content")),
            "rows",
        )


class ComparisonView(APIView):
    """Answer GET with the comparison ``self.comparison(request)`` returns (under Endpoint's ETag)."""

    def get(self, request, *args, **kwargs):
        return Response(serializers.ComparisonSerializer(self.comparison(request)).data)


@extend_schema(
    parameters=COMPARE_PARAMETERS,
    responses={200: serializers.ComparisonSerializer, **{code: ERRORS[code] for code in (400, 401, 406, 429)}},
)
class EditionCompare(Endpoint, ComparisonView):
    """What changed between two editions, or from one to today's table: the /editions/compare/ page's comparison.

    An unknown, equal or malformed id is a 400 naming ``from`` or ``to``, as the page refuses them.
    """

    def comparison(self, request):
        form = CompareForm(request.query_params)
        if not form.is_valid():
            errors = {("from" if name == "from_" else name): messages for name, messages in form.errors.items()}
            if "__all__" in errors:
                errors["to"] = errors.pop("__all__")
            raise ValidationError(errors)
        first, second = form.cleaned_data["from_"], form.cleaned_data["to"]
        editions = published_editions().in_bulk([first] if second == LIVE else [first, second])
        unknown = _("No issued edition has that number.")
        if first not in editions:
            raise ValidationError({"from": [unknown]})
        if second != LIVE and second not in editions:
            raise ValidationError({"to": [unknown]})
        new = LIVE if second == LIVE else editions[second]
        return compare(side(editions[first]), side(new))
