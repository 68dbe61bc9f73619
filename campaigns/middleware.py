"""Security headers on every response: Content-Security-Policy and Permissions-Policy."""

from dataclasses import replace

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.urls import Resolver404, resolve

# The only pages whose policy differs from CONTENT_SECURITY_POLICY in settings, by route name.
# The whole policy of each is tested in tests/test_hardening_ops.py.
POLICY_EXCEPTIONS = {
    # Campaign websites show the status card in an iframe; nothing else about it is loosened.
    "campaigns:request-embed": {"frame-ancestors": ["*"]},
    # Swagger UI's stylesheet draws its icons as data: images.
    "api:docs": {"img-src": [SELF, "data:"]},
}

# Browser features no page of this site uses, refused to the site and to anything it embeds.
UNUSED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "hid",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in UNUSED_FEATURES)


def route_name(request):
    """Return the name of the route a request's path resolves to, or None."""
    # A page served from the page cache was never routed, so the path is resolved here.
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """Send the site's Content-Security-Policy, with the few exceptions named above."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        exception = POLICY_EXCEPTIONS.get(route_name(request))
        if exception and not report_only:
            return replace(parts, replace={**(parts.replace or {}), **exception})
        return parts


class PermissionsPolicyMiddleware:
    """Turn off the browser features the site never uses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
