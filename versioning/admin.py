"""The admin's common ground: history of every change, and no lost updates.

``VersionedAdmin`` is the base of every road map ModelAdmin. It shows each record's history
with the fields each change touched (django-simple-history), lists deleted records so they
can be restored, and stops a save made from a page that someone else's save has overtaken:
change forms, inline forms, list-editable rows and actions all carry the version of the
record they were built from (``versioning.models``).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from inputs import MAX_ID, MAX_INT, parse_int

from .forms import SEEN_VERSION, VersionedModelForm
from .history import HISTORY_NOISE, ChangeFormatter, changes_since, describe_changes, who_and_when
from .models import ConcurrentEditError, VersionedModel


class VersionedInlineMixin:
    """Give an inline's forms the version check of ``VersionedModelForm``."""

    form = VersionedModelForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if issubclass(self.model, VersionedModel) and self.has_change_permission(request, obj):
            fieldsets = _with_seen_version(fieldsets)
        return fieldsets


def _with_seen_version(fieldsets):
    if SEEN_VERSION in flatten_fieldsets(fieldsets):
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "fields": [*options["fields"], SEEN_VERSION]}), *rest]


class VersionedAdmin(SimpleHistoryAdmin):
    form = VersionedModelForm
    change_list_template = "admin/versioning/change_list.html"
    deleted_list_template = "admin/versioning/deleted_list.html"

    @property
    def versioned(self):
        return issubclass(self.model, VersionedModel)

    # No lost updates ----------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.versioned and obj is not None and self.has_change_permission(request, obj):
            fieldsets = _with_seen_version(fieldsets)
        return fieldsets

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", VersionedModelForm if self.versioned else forms.ModelForm)
        return super().get_changelist_form(request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed() and not getattr(request, "roadmap_reverting", False):
            return  # nothing to write: no new version, no empty history entry
        if getattr(request, "roadmap_reverting", False) and self.versioned:
            # A revert is a new edit made on purpose, on top of whatever is current.
            current = self.model._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
            if current is not None:
                obj.version = current
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError as error:
            return self._overtaken(request, error)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ConcurrentEditError as error:
            return self._overtaken(request, error)

    def _overtaken(self, request, error):
        """Answer a save that lost the race between its checks and its write (rare): nothing was saved."""
        latest, _baseline, _changes = changes_since(error.instance, None)
        who, when = who_and_when(latest)
        self.message_user(
            request,
            gettext("%(who)s saved “%(record)s” at %(when)s while yours was being saved; nothing of yours was saved.")
            % {"who": who, "record": error.instance, "when": when},
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())

    def response_action(self, request, queryset):
        if self.versioned and "index" in request.POST:
            stale = self._stale_selection(request)
            if stale:
                self.message_user(request, stale, messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def _stale_selection(self, request):
        """Return a message naming the selected records changed since the list was shown, if any."""
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        lines = []
        for obj in self.model._base_manager.filter(pk__in=selected):
            raw_seen = request.POST.get(f"{SEEN_VERSION}_{obj.pk}")
            seen = parse_int(raw_seen, minimum=0, maximum=MAX_INT) if raw_seen else None
            if seen == obj.version:
                continue
            latest, _baseline, changes = changes_since(obj, seen)
            who, when = who_and_when(latest)
            listed = describe_changes(changes)
            lines.append(
                gettext("“%(record)s” was changed by %(who)s at %(when)s (%(changes)s)")
                % {"record": obj, "who": who, "when": when, "changes": listed or gettext("changes not recorded")}
            )
        if not lines:
            return ""
        message = gettext("Nothing was done: records changed after the list was shown. %(lines)s. Check and try again.")
        return message % {"lines": "; ".join(lines)}

    # History ------------------------------------------------------------------------------

    def get_historical_record_context_helper(self, request, historical_record):
        return ChangeFormatter(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=HISTORY_NOISE, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def history_record_id(self, object_id):
        """Return the id in a history URL as the database holds it; 404 if it is no id a record could have."""
        pk = parse_int(unquote(object_id), minimum=1, maximum=MAX_ID)
        if pk is None:
            raise Http404
        return pk

    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(request, str(self.history_record_id(object_id)), extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show an old version; on POST, revert to it (or restore a deleted record) if allowed."""
        pk = self.history_record_id(object_id)
        version_id = self.history_record_id(version_id)
        current = self.model._base_manager.filter(pk=pk).first()
        record = self.model.history.filter(**{self.model._meta.pk.attname: pk}, history_id=version_id).first()
        if record is None:
            raise Http404
        if request.method == "POST":
            # simple-history would let anyone who may view the record revert it.
            allowed = self.has_change_permission(request, record.instance) and (
                self.has_change_permission(request, current) if current else self.may_restore(request)
            )
            if not allowed:
                raise PermissionDenied
            request.roadmap_reverting = True
            request.roadmap_restoring = current is None
        extra_context = extra_context or {}
        if current is None:
            extra_context.setdefault("title", gettext("Recover deleted %s") % record.instance)
        return super().history_form_view(request, str(pk), str(version_id), extra_context)

    def response_change(self, request, obj):
        """Say "restored" or "reverted" after a restore or a revert, not "changed successfully"."""
        if not getattr(request, "roadmap_reverting", False):
            return super().response_change(request, obj)
        if getattr(request, "roadmap_restoring", False):
            message = gettext("The %(name)s “%(obj)s” was restored.")
        else:
            message = gettext("The %(name)s “%(obj)s” was reverted to the version you chose.")
        self.message_user(request, message % {"name": obj._meta.verbose_name, "obj": obj}, messages.SUCCESS)
        opts = obj._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name=f"{opts.app_label}_{opts.model_name}_deleted",
            ),
            *super().get_urls(),
        ]

    def may_restore(self, request):
        """Return whether the user may restore deleted records: who may delete them may undo a deletion."""
        return self.has_add_permission(request) and self.has_delete_permission(request)

    def deleted_view(self, request):
        """List the records deleted (and not restored since), each with a link to restore it."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        existing = self.model._base_manager.values("pk")
        deletions = (
            self.model.history.filter(history_type="-")
            .exclude(**{f"{opts.pk.attname}__in": existing})
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
        )
        records, seen = [], set()
        for record in deletions[:500]:
            object_id = getattr(record, opts.pk.attname)
            if object_id not in seen:
                seen.add(object_id)
                url = reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_simple_history",
                    args=[object_id, record.history_id],
                )
                records.append({"record": record, "url": url})
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Deleted %s") % opts.verbose_name_plural,
            "opts": opts,
            "records": records,
            "can_restore": self.may_restore(request),
        }
        return TemplateResponse(request, self.deleted_list_template, context)
