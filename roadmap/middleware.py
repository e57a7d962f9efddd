from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import QueryDict

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
