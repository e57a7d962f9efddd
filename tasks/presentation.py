"""How figures and texts are shown: the dashboard's stacked bars, a word-by-word diff (``word_diff``)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from versioning.history import word_diff

from .models import STATUS_ORDER, Status

__all__ = ["NO_STATUS", "StatusSegment", "status_bar", "word_diff"]

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
