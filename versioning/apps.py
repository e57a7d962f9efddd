from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VersioningConfig(AppConfig):
    """No lost updates and a visible history: optimistic locking and the history admin."""

    name = "versioning"
    verbose_name = _("Versions and history")
