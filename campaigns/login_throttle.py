"""Admin login throttling with django-axes: the backend that checks it and the lockout page."""

from http import HTTPStatus

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuse a login from a username and address locked out after too many wrong passwords."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        # Every login over the web carries its request. One made in code without a request
        # (Client.login in tests, a shell) has no address to throttle, so it is left to the next
        # backend rather than refused as django-axes would refuse it.
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """Answer a locked-out login with a page that says why and for how long."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "login_locked_out.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)


def client_address(request):
    """Return the address a login came from: as the site's own proxies forwarded it, if any.

    Each of DJANGO_TRUSTED_PROXY_COUNT proxies appends the address it was reached from to
    X-Forwarded-For, so the client's is that many from the end; anything before it is the
    client's own to forge.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
