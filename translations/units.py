"""The units translators work on: one field of one record, in one language.

A unit's id names the record and the field, ``tasks.task/12/title``, the same in the XLIFF
and xlsx files, so that an import finds its unit again however the file was reordered.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .fields import max_length, translation_field
from .states import State, needing_work_q, record_state, translated_models

MAX_UNITS = 20_000  # a file for translators holds at most this many units


@dataclass
class Unit:
    id: str
    record: str  # how a person names the record: "Task 3. Model memorandum..."
    field: str  # the field's name in the model
    label: str  # the field as the admin names it
    english: str
    translation: str
    state: State
    max_length: int | None
    admin_url: str = ""


def unit_id(obj, name):
    return f"{obj._meta.label_lower}/{obj.pk}/{name}"


def parse_unit_id(text):
    """Return (model, pk, field name) of a unit id, or None when it names nothing translatable."""
    parts = str(text or "").split("/")
    if len(parts) != 3 or not parts[1].isdigit() or len(parts[1]) > 18:
        return None
    try:
        model = apps.get_model(parts[0])
    except (LookupError, ValueError):
        return None
    if parts[2] not in getattr(model, "translated_fields", ()):
        return None
    return model, int(parts[1]), parts[2]


def _admin_url(obj):
    try:
        return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


def record_label(obj):
    """Return how a person names a record: "Meeting: Second Meeting of...", "Article 8: ..."."""
    kind, text = str(obj._meta.verbose_name).capitalize(), str(obj)
    return text if text.casefold().startswith(kind.casefold()) else f"{kind}: {text}"


def make_unit(obj, name, language, state=None):
    field = obj._meta.get_field(name)
    return Unit(
        id=unit_id(obj, name),
        record=record_label(obj),
        field=name,
        label=str(field.verbose_name),
        english=getattr(obj, name),
        translation=getattr(obj, translation_field(name, language)),
        state=state or record_state(obj, name, language),
        max_length=max_length(type(obj), name),
        admin_url=_admin_url(obj),
    )


def units_to_do(language, model=None, limit=MAX_UNITS):
    """Return the units whose translation into ``language`` is missing or out of date, model by model."""
    units = []
    for each in [model] if model else translated_models():
        # select_related(): the records' required parents, which their names cite ("#3 — Draft...").
        records = each._base_manager.filter(needing_work_q(each, language)).select_related().order_by("pk")
        for obj in records[: limit - len(units)]:
            for name in each.translated_fields:
                state = record_state(obj, name, language)
                if state in (State.MISSING, State.OUTDATED):
                    units.append(make_unit(obj, name, language, state))
        if len(units) >= limit:
            break
    return units[:limit]


def to_do_counts(language):
    """Return [(model, missing records, outdated records)] for ``language``."""
    return [
        (
            model,
            model._base_manager.filter(needing_work_q(model, language, State.MISSING)).count(),
            model._base_manager.filter(needing_work_q(model, language, State.OUTDATED)).count(),
        )
        for model in translated_models()
    ]
