"""Security helpers that settings refer to by name."""

from django.conf import settings


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
