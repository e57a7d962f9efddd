"""Optimistic locking: a save never overwrites a change it has not seen.

Each versioned record carries an integer ``version``. Saving an existing record first runs
``UPDATE ... SET version = version + 1 WHERE pk = %s AND version = %s`` and only writes the
record if that claimed the row; otherwise someone saved it since it was read, and the save
raises ``ConcurrentEditError`` instead of overwriting their change. The admin
(``versioning.admin``) checks the version the user's form was built from before saving, so
that users see the other person's changes instead of an error page.
"""

from django.db import models, router, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from inputs import normalise_text


class ConcurrentEditError(Exception):
    """The record was saved by someone else since this copy of it was read."""

    def __init__(self, instance):
        self.instance = instance
        super().__init__(f"{instance._meta.label} {instance.pk} was changed since version {instance.version}.")


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # Fields that other code keeps with QuerySet.update() (denormalised copies): save() of an
    # existing record leaves them alone, so that a stale copy in memory cannot overwrite them.
    derived_fields = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalise_text_fields()
        if self.pk is None or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        rows = type(self)._base_manager.using(using).filter(pk=self.pk)
        with transaction.atomic(using=using):
            if rows.filter(version=self.version).update(version=F("version") + 1):
                self.version += 1
                if kwargs.get("update_fields") is None and self.derived_fields:
                    kwargs["update_fields"] = [
                        field.name
                        for field in self._meta.concrete_fields
                        if not field.primary_key and field.name not in {*self.derived_fields, "version"}
                    ]
                return super().save(*args, **kwargs)
            if rows.exists():
                raise ConcurrentEditError(self)
            # The row is gone: this is a deleted record being restored from its history.
            kwargs["force_insert"] = True
            return super().save(*args, **kwargs)

    def normalise_text_fields(self):
        """Store every text field's value by the one rule for stored text (``normalise_text``)."""
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, normalise_text(value))
