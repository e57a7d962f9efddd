"""Security helpers that settings refer to by name."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def client_ip(request):
    """Return the address a request came from, as the login throttle counts it.

    Behind the reverse proxy (``DJANGO_BEHIND_PROXY``) every request reaches gunicorn from
    the proxy's address, so the client is the last hop the proxy appended to
    X-Forwarded-For (earlier entries are whatever the client sent, and can be forged).
    """
    if settings.ROADMAP_BEHIND_PROXY:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, response=None, credentials=None):
    """Answer a locked-out sign-in with the site's page: why, when to try again, and the way back."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "retry_at": timezone.localtime() + cool_off if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
