"""How a task's title and a meeting's dates are written, the same on pages, in the admin and in files.

Plain functions of plain values: the models, the templates and the exports all call these,
so this module imports nothing of the app's.
"""

from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext

EN_DASH = "\u2013"
SHORT_TITLE_LENGTH = 100  # characters, the ellipsis included: a line of a list or a feed entry


def one_line(text):
    """Return ``text`` with every run of white space, line breaks included, as one space."""
    return " ".join((text or "").split())


def short_title(title, length=SHORT_TITLE_LENGTH):
    """Return a task's title on one line, cut at ``length`` characters with an ellipsis."""
    return Truncator(one_line(title)).chars(length)


def date_range(start, end, dash=EN_DASH):
    """Return the days from ``start`` to ``end`` as pages write them ("23 to 25 March 2016" with an en dash).

    The meeting documents reproduce the secretariat's papers, which write a hyphen ("23-25
    March 2016"): they pass ``dash="-"``. An unknown start gives "". Each language writes the
    range its own way: "23–25 mars 2016", "23–25 марта 2016 г.", "2016年3月23日至25日".
    """
    if start is None:
        return ""
    if end is None or end == start:
        return date_format(start, "DATE_FORMAT")
    if (get_language() or "").startswith("zh"):
        return _chinese_range(start, end)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{dash}{date_format(end, 'DATE_FORMAT')}"
    if start.year == end.year:
        # "E": the month as it follows a day number (Russian's genitive; the same name elsewhere).
        return f"{date_format(start, 'j E')}{dash}{date_format(end, 'DATE_FORMAT')}"
    return f"{date_format(start, 'DATE_FORMAT')}{dash}{date_format(end, 'DATE_FORMAT')}"


def _chinese_range(start, end):
    """Return a range as Chinese writes it: the full first date, 至, then only what differs."""
    first = date_format(start, "DATE_FORMAT")
    if (start.year, start.month) == (end.year, end.month):
        return f"{first}至{end.day}日"
    if start.year == end.year:
        return f"{first}至{end.month}月{end.day}日"
    return f"{first}至{date_format(end, 'DATE_FORMAT')}"


def place_and_dates(venue, start, end, dash=EN_DASH):
    """Return where and when a meeting was held: the venue, then the dates."""
    separator = pgettext("between a meeting's place and its dates", ", ")
    return separator.join(part for part in (venue, date_range(start, end, dash)) if part)
