"""One JSON error shape for every API failure: ``{"message": ..., "status": ..., "errors": {field: [...]}}``
with data about what was asked for beside them: a 410's ``withdrawn_at`` and ``withdrawal_note``,
a 404 past the end of a list's ``last_page``."""

from django.core.exceptions import RequestDataTooBig
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from dialogues.errors import request_too_big_message


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class InUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Still in use by other records; remove those references first."
    default_code = "in_use"


class Gone(exceptions.APIException):
    """A withdrawn quote or claim, or coverage taken down: when and why, for clients that held
    on to its URL."""

    status_code = status.HTTP_410_GONE
    default_code = "gone"

    def __init__(self, item):
        # Data about the item, not errors in the request: beside the message, as the item's own
        # JSON names them (``schema.GoneSerializer``).
        self.extra = {
            "withdrawn_at": item.withdrawn_at.isoformat().replace("+00:00", "Z"),
            "withdrawal_note": item.withdrawal_note,
        }
        kind = item._meta.verbose_name
        why = f": {item.withdrawal_note}" if item.withdrawal_note else "."
        super().__init__(f"This {kind} was withdrawn on {item.withdrawn_at:%Y-%m-%d}{why}")


class PastTheLastPage(exceptions.NotFound):
    """A page number past the end of a list: says which page is the last."""

    def __init__(self, number, last):
        self.extra = {"last_page": last}
        super().__init__(f"There is no page {number}: the last page is {last}.")


class Moved(exceptions.APIException):
    """Asked by a slug the object had before it was renamed: ``Location`` is where it is now.
    A read answers 301 (follow it, and keep the new URL); a write 308, which repeats the same
    method and body at the new URL (a 301 may be followed with a GET, losing the write)."""

    default_code = "moved"

    def __init__(self, location, *, safe):
        self.location = location
        self.status_code = status.HTTP_301_MOVED_PERMANENTLY if safe else status.HTTP_308_PERMANENT_REDIRECT
        super().__init__(f"Renamed: this is now at {location}")


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = TooLarge(request_too_big_message())
    if isinstance(exc, ProtectedError | RestrictedError):
        used_by = sorted({str(obj) for obj in list(exc.args[1])[:5]})
        exc = InUse(f"Still referenced by: {'; '.join(used_by)}. Remove those references first.")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    errors = {}
    message = str(getattr(exc, "detail", "")) or response.status_text
    if isinstance(exc, exceptions.ValidationError):
        message = "Invalid input."
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    if isinstance(exc, Moved):
        response["Location"] = exc.location
    response.data = {"message": message, "status": response.status_code, "errors": errors}
    # Data about what was asked for (a withdrawal, the last page), beside the message.
    response.data.update(getattr(exc, "extra", {}))
    return response
