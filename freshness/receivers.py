"""Bump the change stamp on every save, delete and many-to-many change of the road map's models.

The models are those of the apps in ``settings.ROADMAP_STAMPED_APPS`` (through models of
many-to-many fields included): a new app's models are covered by adding its label there.
Their history tables are left out: each history row is written with a save already counted.
Writes that send no signals (``bulk_create``, ``QuerySet.update``) bump the stamp themselves:
``tasks.current_update.refresh_current_update``, which every bulk path calls, and
``tasks.generation.generate_roadmap``.
"""

from django.apps import apps
from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from .stamp import bump

M2M_WRITES = {"post_add", "post_remove", "post_clear"}


def stamped_models():
    """Yield every model whose writes change the road map."""
    for label in settings.ROADMAP_STAMPED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not issubclass(model, HistoricalChanges):
                yield model


def bump_on_write(sender, using=None, **kwargs):
    bump(using=using)


def bump_on_m2m_change(sender, action, using=None, **kwargs):
    if action in M2M_WRITES:
        bump(using=using)


def connect_stamped_apps():
    for model in stamped_models():
        uid = f"freshness:{model._meta.label}"
        post_save.connect(bump_on_write, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_on_write, sender=model, dispatch_uid=uid)
        m2m_changed.connect(bump_on_m2m_change, sender=model, dispatch_uid=uid)
