"""Django's cache, tolerant of its server being down: a failed call is a miss, logged once.

With Redis (``REDIS_URL``) the app servers share one cache; when it stops answering, pages
are served uncached. After a failure the cache is left alone for ``RETRY_AFTER`` seconds, so
that a stopped server costs each request nothing, then tried again: caching resumes by itself.
"""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds
TIMEOUT = 60 * 60  # entries are keyed by the change stamp: they expire only to free the space

_down_until = 0.0


def _available():
    return time.monotonic() >= _down_until


def _failed(error):
    global _down_until
    if _down_until == 0.0:
        logger.warning("The cache is unavailable, pages are served uncached: %r", error)
    _down_until = time.monotonic() + RETRY_AFTER


def _succeeded():
    global _down_until
    if _down_until:
        logger.warning("The cache answers again: caching resumed.")
        _down_until = 0.0


def get(key):
    """Return the cached value, or None on a miss or when the cache is down."""
    if not _available():
        return None
    try:
        value = cache.get(key)
    except Exception as error:  # any backend's connection error: degrade, never fail the page)
        _failed(error)
        return None
    _succeeded()
    return value


def set(key, value):
    if not _available():
        return
    try:
        cache.set(key, value, TIMEOUT)
    except Exception as error:
        _failed(error)
        return
    _succeeded()


def get_or_compute(key, compute):
    """Return the cached value for ``key``, computing and storing it on a miss."""
    value = get(key)
    if value is None:
        value = compute()
        set(key, value)
    return value
