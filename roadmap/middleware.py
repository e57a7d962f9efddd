from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers


class RoadmapLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Require a signed-in user on every page when ROADMAP_REQUIRE_LOGIN is on.

    Django's own middleware, switched by the setting at request time; the login page
    and the admin's login are exempt (``login_not_required``).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.ROADMAP_REQUIRE_LOGIN:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class FirstVisitLanguageMiddleware:
    """Send a first visit to an English (unprefixed) page to the reader's language; remember the choice.

    The URL says the language. A browser that has never been here (no language cookie) and
    prefers French, Russian or Chinese (``Accept-Language``) is redirected from ``/tasks/?...``
    to ``/fr/tasks/?...``. Every page then sets the cookie to the language it was shown in,
    so that choosing English in the switcher sticks, and shared unprefixed links open in
    English for anyone who has chosen it. Clients that send no ``Accept-Language`` (scripts,
    other systems reading the data) always get the unprefixed, English URL they asked for.
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
        if request.method == "GET" and response.status_code == 200 and request.COOKIES.get(cookie) != language:
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
