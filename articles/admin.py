from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from translations.admin import TranslatedAdminMixin
from versioning.admin import VersionedAdmin

from .models import Article


@admin.register(Article)
class ArticleAdmin(TranslatedAdminMixin, VersionedAdmin):
    list_display = ["number", "title", "task_count"]
    list_display_links = ["number", "title"]
    search_fields = ["=number", "title", "summary"]
    ordering = ["number"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(task_count=Count("tasks", distinct=True))

    @admin.display(description=_("tasks"), ordering="task_count")
    def task_count(self, article):
        return article.task_count
