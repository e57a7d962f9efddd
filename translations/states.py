"""Which translations are current, outdated or missing, for a record or as a query."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.apps import apps
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .fields import ORIGINAL_LANGUAGE, source_field, target_languages, translation_field


class State(models.TextChoices):
    CURRENT = "current", _("Current")
    OUTDATED = "outdated", _("Out of date")
    MISSING = "missing", _("Missing")


NOTES = {
    State.OUTDATED: _("Translation out of date"),
    State.MISSING: _("Not yet translated"),
}


def translated_models():
    """Return the models whose texts are translated (those declaring ``translated_fields``)."""
    return [model for model in apps.get_models() if getattr(model, "translated_fields", ())]


def page_language(language=None):
    """Return ``language``, or the active one, as one of the site's codes ("en" if unknown)."""
    language = (language or get_language() or ORIGINAL_LANGUAGE).lower()
    return language if language in target_languages() else ORIGINAL_LANGUAGE


def state_of(original, translation, source):
    """Return the State of a translation, None when the original is blank (nothing to translate)."""
    if not original:
        return None
    if not translation:
        return State.MISSING
    return State.CURRENT if source == original else State.OUTDATED


def record_state(obj, name, language):
    return state_of(
        getattr(obj, name), getattr(obj, translation_field(name, language)), getattr(obj, source_field(name, language))
    )


@dataclass(frozen=True)
class Shown:
    """The text a page shows for a field in a language, and why."""

    text: str
    language: str  # the language of ``text``
    state: State | None  # None: shown in its own language (English page, or a current translation)

    @property
    def note(self):
        return NOTES.get(self.state, "")

    def __str__(self):
        return self.text


def shown(obj, name, language=None):
    """Return what a page in ``language`` shows of ``obj.name``: the translation if current, else the English."""
    language = page_language(language)
    original = getattr(obj, name) or ""
    if language == ORIGINAL_LANGUAGE or not original:
        return Shown(original, ORIGINAL_LANGUAGE, None)
    state = record_state(obj, name, language)
    if state == State.CURRENT:
        return Shown(getattr(obj, translation_field(name, language)), language, None)
    return Shown(original, ORIGINAL_LANGUAGE, state)


def shown_text(obj, name, language=None):
    """Return the text alone of ``shown()``."""
    return shown(obj, name, language).text


def missing_q(name, language, prefix=""):
    return ~Q(**{prefix + name: ""}) & Q(**{prefix + translation_field(name, language): ""})


def outdated_q(name, language, prefix=""):
    return ~Q(**{prefix + translation_field(name, language): ""}) & ~Q(
        **{prefix + source_field(name, language): F(prefix + name)}
    )


def needing_work_q(model, language, state=None):
    """Return a Q of ``model``'s records with any translation into ``language`` in ``state`` (either when None)."""
    conditions = []
    for name in model.translated_fields:
        if state in (None, State.MISSING):
            conditions.append(missing_q(name, language))
        if state in (None, State.OUTDATED):
            conditions.append(outdated_q(name, language))
    return reduce(or_, conditions)


def current_q(name, language, word, prefix=""):
    """Return a Q matching ``word`` in the current translation of ``name`` into ``language``."""
    return Q(**{f"{prefix}{translation_field(name, language)}__icontains": word}) & Q(
        **{prefix + source_field(name, language): F(prefix + name)}
    )


def states_of(obj):
    """Return [(language, [(field, State or None)])] for every target language."""
    return [
        (language, [(name, record_state(obj, name, language)) for name in obj.translated_fields])
        for language in target_languages()
    ]


def mark_current(obj, language, names=None):
    """Record that ``obj``'s translations into ``language`` are made from today's English."""
    changed = []
    for name in names or obj.translated_fields:
        if getattr(obj, translation_field(name, language)):
            setattr(obj, source_field(name, language), getattr(obj, name))
            changed.append(source_field(name, language))
    return changed
