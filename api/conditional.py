"""When the road map last changed: the API's ETag and Last-Modified, and the 304 answer.

``settings.ROADMAP_API_CHANGE_STAMP`` names the callable that says it, returning a ``Stamp``.
It is the road map's change stamp (``freshness.stamp.current``: a counter and a time, bumped in
the transaction of every write), the one the pages' ETags come from; another source of versions
would take its place by naming its own callable in that one setting.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.module_loading import import_string
from django.utils.translation import get_language


@dataclass(frozen=True)
class Stamp:
    """A version of the road map: ``token`` changes with every write; ``changed_at`` is when, if known."""

    token: str
    changed_at: datetime.datetime | None = None


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
