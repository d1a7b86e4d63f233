"""Error pages: API clients get the API's JSON error shape, readers get the HTML pages."""

from django.http import JsonResponse
from django.views import defaults


def _is_api(request):
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"message": "Not found.", "status": 404, "errors": {}}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"message": "Server error.", "status": 500, "errors": {}}, status=500)
    return defaults.server_error(request)
