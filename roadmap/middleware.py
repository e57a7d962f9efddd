from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware


class RoadmapLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Require a signed-in user on every page when ROADMAP_REQUIRE_LOGIN is on.

    Django's own middleware, switched by the setting at request time; the login page
    and the admin's login are exempt (``login_not_required``).
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.ROADMAP_REQUIRE_LOGIN:
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
