"""API tokens in the admin: staff create one for a user; it is shown once, and only its digest is kept."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from knox.admin import AuthTokenAdmin, AuthTokenCreateForm
from knox.models import AuthToken

admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class APITokenAdmin(AuthTokenAdmin):
    """django-rest-knox's token admin: a token is made on "Save" and shown in the message, never again."""

    add_form = AuthTokenCreateForm
    list_display = ("token_key", "user", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("token_key", "user__username")
    readonly_fields = ("token_key", "user", "created", "expiry")

    def get_fields(self, request, obj=None):
        return ("user", "expiry") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # a token is created or deleted, never edited

    def save_model(self, request, obj, form, change):
        admin.ModelAdmin.save_model(self, request, obj, form, change)
        if not change:
            message = _(
                "The API token for %(user)s is %(token)s. Copy it now: it is stored only as a digest and "
                "cannot be shown again. Send it as the header “Authorization: Token %(token)s”."
            )
            self.message_user(request, message % {"user": obj.user, "token": form.token}, messages.WARNING)

    def response_add(self, request, obj, post_url_continue=None):
        # To the list, with the token's message alone (the default one names the token by its digest).
        return HttpResponseRedirect(reverse("admin:knox_authtoken_changelist"))
