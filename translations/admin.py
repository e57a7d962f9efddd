"""The admin's side of translations: each language's fields beside the original, their state, a filter."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .fields import language_name, source_field, suffix, target_languages, translation_field
from .states import State, needing_work_q, states_of


def confirm_field(language):
    return f"translation_current_{suffix(language)}"


def translation_form(base):
    """Return ``base`` with a "still current" box per language (the English changed, the translation holds)."""
    attrs = {
        confirm_field(language): forms.BooleanField(
            label=_("Still matches the English"),
            required=False,
            help_text=_(
                "Tick when the English changed but this translation needs no change: it is then marked current."
            ),
        )
        for language in target_languages()
    }
    return type(base.__name__, (base,), attrs)


def record_sources(obj, form):
    """Write, for each translation saved in ``form``, the English it was made from."""
    for language in target_languages():
        confirmed = form.cleaned_data.get(confirm_field(language))
        for name in obj.translated_fields:
            text = getattr(obj, translation_field(name, language))
            if not text:
                setattr(obj, source_field(name, language), "")
            elif confirmed or translation_field(name, language) in form.changed_data:
                setattr(obj, source_field(name, language), getattr(obj, name))


class TranslationNeededFilter(admin.SimpleListFilter):
    """ "Translation missing / out of date in language X"."""

    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        choices = []
        for language in target_languages():
            name = language_name(language)
            choices += [
                (f"{language}:{State.MISSING}", _("Missing in %(language)s") % {"language": name}),
                (f"{language}:{State.OUTDATED}", _("Out of date in %(language)s") % {"language": name}),
            ]
        return choices

    def queryset(self, request, queryset):
        language, _sep, state = (self.value() or "").partition(":")
        if language not in target_languages() or state not in (State.MISSING, State.OUTDATED):
            return queryset
        return queryset.filter(needing_work_q(queryset.model, language, State(state)))


class TranslatedAdminMixin:
    """For the admin of a model with ``translated_fields``: put before ``VersionedAdmin``."""

    def _translation_names(self):
        """Return the fields this mixin places itself (Django's default fieldset lists them too)."""
        languages = target_languages()
        names = {translation_field(name, language) for name in self.model.translated_fields for language in languages}
        return names | {confirm_field(language) for language in languages} | {"translation_states"}

    def get_fieldsets(self, request, obj=None):
        hidden = self._translation_names()
        fieldsets = [
            (title, {**options, "fields": [f for f in options["fields"] if isinstance(f, tuple) or f not in hidden]})
            for title, options in super().get_fieldsets(request, obj)
        ]
        fieldsets.append((_("Translations"), {"fields": ["translation_states"]}))
        for language in target_languages():
            fields = [translation_field(name, language) for name in self.model.translated_fields]
            fieldsets.append((language_name(language), {"fields": [*fields, confirm_field(language)]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "translation_states"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault("form", translation_form(self.form))
        return super().get_form(request, obj, **kwargs)

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), TranslationNeededFilter]

    def get_search_fields(self, request):
        fields = list(super().get_search_fields(request))
        for name in self.model.translated_fields:
            if name in fields:
                fields += [translation_field(name, language) for language in target_languages()]
        return fields

    def has_translate_permission(self, request, obj=None):
        """Whether the user may import translations of ``obj``: by default, whether they may change it."""
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        record_sources(obj, form)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("State of the translations"))
    def translation_states(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        labels = {None: _("nothing to translate"), **dict(State.choices)}
        rows = []
        for language, states in states_of(obj):
            cells = "; ".join(f"{obj._meta.get_field(name).verbose_name}: {labels[state]}" for name, state in states)
            rows.append((language_name(language), cells))
        return format_html("<ul>{}</ul>", format_html_join("", "<li><strong>{}</strong>: {}</li>", rows))
