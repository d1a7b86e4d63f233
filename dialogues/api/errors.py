"""One JSON error shape for every API failure: ``{"message": ..., "errors": {field: [...]}}``."""

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def _message_for(exc, response):
    if isinstance(exc, exceptions.ValidationError):
        return "Invalid input."
    detail = getattr(exc, "detail", None)
    if detail is not None:
        return str(detail)
    return response.reason_phrase if hasattr(response, "reason_phrase") else "Error."


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    errors = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        errors = detail if isinstance(detail, dict) else {"non_field_errors": detail}
    response.data = {"message": _message_for(exc, response), "status": response.status_code, "errors": errors}
    return response
