"""The road map's own texts in several languages: one field per language beside the English.

English is the original and keeps its field name (``title``): every reader that wants the
original, the importer and the Data sheet included, reads it as before. Each other language
gets two fields, generated here the same way for every model:

- ``title_fr``: the French text, blank until someone translates it;
- ``title_fr_source``: the English the French was made from, written when the translation is.

A translation is *current* when its source equals today's English, *outdated* when the English
changed since, *missing* when it is blank (and the English is not). The rule needs nothing but
the record's own row, so a page in French costs the same queries as in English.
"""

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# The languages translated into: every language of the site but the original.
ORIGINAL_LANGUAGE = "en"


def target_languages():
    """Return the codes of the languages the road map's texts are translated into."""
    return [code for code, _name in settings.LANGUAGES if code != ORIGINAL_LANGUAGE]


def language_name(code):
    """Return a language's name in the active language ("French", "Français"...)."""
    from django.utils.text import capfirst
    from django.utils.translation import get_language_info

    return capfirst(_(get_language_info(code)["name"]))


def suffix(language):
    """Return the field suffix of a language code: "zh-hans" -> "zh_hans"."""
    return language.replace("-", "_").lower()


def translation_field(name, language):
    return f"{name}_{suffix(language)}"


def source_field(name, language):
    return f"{name}_{suffix(language)}_source"


def _translation_of(verbose_name, length, language):
    label = format_lazy("{} ({})", verbose_name, language_name(language))
    if length:
        return models.CharField(label, max_length=length, blank=True)
    return models.TextField(label, blank=True)


def translations_of(model_name, module, **originals):
    """Return an abstract model with the translation fields of ``originals``.

    ``originals`` maps each translated field's name to ``(verbose_name, max_length)``, None
    for a TextField. Use it as a base: ``class Task(translations_of("Task", __name__, ...), ...)``;
    the concrete model lists the same names in ``translated_fields``.
    """
    attrs = {"__module__": module, "Meta": type("Meta", (), {"abstract": True})}
    for name, (verbose_name, length) in originals.items():
        for language in target_languages():
            attrs[translation_field(name, language)] = _translation_of(verbose_name, length, language)
            attrs[source_field(name, language)] = models.TextField(
                format_lazy("{} ({}): {}", verbose_name, language_name(language), _("translated from")),
                blank=True,
                editable=False,
            )
    return type(f"{model_name}Translations", (models.Model,), attrs)


def max_length(model, name):
    """Return the longest translation ``model``'s field ``name`` takes, None for any."""
    return model._meta.get_field(name).max_length
