"""The read-only API: thin views over the pages' own reads (the table's FilterSet, Task.objects.as_of)."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics
from rest_framework.exceptions import MethodNotAllowed, NotFound
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.models import Article
from tasks.filters import TaskFilter
from tasks.models import LATEST_FIRST, Meeting, ProgressUpdate, Task, WorkingGroup
from tasks.spreadsheets.scope import ExportScope

from . import serializers
from .conditional import Freshness, current_stamp
from .filters import StrictFilterBackend, TableSortBackend, UpdateFilter
from .tabular import CSV_CONTENT_TYPE, CSVRenderer, tasks_csv, updates_csv

ARTICLE_NUMBERS = Prefetch("articles", queryset=Article.objects.only("pk", "number"))


def _error(description):
    return OpenApiResponse(OpenApiTypes.OBJECT, description=description)


JSON = "application/json"
ERRORS = {
    400: _error("A parameter is not valid: the body names it, {parameter: [messages]}."),
    401: _error("ROADMAP_REQUIRE_LOGIN is on: sign in or send `Authorization: Token ...`."),
    404: _error("No such record ({detail: ...}), or no such page ({page: [...]})."),
    406: _error("No format the client accepts (`?format=` or Accept) is offered."),
    429: _error("Too many anonymous requests: wait the seconds Retry-After says."),
}
FORMAT = OpenApiParameter(
    "format", str, enum=["json", "csv"], description="json (default) or csv; `Accept: text/csv` does the same."
)
TABLE_PARAMETERS = [
    FORMAT,
    OpenApiParameter(
        "article", int, many=True, explode=True, description="An article number; repeat it for tasks citing any."
    ),
    OpenApiParameter("meeting", int, description="A meeting's id: the table as at that meeting (its edition)."),
]


def csv_list(serializer):
    """The responses of a list that also answers in CSV: JSON pages, or every row in CSV, errors in JSON."""
    return {
        (200, JSON): serializer(many=True),
        (200, CSV_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.STR, description="With ?format=csv: every row."),
        **{(code, JSON): response for code, response in ERRORS.items()},
    }


def _path_id(name, description):
    return OpenApiParameter(name, int, OpenApiParameter.PATH, description=description)


class ReadOnlyMixin:
    """GET, HEAD and OPTIONS only (anything else 405, before access is checked); errors always in JSON."""

    http_method_names = ["get", "head", "options"]

    def initial(self, request, *args, **kwargs):
        if request.method not in SAFE_METHODS:
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if not isinstance(getattr(self.request, "accepted_renderer", None), JSONRenderer):
            self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)


class Endpoint(ReadOnlyMixin):
    """A resource: read-only, answering conditional GETs from the road map's change stamp."""

    def get(self, request, *args, **kwargs):
        freshness = Freshness(request, current_stamp())
        answer = freshness.not_modified(request)
        if answer is not None:
            return answer
        response = super().get(request, *args, **kwargs)
        return freshness.apply(response) if response.status_code == 200 else response


class CSVListMixin:
    """A list that also answers ``?format=csv`` / ``Accept: text/csv`` with every row, streamed."""

    renderer_classes = [JSONRenderer, CSVRenderer]

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            return self.csv(self.filter_queryset(self.get_queryset()))
        return super().list(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        # Whatever is not the streamed CSV (OPTIONS's description, an error) is answered in JSON.
        renderer = getattr(request, "accepted_renderer", None)
        if isinstance(response, Response) and isinstance(renderer, CSVRenderer):
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
        return super().finalize_response(request, response, *args, **kwargs)


@extend_schema_view(get=extend_schema(parameters=TABLE_PARAMETERS, responses=csv_list(serializers.TaskSerializer)))
class TaskList(Endpoint, CSVListMixin, generics.ListAPIView):
    """The status table: the same parameters as /tasks/ (its FilterSet), sorted and paged alike."""

    serializer_class = serializers.TaskSerializer
    filter_backends = [StrictFilterBackend, TableSortBackend]
    filterset_class = TaskFilter

    def get_queryset(self):
        return Task.objects.prefetch_related(ARTICLE_NUMBERS)  # TaskFilter turns it into an edition

    def csv(self, queryset):
        return tasks_csv(ExportScope.from_filter(self.filterset))


@extend_schema_view(
    get=extend_schema(
        parameters=[_path_id("id", "The task's id.")], responses={200: serializers.TaskSerializer, **ERRORS}
    )
)
class TaskDetail(Endpoint, generics.RetrieveAPIView):
    """A task as it stands now."""

    serializer_class = serializers.TaskSerializer
    queryset = Task.objects.as_of(None).prefetch_related(ARTICLE_NUMBERS)


def _updates():
    return ProgressUpdate.objects.select_related("task", "meeting")


@extend_schema_view(
    get=extend_schema(
        parameters=[FORMAT, _path_id("id", "The task's id.")],
        responses=csv_list(serializers.UpdateSerializer),
    )
)
class TaskUpdates(Endpoint, CSVListMixin, generics.ListAPIView):
    """A task's progress updates, latest first."""

    serializer_class = serializers.UpdateSerializer

    def get_queryset(self):
        task = get_object_or_404(Task.objects.only("pk"), pk=self.kwargs["pk"])
        return _updates().filter(task=task).order_by(*LATEST_FIRST)

    def csv(self, queryset):
        return updates_csv(queryset)


@extend_schema_view(get=extend_schema(parameters=[FORMAT], responses=csv_list(serializers.UpdateSerializer)))
class UpdateList(Endpoint, CSVListMixin, generics.ListAPIView):
    """Progress updates, latest first, filtered by task, meeting, lead group, status and dates."""

    serializer_class = serializers.UpdateSerializer
    filter_backends = [StrictFilterBackend]
    filterset_class = UpdateFilter

    def get_queryset(self):
        return _updates().order_by(*LATEST_FIRST)

    def csv(self, queryset):
        return updates_csv(queryset)


LIST_ERRORS = {code: ERRORS[code] for code in (400, 401, 404, 406, 429)}
DETAIL_ERRORS = {code: ERRORS[code] for code in (401, 404, 406, 429)}


@extend_schema_view(get=extend_schema(responses={200: serializers.ArticleSerializer(many=True), **LIST_ERRORS}))
class ArticleList(Endpoint, generics.ListAPIView):
    """The agreement's articles, by number."""

    serializer_class = serializers.ArticleSerializer
    queryset = Article.objects.order_by("number")


@extend_schema_view(
    get=extend_schema(
        parameters=[_path_id("number", "The article's number.")],
        responses={200: serializers.ArticleSerializer, **DETAIL_ERRORS},
    )
)
class ArticleDetail(Endpoint, generics.RetrieveAPIView):
    """An article of the agreement."""

    serializer_class = serializers.ArticleSerializer
    queryset = Article.objects.all()
    lookup_field = "number"


@extend_schema_view(get=extend_schema(responses={200: serializers.GroupSerializer(many=True), **LIST_ERRORS}))
class GroupList(Endpoint, generics.ListAPIView):
    """The working groups that lead tasks."""

    serializer_class = serializers.GroupSerializer
    queryset = WorkingGroup.objects.order_by("position", "name", "pk")


@extend_schema_view(get=extend_schema(responses={200: serializers.GroupSerializer, **DETAIL_ERRORS}))
class GroupDetail(Endpoint, generics.RetrieveAPIView):
    """A working group, by its slug (lwg, twg)."""

    serializer_class = serializers.GroupSerializer
    queryset = WorkingGroup.objects.all()
    lookup_field = "slug"

    def get_object(self):
        if "\x00" in self.kwargs["slug"]:  # PostgreSQL refuses NUL in a text before it can say "none"
            raise Http404
        return super().get_object()


@extend_schema_view(get=extend_schema(responses={200: serializers.MeetingSerializer(many=True), **LIST_ERRORS}))
class MeetingList(Endpoint, generics.ListAPIView):
    """The meetings, by date (those whose date is not verified last)."""

    serializer_class = serializers.MeetingSerializer

    def get_queryset(self):
        return Meeting.objects.order_by(*Meeting._meta.ordering, "pk")


@extend_schema_view(
    get=extend_schema(
        parameters=[_path_id("id", "The meeting's id.")],
        responses={200: serializers.MeetingSerializer, **DETAIL_ERRORS},
    )
)
class MeetingDetail(Endpoint, generics.RetrieveAPIView):
    """A meeting; its edition of the table is /api/v1/tasks/?meeting=<id>."""

    serializer_class = serializers.MeetingSerializer
    queryset = Meeting.objects.all()


ROOT_LINKS = ["tasks", "updates", "articles", "groups", "meetings", "editions", "schema", "docs"]


@extend_schema(tags=["index"], responses={200: OpenApiTypes.OBJECT, **DETAIL_ERRORS})
class RootView(ReadOnlyMixin, APIView):
    """Where to start: the URL of each resource, the schema and its documentation page."""

    def get(self, request, *args, **kwargs):
        return Response({name: request.build_absolute_uri(reverse(f"api:{name}")) for name in ROOT_LINKS})


class NotFoundView(ReadOnlyMixin, APIView):
    """Any other path under /api/v1/ ending in a slash: a JSON 404 (without the slash, Django adds it first)."""

    schema = None  # not in the schema

    def get(self, request, *args, **kwargs):
        raise NotFound


class SchemaView(ReadOnlyMixin, SpectacularAPIView):
    """The OpenAPI 3 schema: YAML by default, JSON with ?format=json or Accept: application/json."""


class DocsView(ReadOnlyMixin, SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar; its start-up script a file of its own, as the CSP wants."""

    template_name = "api/docs.html"
    url_name = "api:schema"

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        view.login_required = True  # a page for people: sent to sign in like any page (DRF exempts its views)
        return view
