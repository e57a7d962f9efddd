from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")


class TokensConfig(AppConfig):
    """django-rest-knox's app, under a name the admin's readers understand."""

    name = "knox"
    verbose_name = _("API tokens")
