"""``{% translated obj "field" %}``: a road map text in the page's language, or the English with a note."""

from django import template
from django.template.defaultfilters import linebreaks_filter, linebreaksbr, truncatechars
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from ..states import shown

register = template.Library()


SHORT_LENGTH = 100  # as tasks.formatting.short_title cuts a title in lists and feeds


def _formatted(text, layout, length):
    if layout == "short":  # on one line, cut: a title in a list
        text, length = " ".join(text.split()), length or SHORT_LENGTH
    if length:
        text = truncatechars(text, length)
    if layout == "linebreaks":
        return linebreaks_filter(text, autoescape=True)
    if layout == "linebreaksbr":
        return linebreaksbr(text, autoescape=True)
    return conditional_escape(text)


@register.simple_tag(takes_context=True)
def translated(context, obj, name, layout="", length=0):
    """Render ``obj.name`` as a page in the active language shows it.

    A current translation is shown as is; otherwise the English, marked ``lang="en"``, with a
    visible note saying the translation is missing or out of date. ``layout`` is
    "linebreaks", "linebreaksbr", "short" (on one line, cut as lists cut titles) or "" (as is);
    ``length`` truncates.
    """
    if obj is None:
        return ""
    text = shown(obj, name)
    body = _formatted(text.text, layout, length)
    if text.state is None:
        return body
    element = "div" if layout == "linebreaks" else "span"
    return format_html(
        '<{0} lang="en" class="untranslated">{1}</{0}> <span class="translation-note translation-{2}">{3}</span>',
        mark_safe(element),  # noqa: S308  (one of two literal element names)
        body,
        text.state,
        text.note,
    )


@register.simple_tag
def translated_text(obj, name):
    """Return ``obj.name``'s text in the active language (current translation, else English), unmarked."""
    return "" if obj is None else shown(obj, name).text
