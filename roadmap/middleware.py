from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponseRedirect, QueryDict
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

from inputs import drop_control_characters


class RoadmapLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Require a signed-in user on every page when ROADMAP_REQUIRE_LOGIN is on.

    Django's own middleware, switched by the setting at request time; the login page
    and the admin's login are exempt (``login_not_required``).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.ROADMAP_REQUIRE_LOGIN:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class DropControlCharactersMiddleware:
    """Drop control characters from the query string's names and values before any view reads them.

    The one place that keeps them out of what pages echo back (a search box, a hidden sort
    field, an error message naming a refused value) and out of the feed and the exports.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(_has_control(key) or any(map(_has_control, values)) for key, values in request.GET.lists()):
            request.GET = _cleaned(request.GET)
        return self.get_response(request)


def _has_control(text):
    return drop_control_characters(text) != text


def _cleaned(query):
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        for value in values:
            cleaned.appendlist(drop_control_characters(key), drop_control_characters(value))
    cleaned._mutable = False
    return cleaned


class FirstVisitLanguageMiddleware:
    """Send a first visit to an English (unprefixed) page to the reader's language; remember the choice.

    The URL says the language. A browser that has never been here (no language cookie) and
    prefers French, Russian or Chinese (``Accept-Language``) is redirected from ``/tasks/?...``
    to ``/fr/tasks/?...``. The first page served sets the cookie (to its language): from then
    on the URL alone decides, so choosing English in the switcher sticks. Only that first
    response carries a cookie, so later pages stay shareable by caches. Clients that send no
    ``Accept-Language`` (scripts, other systems reading the data) always get the unprefixed,
    English URL they asked for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self._first_visit_redirect(request)
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        language = translation.get_language()
        cookie = settings.LANGUAGE_COOKIE_NAME
        if request.method == "GET" and response.status_code == 200 and cookie not in request.COOKIES:
            response.set_cookie(
                cookie,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
            )
        return response

    def _first_visit_redirect(self, request):
        if request.method not in ("GET", "HEAD") or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return None
        if translation.get_language_from_path(request.path_info) is not None:
            return None
        if "HTTP_ACCEPT_LANGUAGE" not in request.META:
            return None
        preferred = translation.get_language_from_request(request)  # no cookie: Accept-Language, else English
        if preferred == settings.LANGUAGE_CODE:
            return None
        target = translate_url(request.get_full_path(), preferred)  # resolved as the English URL it is
        if target == request.get_full_path():
            return None  # not a page of the site (static file, unknown URL)
        response = HttpResponseRedirect(target)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
