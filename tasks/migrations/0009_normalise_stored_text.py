"""Store the text already saved by the one rule for stored text, as every save now does.

Before, a save from the admin stored a browser's "\\r\\n" line endings. The rows are rewritten with
QuerySet.update(): no history row and no new version, as the text means the same.
"""

from django.db import migrations

from inputs import normalise_text

TEXT_FIELDS = {
    "task": ["title", "description"],
    "progressupdate": ["narrative"],
    "workinggroup": ["name", "short_name", "description"],
    "meeting": ["title", "short_title", "venue", "document_symbol", "language_line", "agenda_item"],
}


def normalise(apps, schema_editor):
    for model_name, fields in TEXT_FIELDS.items():
        model = apps.get_model("tasks", model_name)
        # The meeting's document lines later move to the editions: take the fields the model has.
        fields = [field for field in fields if any(f.name == field for f in model._meta.get_fields())]
        for pk, *values in model.objects.values_list("pk", *fields).iterator():
            changed = {
                field: normalise_text(value)
                for field, value in zip(fields, values, strict=True)
                if value and normalise_text(value) != value
            }
            if changed:
                model.objects.filter(pk=pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0008_editors_delete_no_article_links")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
