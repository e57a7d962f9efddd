from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    name = "editions"
    verbose_name = _("Issued editions")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the seed's edition to load_seed)
