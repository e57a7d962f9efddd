from django.db.models import Count, Q
from django.views.generic import DetailView, ListView

from tasks.models import STATUS_ORDER, Status
from tasks.views import ScopedTaskTableMixin

from .models import Article


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
