"""The road map's change stamp: one row, bumped in the same transaction as every write."""

from django.db import models
from django.utils.translation import gettext_lazy as _

STAMP_ID = 1


class ChangeStamp(models.Model):
    """How many times the road map has changed, and when it last did (one row, id 1)."""

    counter = models.PositiveBigIntegerField(_("changes"), default=0)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("change stamp")
        constraints = [models.CheckConstraint(condition=models.Q(pk=STAMP_ID), name="freshness_one_stamp")]

    def __str__(self):
        return f"{self.counter} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
