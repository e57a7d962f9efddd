from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    name = "freshness"
    verbose_name = "Freshness"

    def ready(self):
        from .receivers import connect_stamped_apps

        connect_stamped_apps()
