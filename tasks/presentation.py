"""How figures and texts are shown: the dashboard's stacked bars, a word-by-word diff."""

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import STATUS_ORDER, Status

NO_STATUS = ""


@dataclass
class StatusSegment:
    status: str
    label: str
    count: int
    start: float  # percent of the bar
    width: float  # percent of the bar


def status_bar(counts):
    """Return the segments of a stacked bar from {status: count}, in reading order."""
    total = sum(counts.values())
    labels = dict(Status.choices)
    segments, start = [], 0.0
    for status in [*STATUS_ORDER, NO_STATUS]:
        count = counts.get(status, 0)
        if not count:
            continue
        width = 100.0 * count / total
        segments.append(StatusSegment(status or "none", labels.get(status, _("No update yet")), count, start, width))
        start += width
    return segments


def word_diff(old, new):
    """Return [(op, text)] turning ``old`` into ``new`` word by word; op is "=", "-" or "+"."""
    old_words = re.findall(r"\s*\S+\s*", old or "")
    new_words = re.findall(r"\s*\S+\s*", new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(("=", "".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("-", "".join(old_words[i1:i2])))
        if j2 > j1:
            parts.append(("+", "".join(new_words[j1:j2])))
    return parts
