"""Who may read the API, and how fast anonymous clients may."""

from django.conf import settings
from django.utils.module_loading import import_string
from rest_framework.permissions import BasePermission
from rest_framework.throttling import AnonRateThrottle


class RoadmapReadAccess(BasePermission):
    """Everyone when the site is public; with ROADMAP_REQUIRE_LOGIN, signed-in users and API tokens only."""

    def has_permission(self, request, view):
        return not settings.ROADMAP_REQUIRE_LOGIN or bool(request.user and request.user.is_authenticated)


class AnonymousRateThrottle(AnonRateThrottle):
    """Throttle anonymous clients per address to ROADMAP_API_ANON_RATE (read at each request)."""

    def get_rate(self):
        return settings.ROADMAP_API_ANON_RATE

    def get_ident(self, request):
        # The address the login throttle counts (behind the proxy, the hop it appended), named by the
        # setting rather than imported: the project (roadmap) sits above the apps and is never imported.
        return import_string(settings.AXES_CLIENT_IP_CALLABLE)(request)
