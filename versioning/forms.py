"""Forms that refuse to save over a change made since they were built."""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext

from inputs import MAX_INT, normalise_text, parse_int

from .history import changes_since, describe_changes, display, raw, who_and_when

SEEN_VERSION = "seen_version"


class SeenVersionInput(forms.HiddenInput):
    """A hidden input no label points to (the admin labels every field; HTML forbids it for a hidden one)."""

    def id_for_label(self, id_):
        return None


class SeenVersionField(forms.IntegerField):
    """The version of the record the form was built from; never a change in itself."""

    widget = SeenVersionInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=0, max_value=MAX_INT, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_int(value, minimum=0, maximum=MAX_INT)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def has_changed(self, initial, data):
        return False


class NormalisedTextField(forms.CharField):
    """A text field read by the one rule for stored text: a browser's "\\r\\n" is no change."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_text(value) if isinstance(value, str) else value

    def has_changed(self, initial, data):
        initial = normalise_text(initial) if isinstance(initial, str) else initial
        return super().has_changed(initial, data)


def normalise_text_fields(fields):
    """Make the plain text fields among ``fields`` (not slugs, e-mails, choices) read text by the rule."""
    for field in fields.values():
        if type(field) is forms.CharField:
            field.__class__ = NormalisedTextField


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to save over changes made since it was built.

    On a conflict the form is invalid: a message names who saved and what they changed, each
    field both people changed says "their value vs. yours" and keeps yours, each field only
    the other person changed takes their value, and the form now carries the current version,
    so that saving it again is a deliberate decision made in full view of both changes.
    """

    seen_version = SeenVersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        normalise_text_fields(self.fields)
        if self.instance.pk is not None:
            self.fields[SEEN_VERSION].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        instance = self.instance
        if instance.pk is None or instance._state.adding:
            return cleaned_data
        if not [name for name in self.changed_data if name != SEEN_VERSION]:
            return cleaned_data  # an untouched form is not saved, so it overwrites nothing
        seen = cleaned_data.get(SEEN_VERSION)
        if seen != instance.version:
            self._report_conflict(seen)
        return cleaned_data

    def _model_fields(self):
        for name in self.fields:
            try:
                field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.concrete and not field.primary_key and not field.many_to_many:
                yield name, field

    def _report_conflict(self, seen):
        latest, baseline, changes = changes_since(self.instance, seen)
        who, _when = who_and_when(latest)
        data = self.data.copy()
        conflicts = sum(self._mark_field(name, field, baseline, who, data) for name, field in self._model_fields())
        if not conflicts and baseline is not None:
            # Their changes are to fields this form does not hold: saving keeps them.
            return
        data[self.add_prefix(SEEN_VERSION)] = str(self.instance.version)
        self.data = data
        self._add_overtaken_error(latest, changes)

    def _mark_field(self, name, field, baseline, who, data):
        """Mark a field both people changed (or only they did, taking their value); return whether marked."""
        theirs = field.value_from_object(self.instance)
        yours = raw(self.cleaned_data.get(name, self.initial.get(name)))
        if baseline is not None:
            before = getattr(baseline, field.attname)
            if before == theirs or yours == theirs:
                return False  # they did not change it, or both made the same change
            if yours == before:
                # Only they changed it: take their value, so saving again does not undo it.
                data[self.add_prefix(name)] = "" if theirs is None else str(theirs)
                self.add_error(
                    name,
                    gettext("%(who)s changed this to “%(theirs)s”; you had not, so their value is now here.")
                    % {"who": who, "theirs": display(field, theirs)},
                )
                return True
        elif yours == theirs:
            return False
        self.add_error(
            name,
            gettext("%(who)s changed this to “%(theirs)s”. Yours, kept here: “%(yours)s”.")
            % {"who": who, "theirs": display(field, theirs), "yours": display(field, yours)},
        )
        return True

    def _add_overtaken_error(self, latest, changes):
        who, when = who_and_when(latest)
        self.add_error(
            None,
            gettext(
                "%(who)s saved this %(record)s at %(when)s, after you opened it, so your changes were not saved. "
                "Their changes: %(changes)s. Your input is kept: check the fields marked and save again."
            )
            % {
                "who": who,
                "record": self.instance._meta.verbose_name,
                "when": when,
                "changes": describe_changes(changes) or gettext("not recorded"),
            },
        )
