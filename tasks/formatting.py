"""How a task's title and a meeting's dates are written, the same on pages, in the admin and in files.

Plain functions of plain values: the models, the templates and the exports all call these,
so this module imports nothing of the app's.
"""

from django.utils.formats import date_format
from django.utils.text import Truncator

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
    March 2016"): they pass ``dash="-"``. An unknown start gives "".
    """
    if start is None:
        return ""
    if end is None or end == start:
        return date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{dash}{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')}{dash}{date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')}{dash}{date_format(end, 'j F Y')}"


def place_and_dates(venue, start, end, dash=EN_DASH):
    """Return where and when a meeting was held: the venue, then the dates."""
    return ", ".join(part for part in (venue, date_range(start, end, dash)) if part)
