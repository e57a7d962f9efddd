"""The formatting rules of tasks/formatting.py, for templates: ``{% load roadmap_format %}``."""

from django import template

from tasks import formatting

register = template.Library()


@register.filter
def short_title(title):
    """Return a task's title on one line, cut as lists and feeds cut it."""
    return formatting.short_title(title)
