"""The admin's translation pages: what translators need to do per language, files out, files back.

``/admin/translations/`` lists each language's work; ``/admin/translations/<language>/`` its
texts missing or out of date, with the XLIFF and xlsx of them to download and the import:
upload, preview (unit by unit: update, unchanged, refused because the English changed since
the export, or error), confirm. Confirming writes every update in one transaction, or
nothing (``translations.services.apply_translations``), as the progress import does.
"""

import io
import secrets

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from translations.fields import language_name, target_languages
from translations.services import TranslationConflict, apply_translations
from translations.units import to_do_counts, units_to_do

from .spreadsheets.progress_import import ImportFileError
from .spreadsheets.translation_files import (
    CONTENT_TYPES,
    ERROR,
    UPDATE,
    TranslationRow,
    check_translations,
    read_translation_file,
    summarise,
    write_translation_xlsx,
    write_xliff,
)

SESSION_KEY = "tasks.translation_import"
UNITS_SHOWN = 500


class TranslationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Translated file (.xlf or .xlsx)"),
        help_text=_("The XLIFF or Excel file exported from this page, with the translations filled in."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlf,.xliff,.xlsx"}),
    )


def _language(language):
    if language not in target_languages():
        raise Http404
    return language


def _context(request, title, language=None, **context):
    return {
        **admin.site.each_context(request),
        "title": title,
        "language": language,
        "language_name": language_name(language) if language else "",
        **context,
    }


def index(request):
    """List the languages, each with how many records need a translation or a new one."""
    languages = []
    for language in target_languages():
        counts = to_do_counts(language)
        languages.append(
            {
                "code": language,
                "name": language_name(language),
                "missing": sum(missing for _model, missing, _outdated in counts),
                "outdated": sum(outdated for _model, _missing, outdated in counts),
            }
        )
    context = _context(request, _("Translations"), languages=languages)
    return TemplateResponse(request, "admin/translations/index.html", context)


def to_do(request, language):
    """List what translators of ``language`` need to do: every text missing or out of date."""
    language = _language(language)
    units = units_to_do(language, limit=UNITS_SHOWN + 1)
    counts = [
        (model._meta.verbose_name_plural, missing, outdated) for model, missing, outdated in to_do_counts(language)
    ]
    context = _context(
        request,
        _("To translate into %(language)s") % {"language": language_name(language)},
        language,
        units=units[:UNITS_SHOWN],
        more=len(units) > UNITS_SHOWN,
        counts=counts,
        form=TranslationImportForm(),
    )
    return TemplateResponse(request, "admin/translations/to_do.html", context)


def export(request, language, kind):
    """Download the texts to translate into ``language`` as XLIFF 1.2 or xlsx."""
    language = _language(language)
    if kind not in CONTENT_TYPES:
        raise Http404
    out = io.BytesIO()
    units = units_to_do(language)
    (write_xliff if kind == "xliff" else write_translation_xlsx)(units, language, out)
    response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[kind])
    extension = "xlf" if kind == "xliff" else "xlsx"
    response["Content-Disposition"] = f'attachment; filename="roadmap-{language}.{extension}"'
    return response


def _may_change(request):
    def may_change(obj):
        model_admin = admin.site._registry.get(type(obj))
        if model_admin is None:
            return False
        check = getattr(model_admin, "has_translate_permission", model_admin.has_change_permission)
        return check(request, obj)

    return may_change


def upload(request, language):
    """Read and check the uploaded file; keep its checked units in the session for the preview."""
    language = _language(language)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    request.session.pop(SESSION_KEY, None)  # a new upload replaces any preview
    form = TranslationImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = check_translations(read_translation_file(upload, language), language, _may_change(request))
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            request.session[SESSION_KEY] = {
                "token": secrets.token_urlsafe(16),
                "language": language,
                "filename": upload.name[:200],
                "rows": [row.to_session() for row in rows],
            }
            return redirect("translations:preview", language=language)
        finally:
            upload.close()
    context = _context(request, _("Import translations"), language, form=form)
    return TemplateResponse(request, "admin/translations/import_form.html", context, status=400)


def _pending(request, language):
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("language") != language:
        return None, []
    return pending, [TranslationRow.from_session(row) for row in pending["rows"]]


def preview(request, language):
    """Show, unit by unit, what confirming would update, leave, refuse or stop at."""
    language = _language(language)
    pending, rows = _pending(request, language)
    if pending is None:
        messages.warning(request, _("There is no import to preview: upload a file."))
        return redirect("translations:to_do", language=language)
    counts = summarise(rows)
    context = _context(
        request,
        _("Preview of the translations into %(language)s") % {"language": language_name(language)},
        language,
        pending=pending,
        rows=rows,
        counts=counts,
        can_confirm=counts[ERROR] == 0 and counts[UPDATE] > 0,
    )
    return TemplateResponse(request, "admin/translations/import_preview.html", context)


def confirm(request, language):
    """Write the previewed translations in one transaction, or nothing if the English changed meanwhile."""
    language = _language(language)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pending, rows = _pending(request, language)
    if pending is None or request.POST.get("token") != pending["token"]:
        messages.error(request, _("This preview is no longer current: upload the file again."))
        return redirect("translations:to_do", language=language)
    if any(row.action == ERROR for row in rows):
        messages.error(request, _("This import has errors and cannot be confirmed."))
        return redirect("translations:preview", language=language)
    del request.session[SESSION_KEY]
    updates = [(row.unit, row.english, row.translation) for row in rows if row.action == UPDATE]
    try:
        written = apply_translations(rows=updates, language=language)
    except TranslationConflict as conflict:
        messages.error(
            request,
            _("Nothing was imported: since the preview, the English of these records changed: %(records)s.")
            % {"records": "; ".join(conflict.records)},
        )
        return redirect("translations:to_do", language=language)
    messages.success(
        request,
        ngettext("%(count)d translation imported.", "%(count)d translations imported.", written) % {"count": written},
    )
    return redirect(reverse("translations:to_do", kwargs={"language": language}))
