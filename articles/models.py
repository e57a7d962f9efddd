from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from translations.fields import translations_of
from translations.states import shown_text
from versioning.models import VersionedModel


class Article(
    VersionedModel,
    translations_of("Article", __name__, title=(_("title"), 255), summary=(_("summary"), None)),
):
    """An article of the Framework Agreement that road map tasks implement."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Leave blank until the title is verified against the agreement's text."),
    )
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()
    translated_fields = ("title", "summary")

    class Meta:
        ordering = ["number"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(condition=models.Q(number__gte=1), name="article_number_positive"),
        ]

    def __str__(self):
        if self.title:
            return _("Article %(number)s: %(title)s") % {"number": self.number, "title": shown_text(self, "title")}
        return self.label

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"number": self.number})

    @property
    def label(self):
        """Return the article as meeting documents cite it ("Article 6")."""
        return _("Article %(number)s") % {"number": self.number}


def cite_articles(numbers):
    """Return article numbers as documents cite them: "Articles 7, 9 and 14"."""
    numbers = sorted(set(numbers))
    if not numbers:
        return ""
    if len(numbers) == 1:
        return _("Article %(number)s") % {"number": numbers[0]}
    return _("Articles %(list)s and %(last)s") % {
        "list": ", ".join(str(n) for n in numbers[:-1]),
        "last": numbers[-1],
    }
