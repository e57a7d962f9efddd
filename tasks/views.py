from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from articles.models import Article
from translations.states import shown_text

from .filters import TaskFilter, parse_page
from .formatting import short_title
from .models import STATUS_ORDER, Meeting, ProgressUpdate, Status, Task, WorkingGroup
from .selectors import edition_changes, previous_edition_meeting, task_history
from .spreadsheets.docx import docx_response
from .spreadsheets.scope import ExportOptionsForm, ExportScope
from .spreadsheets.xlsx import xlsx_response
from .tables import TaskTable

ARTICLES = Prefetch("articles", queryset=Article.objects.only("pk", "number"))


class TaskTableMixin(SingleTableMixin):
    """Show a paginated, sortable status table; with htmx, only the table is sent back."""

    table_class = TaskTable

    def get_table(self, **kwargs):
        """Configure sorting and paging from the query string, tolerating any value in it.

        Unknown sort keys are dropped by the table; a page number that is not a whole number
        shows the first page, one past the last the last page (Django's ``Paginator.get_page``).
        """
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        table.request = self.request  # set after: passing it to the constructor pages the table unchecked
        sort = [key for key in self.request.GET.getlist(table.order_by_field)[:3] if len(key) <= 40]
        if sort:
            table.order_by = sort
        table.paginator = Paginator(table.rows, self.filterset.per_page)
        table.page = table.paginator.get_page(parse_page(self.request.GET.get(table.page_field)))
        return table

    def get_table_data(self):
        return self.filterset.qs.prefetch_related(ARTICLES)

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "results":
            return ["tasks/_results.html"]
        return super().get_template_names()


class TaskListView(TaskTableMixin, FilterView):
    """The status table: every filter, sort and page a shareable GET URL."""

    filterset_class = TaskFilter
    template_name = "tasks/task_list.html"
    strict = False  # an invalid filter is reported on the form; the valid ones still apply

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = kwargs["data"] if kwargs["data"] is not None else {}
        return kwargs


class ScopedTaskTableMixin(TaskTableMixin):
    """A page about one article, group or meeting, with the status table scoped to it."""

    def filter_data(self):
        return self.request.GET

    def get_context_data(self, **kwargs):
        self.filterset = TaskFilter(self.filter_data(), request=self.request)
        return super().get_context_data(filter=self.filterset, **kwargs)


class ArticleListView(ListView):
    """Every article with how many of its tasks stand at each status."""

    template_name = "articles/article_list.html"
    context_object_name = "articles"

    def get_queryset(self):
        counts = {
            f"n_{status}": Count("tasks", filter=Q(tasks__current_status=status), distinct=True)
            for status in STATUS_ORDER
        }
        return Article.objects.annotate(n_tasks=Count("tasks", distinct=True), **counts)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = [(status, Status(status).label) for status in STATUS_ORDER]
        for article in context["articles"]:
            article.status_counts = [(status, getattr(article, f"n_{status}")) for status in STATUS_ORDER]
        return context


class ArticleDetailView(ScopedTaskTableMixin, DetailView):
    model = Article
    slug_field = "number"
    slug_url_kwarg = "number"
    template_name = "articles/article_detail.html"

    def filter_data(self):
        data = self.request.GET.copy()
        data.setlist("article", [str(self.object.number)])
        return data


class TaskDetailView(DetailView):
    queryset = Task.objects.with_current_status().prefetch_related(ARTICLES)
    template_name = "tasks/task_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(history=task_history(self.object), **kwargs)


class WorkingGroupDetailView(ScopedTaskTableMixin, DetailView):
    model = WorkingGroup
    template_name = "tasks/group_detail.html"

    def filter_data(self):
        data = self.request.GET.copy()
        data["group"] = self.object.slug
        return data


class MeetingListView(ListView):
    template_name = "tasks/meeting_list.html"
    context_object_name = "meetings"

    def get_queryset(self):
        return Meeting.objects.annotate(update_count=Count("updates")).order_by("-start_date", "-pk")


class MeetingDetailView(ScopedTaskTableMixin, DetailView):
    model = Meeting
    template_name = "tasks/meeting_detail.html"

    def filter_data(self):
        data = self.request.GET.copy()
        data["meeting"] = str(self.object.pk)
        return data

    def get_context_data(self, **kwargs):
        previous = previous_edition_meeting(self.object)
        changes = edition_changes(self.object, previous)
        if self.object.edition_date is None:
            return DetailView.get_context_data(self, previous=None, changes=None, **kwargs)
        return super().get_context_data(previous=previous, changes=changes, **kwargs)


def with_query(path, filterset):
    """Return ``path`` with the query string the filters were read from."""
    query = filterset.data.urlencode()
    return path + (f"?{query}" if query else "")


class UpdatesFeed(Feed):
    """Progress updates as an Atom feed, newest first, filtered like the status table."""

    feed_type = Atom1Feed
    title = _("Road map: progress updates")
    subtitle = _("Progress updates on the tasks of the road map for cross-border paperless trade.")
    limit = 50
    author_name = _("ESCAP secretariat")

    def get_object(self, request):
        return TaskFilter(request.GET, request=request)

    def link(self, filterset):
        return with_query(reverse("tasks:list"), filterset)

    def feed_url(self, filterset):
        """Return this feed's own address, filters kept (rel="self")."""
        return with_query(reverse("tasks:feed"), filterset)

    def items(self, filterset):
        tasks = filterset.qs.order_by().values("pk")
        updates = ProgressUpdate.objects.filter(task__in=tasks)
        status = filterset.form.cleaned_data.get("status")
        if status:
            updates = updates.filter(status__in=status)
        meeting = filterset.edition_meeting
        if meeting is not None:
            updates = updates.filter(reported_on__lte=meeting.edition_date)
        return updates.select_related("task__lead_group", "meeting").order_by("-created_at", "-pk")[: self.limit]

    def item_title(self, update):
        title = shown_text(update.task, "title")
        return f"{update.task.position}. {short_title(title)} — {update.get_status_display()}"

    def item_description(self, update):
        return shown_text(update, "narrative")  # the current translation at /fr/feeds/..., else the English

    def item_link(self, update):
        return update.get_absolute_url()

    def item_author_name(self, update):
        """Return who reports the update: the task's lead group, else the secretariat."""
        group = update.task.lead_group
        return group.name if group else str(self.author_name)

    def item_pubdate(self, update):
        return update.created_at

    def item_updateddate(self, update):
        return update.updated_at


def _export(request, respond):
    """Answer an export of the table as /tasks/ filters it; refuse invalid export options."""
    options = ExportOptionsForm(request.GET)
    if not options.is_valid():
        return HttpResponseBadRequest(
            _("The export could not be made:") + "\n" + options.error_text(), content_type="text/plain; charset=utf-8"
        )
    scope = ExportScope.from_filter(TaskFilter(request.GET, request=request))
    return respond(scope, options.cleaned_data)


@require_safe
def export_xlsx(request):
    """The status table as an Excel workbook: the same query string as /tasks/."""
    return _export(request, xlsx_response)


@require_safe
def export_docx(request):
    """The status table as a Word meeting document: the same query string as /tasks/."""
    return _export(request, docx_response)
