"""The status table's filters: one FilterSet for the table, the feed and the exports.

Every filter is a GET parameter (``group``, ``article``, ``status``, ``q``, ``meeting``), so
every view of the table is a URL a delegate can bookmark. A value that does not validate
is left out and reported on the form; the other filters still apply.
"""

import math

import django_filters
from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from inputs import MAX_ID, MAX_SMALL, parse_int
from translations.fields import ORIGINAL_LANGUAGE
from translations.states import current_q, page_language

from .models import Meeting, Status, Task, TaskArticle, WorkingGroup

PER_PAGE_CHOICES = [10, 25, 50, 100]
DEFAULT_PER_PAGE = 25
MAX_QUERY_LENGTH = 200
MAX_ARTICLE_NUMBER = MAX_SMALL  # Article.number is a PositiveSmallIntegerField
MAX_PAGE = math.inf  # no bound: a page past the last shows the last


def edition_meetings():
    """Return the meetings that can date an edition of the table (those with a date)."""
    return Meeting.objects.filter(start_date__isnull=False)


def parse_page(value):
    """Return the page number asked for, or 1 when none is given as a whole number of at least 1."""
    return parse_int(value, minimum=1, maximum=MAX_PAGE) or 1


class ArticleNumbersField(django_filters.fields.ModelMultipleChoiceField):
    """Article numbers, refused before the database sees them when they are not small integers."""

    def _check_values(self, value):
        numbers = []
        for text in value:
            number = parse_int(text, minimum=1, maximum=MAX_ARTICLE_NUMBER)
            if number is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
                )
            numbers.append(number)
        return super()._check_values(numbers)


class ArticleNumbersFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = ArticleNumbersField


class MeetingField(django_filters.fields.ModelChoiceField):
    """A meeting's id, refused before the database sees it when it is not one an id could be."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        pk = parse_int(value, minimum=1, maximum=MAX_ID)
        if pk is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )
        return super().to_python(pk)


class MeetingFilter(django_filters.ModelChoiceFilter):
    field_class = MeetingField


class PageSizeField(forms.TypedChoiceField):
    """Rows per page: one of the sizes offered, written as int() reads it ("25", " 25", "٢٥")."""

    def to_python(self, value):
        text = super().to_python(value)
        number = parse_int(text, minimum=1, maximum=max(PER_PAGE_CHOICES)) if text else None
        return str(number) if number is not None else text


class TaskFilterForm(forms.Form):
    """The filter form, plus the page size, which is not a filter but is validated alike."""

    per_page = PageSizeField(
        label=_("Rows per page"),
        choices=[(n, n) for n in PER_PAGE_CHOICES],
        coerce=int,
        required=False,
        empty_value=DEFAULT_PER_PAGE,
    )

    def clean_q(self):
        # Control characters mean nothing in a search, and XML (the exports) refuses them.
        text = "".join(c if c.isprintable() else " " for c in self.cleaned_data.get("q", ""))
        return " ".join(text.split())


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in a task or its progress")}),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Working group"),
        field_name="lead_group",
        to_field_name="slug",
        queryset=WorkingGroup.objects.all(),
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
        field_name="entry_status",
        distinct=False,  # one row per task already: DISTINCT would only sort wide rows
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    meeting = MeetingFilter(
        label=_("As at meeting"),
        queryset=edition_meetings(),
        empty_label=_("Latest (today)"),
    )

    class Meta:
        model = Task
        form = TaskFilterForm
        fields = []  # every filter is declared above

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset if queryset is not None else Task.objects.all(), **kwargs)
        self.form.fields["meeting"].label_from_instance = lambda meeting: (
            f"{meeting.short_title} — {date_format(meeting.edition_date, 'SHORT_DATE_FORMAT')}"
        )
        self.form.fields["article"].label_from_instance = lambda article: article.number

    @property
    def edition_meeting(self):
        """Return the meeting whose edition is shown, or None for the latest table."""
        self.errors  # noqa: B018  (validates the form once)
        return self.form.cleaned_data.get("meeting")

    @property
    def per_page(self):
        self.errors  # noqa: B018
        return self.form.cleaned_data.get("per_page") or DEFAULT_PER_PAGE

    def filter_queryset(self, queryset):
        queryset = queryset.as_of(self.edition_meeting)  # the meeting is no filter: it chooses the edition
        for name, value in self.form.cleaned_data.items():
            if name in self.filters and name != "meeting":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def search(self, queryset, name, value):
        """Keep the tasks whose texts hold every word, in English or in the page's current translation."""
        language = page_language()
        texts = (("title", ""), ("description", ""), ("narrative", "entry__"))
        for word in value.split()[:10]:
            match = Q()
            for field, prefix in texts:
                match |= Q(**{f"{prefix}{field}__icontains": word})
                if language != ORIGINAL_LANGUAGE:
                    match |= current_q(field, language, word, prefix)
            queryset = queryset.filter(match)
        return queryset

    def filter_articles(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=TaskArticle.objects.filter(article__in=value).values("task_id"))

    def applied(self, edition=True):
        """Return (label, value) of each filter in force, for headings and exports.

        ``edition=False`` leaves out the meeting, for a heading that names the edition itself.
        """
        self.errors  # noqa: B018
        data = self.form.cleaned_data
        shown = []
        if data.get("q"):
            shown.append((_("Search"), f"“{data['q']}”"))
        if data.get("group"):
            shown.append((_("Working group"), data["group"].short_name))
        if data.get("article"):
            shown.append((_("Articles"), ", ".join(str(a.number) for a in data["article"])))
        if data.get("status"):
            labels = dict(Status.choices)
            shown.append((_("Status"), ", ".join(str(labels[s]) for s in data["status"])))
        if edition and data.get("meeting"):
            shown.append((_("As at meeting"), data["meeting"].short_title))
        return shown

    @property
    def chosen_in_url(self):
        """Return whether the address sets any of the form's fields (the filters are then shown open)."""
        if self.request is None:
            return False
        return any(value for name in self.form.fields for value in self.request.GET.getlist(name))

    @property
    def narrowing_filters(self):
        """Return the filters in force but the edition (for templates, which cannot pass arguments)."""
        return self.applied(edition=False)
