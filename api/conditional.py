"""When the road map last changed: the API's ETag and Last-Modified, and the 304 answer.

``settings.ROADMAP_API_CHANGE_STAMP`` names the callable that says it, returning a ``Stamp``.
Today that is ``history_stamp``, read from the history django-simple-history keeps of every write
(saves, deletions and reverts in the admin, imports, the seed); a road-map change stamp kept by
the writes themselves (``freshness.stamp.current``, a counter and a time) replaces it by naming its
own callable in that one setting.
"""

import datetime
import hashlib
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from articles.models import Article
from tasks.models import Meeting, ProgressUpdate, Task, TaskArticle, WorkingGroup


@dataclass(frozen=True)
class Stamp:
    """A version of the road map: ``token`` changes with every write; ``changed_at`` is when, if known."""

    token: str
    changed_at: datetime.datetime | None = None


RECORDED_MODELS = (Article, WorkingGroup, Meeting, Task, TaskArticle, ProgressUpdate)
# (model, column): the latest time each table was written, then its highest id. History records every
# save, deletion and revert; generate_roadmap writes with bulk_create, which records none: the ids catch it.
LATEST = tuple((model.history.model, "history_date") for model in RECORDED_MODELS)
HIGHEST = ((Task, "id"), (ProgressUpdate, "id"))


@cache
def _stamp_sql():
    quote = connection.ops.quote_name

    def greatest(model, column):
        return f"(SELECT MAX({quote(column)}) FROM {quote(model._meta.db_table)})"  # noqa: S608 (model tables)

    return "SELECT " + ", ".join(greatest(model, column) for model, column in LATEST + HIGHEST)


def _as_datetime(value):
    """Return a database's datetime (a string on SQLite, from raw SQL) as an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def history_stamp():
    """Return the road map's stamp from its history and highest ids, in one query of index lookups."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql())
        row = cursor.fetchone()
    dates = [_as_datetime(value) for value in row[: len(LATEST)]]
    known = [date for date in dates if date is not None]
    token = "|".join([*(date.isoformat() if date else "-" for date in dates), *(str(n) for n in row[len(dates) :])])
    return Stamp(token=token, changed_at=max(known) if known else None)


def current_stamp():
    """Return the stamp of the callable ROADMAP_API_CHANGE_STAMP names, as a Stamp.

    The callable may return a Stamp, or anything with a ``changed_at`` and a ``key``, ``token`` or
    ``counter`` (a change stamp kept by the writes), or a plain value: the setting is the one change.
    """
    value = import_string(settings.ROADMAP_API_CHANGE_STAMP)()
    if isinstance(value, Stamp):
        return value
    for name in ("key", "token", "counter"):
        if getattr(value, name, None) is not None:
            return Stamp(token=str(getattr(value, name)), changed_at=getattr(value, "changed_at", None))
    return Stamp(token=str(value))


class Freshness:
    """A response's validators: its ETag (the stamp, the URL, the format, the language) and Last-Modified."""

    def __init__(self, request, stamp):
        parts = [stamp.token, request.get_full_path(), request.accepted_media_type or "", get_language() or ""]
        self.etag = '"{}"'.format(hashlib.sha256("\n".join(parts).encode()).hexdigest()[:40])
        self.last_modified = int(stamp.changed_at.timestamp()) if stamp.changed_at else None

    def not_modified(self, request):
        """Return a 304 answer when the client's copy is current, else None."""
        response = get_conditional_response(request, etag=self.etag, last_modified=self.last_modified)
        if response is not None:
            self.apply(response)
        return response

    def apply(self, response):
        """Put the validators and the caching rules on a response."""
        response.headers["ETag"] = self.etag
        if self.last_modified is not None:
            response.headers["Last-Modified"] = http_date(self.last_modified)
        # Caches may keep it but must ask again each time (a 304 is cheap); never a shared cache when private.
        if settings.ROADMAP_REQUIRE_LOGIN:
            patch_cache_control(response, no_cache=True, private=True)
        else:
            patch_cache_control(response, no_cache=True)
        patch_vary_headers(response, ("Accept", "Accept-Language", "Authorization", "Cookie"))
        return response
