"""Writing translations that came back from translators, all of a file or none."""

from django.db import transaction

from .fields import source_field, translation_field
from .units import parse_unit_id


class TranslationConflict(Exception):
    """The English of some units changed between the preview and the confirmation."""

    def __init__(self, records):
        self.records = records
        super().__init__(", ".join(records))


def apply_translations(*, rows, language):
    """Store each row's translation into ``language``, made from the English the preview showed.

    ``rows`` are (unit id, English at the preview, translation). In one transaction, the
    records locked: if any unit's English changed since the preview, nothing is written.
    Return the number of texts written.
    """
    by_record = {}
    for unit, english, text in rows:
        model, pk, name = parse_unit_id(unit)
        by_record.setdefault((model, pk), []).append((name, english, text))
    with transaction.atomic():
        records = {}
        for model in {model for model, _pk in by_record}:
            pks = [pk for each, pk in by_record if each is model]
            for obj in model._base_manager.select_for_update().filter(pk__in=pks):
                records[(model, obj.pk)] = obj
        changed = [
            str(records.get(key, key[1]))
            for key, fields in by_record.items()
            if key not in records or any(getattr(records[key], name) != english for name, english, _t in fields)
        ]
        if changed:
            raise TranslationConflict(changed)
        for key, fields in by_record.items():
            obj, written = records[key], []
            for name, english, text in fields:
                setattr(obj, translation_field(name, language), text)
                setattr(obj, source_field(name, language), english)
                written += [translation_field(name, language), source_field(name, language)]
            if hasattr(obj, "save_translations"):  # a record frozen but for its translations (an issued edition)
                obj.save_translations(written)
            else:
                obj.save(update_fields=[*written, "updated_at"] if hasattr(obj, "updated_at") else written)
    return sum(len(fields) for fields in by_record.values())
