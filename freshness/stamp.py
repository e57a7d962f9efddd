"""Read and bump the road map's change stamp.

Every page, feed and export of the road map is a function of the data and the request; the
stamp changes whenever the data does, so (stamp, request) names one version of a page: its
ETag, and its key in the cache. ``bump()`` runs inside the writer's transaction: a reader sees
the new stamp exactly when it can see the new data, on every app server.
"""

from typing import NamedTuple

from django.db import router, transaction
from django.db.models import F
from django.utils import timezone

from .models import STAMP_ID, ChangeStamp


class Stamp(NamedTuple):
    counter: int
    changed_at: object  # aware datetime

    @property
    def key(self):
        """Return the stamp as a cache key's part: the time too, so that a database restored to an
        older counter (or another database behind the same cache) never meets its entries."""
        return f"{self.counter}.{self.changed_at.timestamp():.6f}"


def bump(*, using=None):
    """Count one more change of the road map, in the current transaction (once per transaction).

    A transaction that writes a hundred rows needs one bump: later writes skip it while the
    block that holds the bump is still open (an outer one, or the same). If that block rolls
    back, so do they.
    """
    using = using or router.db_for_write(ChangeStamp)
    connection = transaction.get_connection(using)
    blocks = connection.atomic_blocks
    if any(getattr(block, "_roadmap_stamped", False) for block in blocks):
        return
    _bump(using)
    # A test case's outer transaction stands for many transactions: never mark it.
    if blocks and not blocks[-1]._from_testcase:
        blocks[-1]._roadmap_stamped = True


def _bump(using):
    now = timezone.now()
    with transaction.atomic(using=using):
        rows = ChangeStamp.objects.using(using).filter(pk=STAMP_ID)
        if not rows.update(counter=F("counter") + 1, changed_at=now):
            ChangeStamp.objects.using(using).get_or_create(pk=STAMP_ID, defaults={"counter": 1, "changed_at": now})


def current():
    """Return the stamp as it stands (one query)."""
    row = ChangeStamp.objects.filter(pk=STAMP_ID).values_list("counter", "changed_at").first()
    if row is None:  # a database made without the migration's row: nothing has been stamped yet
        return Stamp(0, timezone.make_aware(timezone.datetime(2000, 1, 1)))
    return Stamp(*row)
