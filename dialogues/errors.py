"""Error pages: API clients get the API's JSON error shape, readers get the HTML pages.

A database that cannot be reached is not a bug in a page: it is answered 503 with
``Retry-After``, from a page that needs no database, and the next request tries again."""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.middleware import common
from django.template.loader import render_to_string
from django.urls import is_valid_path
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def _is_api(request):
    return request.path.startswith("/api/")


def _json(status, message):
    return JsonResponse({"message": message, "status": status, "errors": {}}, status=status)


# What an API error says when Django, not the API, answered it (the API's views say more).
_API_MESSAGES = {
    400: "Bad request.",
    403: "Forbidden.",
    404: "Not found.",
    405: "Method not allowed.",
    500: "Server error.",
}
# Headers an error keeps when its body is rewritten as JSON.
_KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Cache-Control")


def _not_found_message(request):
    if not request.path.endswith("/") and is_valid_path(
        f"{request.path_info}/", getattr(request, "urlconf", None)
    ):
        return f"Not found. API paths end with a slash: {request.path}/"
    return _API_MESSAGES[404]


class APIErrorsAsJSONMiddleware:
    """Every error under /api/ in the API's JSON shape, including those Django answers outside
    the API's views: a path no route matches and, with DEBUG on (``bin/dev serve``), Django's
    technical 404 and 500 pages, which are HTML. The traceback of a 500 is still logged
    (``django.request``) before this sees the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not _is_api(request)
            or response.status_code < 400
            or response.streaming
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        status = response.status_code
        if status == 404:
            message = _not_found_message(request)
        else:
            message = _API_MESSAGES.get(status) or f"{response.reason_phrase}."
        replaced = _json(status, message)
        for name in _KEPT_HEADERS:
            if name in response:
                replaced[name] = response[name]
        return replaced


class CommonMiddleware(common.CommonMiddleware):
    """Django's, except that a write to an API path without its trailing slash is a 404 (in
    JSON, saying where the slash goes) rather than a redirect: a client following a redirect
    sends a GET without the body, and with DEBUG on Django refuses it with a 500."""

    def should_redirect_with_slash(self, request):
        if _is_api(request) and request.method not in ("GET", "HEAD"):
            return False
        return super().should_redirect_with_slash(request)


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        return _too_big(request)
    if _is_api(request):
        return _json(400, "Bad request.")
    return defaults.bad_request(request, exception)


def request_too_big_message():
    return f"The request body is over the {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} byte limit."


def _too_big(request):
    """A form or body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (1 MB): say so, and what to do
    instead, rather than a bare "Bad request" (a long article pasted into the import form)."""
    if _is_api(request):
        return _json(413, request_too_big_message())
    limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:g} MB"
    return HttpResponse(render_to_string("413.html", {"limit": limit}), status=413)


def page_not_found(request, exception):
    if _is_api(request):
        return _json(404, _not_found_message(request))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    if _is_api(request):
        return _json(500, "Server error.")
    return defaults.server_error(request)


def service_unavailable(request):
    if _is_api(request):
        response = _json(503, "The service is briefly unavailable; try again shortly.")
    else:
        # No request context: context processors (the user above all) could need the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
