"""Error pages: JSON under /api/, the site's pages elsewhere, and 503 when the database is down."""

import sys
from http import HTTPStatus

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

API_PREFIX = "/api/"
# Seconds a client is asked to wait before trying again while the database is unavailable.
RETRY_AFTER_SECONDS = 30
# What a database that cannot be reached, refuses or drops connections, or does not answer in
# time raises; anything else is a fault in the code and stays a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

MESSAGES = {
    HTTPStatus.BAD_REQUEST: "Bad request.",
    HTTPStatus.FORBIDDEN: "You do not have permission to perform this action.",
    HTTPStatus.NOT_FOUND: "Not found.",
    HTTPStatus.INTERNAL_SERVER_ERROR: "A server error occurred.",
    HTTPStatus.SERVICE_UNAVAILABLE: "The service is unavailable for a moment; "
    f"please try again in {RETRY_AFTER_SECONDS} seconds.",
}


def is_api_request(request):
    """Return whether a request is for the JSON API, whose errors are JSON too."""
    return request.path.startswith(API_PREFIX)


def json_error(status):
    """Return the API's JSON answer for an error status."""
    return JsonResponse({"detail": MESSAGES[status]}, status=status)


def bad_request(request, exception):
    """Answer a bad request (400)."""
    if is_api_request(request):
        return json_error(HTTPStatus.BAD_REQUEST)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    """Answer a forbidden request (403)."""
    if is_api_request(request):
        return json_error(HTTPStatus.FORBIDDEN)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    """Answer a missing page (404)."""
    if is_api_request(request):
        return json_error(HTTPStatus.NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Answer an uncaught exception: 503 if the database is unavailable, otherwise 500."""
    # Django calls this handler while it handles the exception, so the exception is at hand.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    if is_api_request(request):
        return json_error(HTTPStatus.INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)


def service_unavailable(request):
    """Answer 503 with Retry-After, rendered without touching the database."""
    if is_api_request(request):
        response = json_error(HTTPStatus.SERVICE_UNAVAILABLE)
    else:
        # No request context: its processors (messages, user) would read the database.
        context = {"retry_after_seconds": RETRY_AFTER_SECONDS}
        response = HttpResponse(
            loader.render_to_string("503.html", context),
            status=HTTPStatus.SERVICE_UNAVAILABLE,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
