"""Conditional GET and a shared page cache for the public pages, keyed by the change stamp.

A page's version is (change stamp, path and query string, language, htmx target, session):
its ETag. A request whose ``If-None-Match`` or ``If-Modified-Since`` matches gets 304 after one
query (the stamp). A request without a session cookie (nobody signed in, no pending message)
is served from the cache when another request made the same version; signed-in pages (the
user's name, a CSRF token) get an ETag and ``Cache-Control: private`` but are never shared.
"""

import functools
import hashlib
import io

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from . import cache
from .stamp import current

MAX_CACHED_BYTES = 8 * 1024 * 1024  # larger downloads are rebuilt, not stored
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Vary")


def _session_cookie(request):
    return request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")


def _shareable(request):
    """Return whether the request's page is the same for everyone who sends it."""
    return not _session_cookie(request) and not request.COOKIES.get(CookieStorage.cookie_name)


def page_etag(request, stamp):
    """Return the ETag of the page this request asks for, at this stamp."""
    parts = [
        stamp.key,
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
        request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else "",
        hashlib.sha256(_session_cookie(request).encode()).hexdigest() if _session_cookie(request) else "",
    ]
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
    return f'"{stamp.counter}-{digest}"'


def _headers(response):
    return {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}


def _keepable(response):
    return response.status_code == 200 and not response.cookies and not response.has_header("Cache-Control")


def _kept_as_sent(response, key):
    """Keep a download in the cache once it has been sent whole, if it was no larger than MAX_CACHED_BYTES.

    The blocks go to the client as they are made; a copy is kept beside them until the download
    passes the limit. A download cut short (the client gone, an error) is not kept.
    """
    if int(response.get("Content-Length") or 0) > MAX_CACHED_BYTES:
        return
    headers, content = _headers(response), response.streaming_content

    def sent():
        kept, size = [], 0
        for block in content:
            size += len(block)
            if kept is not None and size <= MAX_CACHED_BYTES:
                kept.append(block)
            else:
                kept = None
            yield block
        if kept is not None:
            cache.set(key, (b"".join(kept), headers, True))

    response.streaming_content = sent()


def _thawed(frozen):
    content, headers, streaming = frozen
    # A download stays a download (sent in blocks); a page is a page.
    response = FileResponse(io.BytesIO(content)) if streaming else HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


def _seconds(stamp):
    """Return the stamp's time in whole seconds, as HTTP dates have it (ETags tell apart changes within one)."""
    return int(stamp.changed_at.timestamp())


def _label(request, response, etag, stamp):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(_seconds(stamp))
    patch_vary_headers(response, ("Cookie", "Accept-Language", "HX-Request", "HX-Target"))
    # Browsers and proxies keep the page but ask again every time: the answer is often a 304.
    patch_cache_control(response, no_cache=True, **({"public": True} if _shareable(request) else {"private": True}))
    return response


def stamped_page(view):
    """Give a public page an ETag and Last-Modified, answer 304 when unchanged, share it in the cache."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        stamp = current()
        request.roadmap_stamp = stamp
        etag = page_etag(request, stamp)
        not_modified = get_conditional_response(request, etag=etag, last_modified=_seconds(stamp))
        if not_modified is not None:
            return _label(request, not_modified, etag, stamp)
        key = f"page:{etag}"
        if _shareable(request):
            frozen = cache.get(key)
            if frozen is not None:
                return _label(request, _thawed(frozen), etag, stamp)
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)):
            response = response.render()  # a TemplateResponse: its content is what is kept
        if _shareable(request) and _keepable(response):
            if response.streaming:
                _kept_as_sent(response, key)
            else:
                cache.set(key, (response.content, _headers(response), False))
        if response.status_code == 200:
            _label(request, response, etag, stamp)
        return response

    return wrapper
