"""Error pages: API clients get the API's JSON error shape, readers get the HTML pages.

A database that cannot be reached is not a bug in a page: it is answered 503 with
``Retry-After``, from a page that needs no database, and the next request tries again."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def _is_api(request):
    return request.path.startswith("/api/")


def _json(status, message):
    return JsonResponse({"message": message, "status": status, "errors": {}}, status=status)


def bad_request(request, exception):
    if _is_api(request):
        return _json(400, "Bad request.")
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return _json(404, "Not found.")
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
