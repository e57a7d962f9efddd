"""The frozen table's filters: the same GET parameters as /tasks/, read from an edition's rows."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from tasks.filters import DEFAULT_PER_PAGE, MAX_QUERY_LENGTH, ArticleNumbersFilter, TaskFilterForm
from tasks.models import Meeting, Status, WorkingGroup

from .models import Edition, EditionRow


class EditionRowFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=MAX_QUERY_LENGTH)
    group = django_filters.ModelChoiceFilter(
        label=_("Working group"),
        queryset=WorkingGroup.objects.all(),
        to_field_name="slug",
        method="filter_group",
        empty_label=_("All groups"),
    )
    article = ArticleNumbersFilter(
        label=_("Articles"),
        to_field_name="number",
        queryset=Article.objects.all(),
        method="filter_articles",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        distinct=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    class Meta:
        model = EditionRow
        form = TaskFilterForm
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.form.fields["article"].label_from_instance = lambda article: article.number

    @property
    def per_page(self):
        self.errors  # noqa: B018  (validates the form once)
        return self.form.cleaned_data.get("per_page") or DEFAULT_PER_PAGE

    def filter_queryset(self, queryset):
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:  # per_page is the form's, not a filter
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def search(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(narrative__icontains=word))
        return queryset

    def filter_group(self, queryset, name, value):
        return queryset.filter(lead_group_slug=value.slug) if value else queryset

    def filter_articles(self, queryset, name, value):
        if not value:
            return queryset
        match = Q()
        for article in value:
            match |= Q(article_key__contains=f",{article.number},")
        return queryset.filter(match)


class EditionListFilter(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(
        label=_("Meeting"),
        queryset=Meeting.objects.filter(editions__isnull=False).distinct(),
        empty_label=_("All meetings"),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Working group"),
        queryset=WorkingGroup.objects.all(),
        to_field_name="slug",
        method="filter_group",
        empty_label=_("Every group"),
    )

    class Meta:
        model = Edition
        fields = []

    def filter_group(self, queryset, name, value):
        return queryset.filter(group=value) if value else queryset
