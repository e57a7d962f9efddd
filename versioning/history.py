"""What changed in a versioned record: its changes since a version, told as a person reads them."""

import difflib
import re

from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from simple_history.template_utils import HistoricalRecordContextHelper

# Not worth showing as a change: they change with every save.
HISTORY_NOISE = ["version", "updated_at"]


def display(field, raw):
    """Return a stored value as a person reads it (a choice's label, a related record's name)."""
    if raw is None or raw == "":
        return "—"
    if field.choices:
        raw = dict(field.flatchoices).get(raw, raw)
    elif field.is_relation:
        raw = field.related_model._base_manager.filter(pk=raw).first() or raw
    return Truncator(str(raw)).chars(120)


def raw(value):
    return value.pk if isinstance(value, models.Model) else value


def who_and_when(record):
    who = record.history_user.get_username() if record and record.history_user else gettext("someone else")
    when = formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT") if record else ""
    return who, when


def changes_since(instance, seen_version):
    """Return the latest history record and the changes made to ``instance`` after ``seen_version``.

    The changes are (field, value then, value now) for every field that differs between the
    version that was seen and the record as it is now; the baseline is None when that version
    has no history (records older than the history), and then no changes are listed.
    """
    history = instance.history.order_by("-history_date", "-history_id")
    latest = history.first()
    baseline = history.filter(version=seen_version).first() if seen_version is not None else None
    if latest is None or baseline is None:
        return latest, baseline, []
    delta = latest.diff_against(baseline, excluded_fields=HISTORY_NOISE)
    changes = []
    for change in delta.changes:
        field = instance._meta.get_field(change.field)
        changes.append((field, change.old, change.new))
    return latest, baseline, changes


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


class ChangeFormatter(HistoricalRecordContextHelper):
    """Show a choice's label in the history, not the value stored ("Completed", not "completed"), and a
    text's change as the words removed and added, not cut to "Capac[28 chars]t on"."""

    def context_for_delta_changes(self, delta):
        context = super().context_for_delta_changes(delta)
        for item, change in zip(context, delta.changes, strict=True):
            field = self.model._meta.get_field(change.field)
            old, new = change.old or "", change.new or ""
            if isinstance(field, models.TextField) and self._too_long_to_show_whole(old, new):
                item["diff"] = word_diff(old, new)
        return context

    def _too_long_to_show_whole(self, old, new):
        """Return whether two texts would be cut, or lose their lines, shown as "old → new"."""
        if not (isinstance(old, str) and isinstance(new, str)):
            return False
        return max(len(old), len(new)) > self.max_displayed_delta_change_chars or "\n" in old + new

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.choices and value not in (None, ""):
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


def describe_changes(changes):
    """Return changes as one line: "Field: “then” → “now”; ..."."""
    return "; ".join(
        f"{capfirst(field.verbose_name)}: “{display(field, raw(old))}” → “{display(field, raw(new))}”"
        for field, old, new in changes
    )
