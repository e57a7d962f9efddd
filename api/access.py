"""Who may read the API, and how fast anonymous clients may."""

from django.conf import settings
from rest_framework.permissions import BasePermission
from rest_framework.throttling import AnonRateThrottle

from roadmap.security import client_ip


class RoadmapReadAccess(BasePermission):
    """Everyone when the site is public; with ROADMAP_REQUIRE_LOGIN, signed-in users and API tokens only."""

    def has_permission(self, request, view):
        return not settings.ROADMAP_REQUIRE_LOGIN or bool(request.user and request.user.is_authenticated)


class AnonymousRateThrottle(AnonRateThrottle):
    """Throttle anonymous clients per address to ROADMAP_API_ANON_RATE (read at each request)."""

    def get_rate(self):
        return settings.ROADMAP_API_ANON_RATE

    def get_ident(self, request):
        # The address the login throttle counts: behind the proxy, the hop it appended.
        return client_ip(request)
