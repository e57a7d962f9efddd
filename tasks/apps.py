from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Road map")

    def ready(self):
        from . import current_update  # noqa: F401  (connects the receivers)
