"""Security headers Django 5.2 does not set itself, and the admin's login throttle."""

import functools
import hashlib
import unicodedata
from urllib.parse import urlsplit

from corsheaders import middleware as cors
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from rest_framework.throttling import BaseThrottle

from dialogues.caching import count_hit


def client_address(request):
    """The client's address: ``REMOTE_ADDR``, or the address the trusted proxies
    (``NUM_PROXIES`` in ``REST_FRAMEWORK``, none by default) put in ``X-Forwarded-For``. The
    same for the API's throttle and the admin's login limit."""
    return BaseThrottle().get_ident(request)


def policy_header(**overrides):
    """The site's policy as a header value, with some directives replaced (names use ``_``)."""
    policy = {**settings.CONTENT_SECURITY_POLICY, **{k.replace("_", "-"): v for k, v in overrides.items()}}
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def content_security_policy(**overrides):
    """A view decorator for the rare page that needs a looser policy than the site's."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.headers["Content-Security-Policy"] = policy_header(**overrides)
            return response

        return wrapped

    return decorator


class ContentSecurityPolicyMiddleware:
    """``Content-Security-Policy`` on every response that does not set its own.

    Our pages run no inline script and no inline style, so the policy allows only our own
    origin: an injected ``<script>`` or ``onerror=`` would not run even if it got through."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = policy_header()
        # Django's admin templates put style attributes in their markup; its scripts are files.
        self.admin_policy = policy_header(style_src="'self' 'unsafe-inline'")

    def __call__(self, request):
        response = self.get_response(request)
        policy = self.admin_policy if request.path.startswith("/admin/") else self.policy
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RejectNulMiddleware:
    """A NUL byte in the path or the query string is a 400 before any view runs.

    No slug, name or search term contains one, and PostgreSQL refuses it in any text parameter:
    left to the views it would surface as a database error, a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in value for value in request.GET.values()):
            raise SuspiciousOperation("NUL byte in the request path or query string.")
        return self.get_response(request)


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin login, refusing further tries after too many failures.

    Counted per account (``LOGIN_FAILURE_LIMIT``), so guessing one account's password from many
    addresses is stopped, and per client address across all accounts, with a much higher limit
    (``LOGIN_ADDRESS_FAILURE_LIMIT``), so one address trying a password on every account is
    stopped without a few typos locking out everyone behind a shared address. The account is
    the user name as the form reads it (NFKC, as ``UsernameField`` normalises it), in any
    letter case; the address is the client's, through trusted proxies only. A locked-out user is
    refused even with the right password until the window passes."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked_out": (
            "Too many failed logins for this account or from this address. Try again in %(minutes)d minutes."
        ),
    }

    def clean(self):
        keys = self._keys()
        limits = (settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_ADDRESS_FAILURE_LIMIT)
        if any((cache.get(key) or 0) >= limit for key, limit in zip(keys, limits, strict=True)):
            raise ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW // 60},
            )
        try:
            return super().clean()
        except ValidationError:
            for key in keys:
                count_hit(key, settings.LOGIN_FAILURE_WINDOW)
            raise

    def _keys(self):
        username = unicodedata.normalize("NFKC", self.data.get("username") or "").strip().casefold()
        address = client_address(self.request) if self.request else ""
        return [
            "dialogue-desk:login-failures:user:" + hashlib.sha256(username.encode()).hexdigest(),
            "dialogue-desk:login-failures:address:" + hashlib.sha256(address.encode()).hexdigest(),
        ]


# Methods any origin may use on the API: reading what anonymous readers may read.
CORS_READ_METHODS = ("GET", "HEAD", "OPTIONS")


def cors_reads_from_anywhere(sender, request, **kwargs):
    """django-cors-headers' ``check_request_enabled`` signal: any web page may read the API as
    an anonymous reader does; writes are for the origins named in ``CORS_ALLOWED_ORIGINS``.
    Credentials (cookies) are never allowed cross-origin, so a page elsewhere cannot act with
    a signed-in editor's session; a trusted origin's client writes with a token."""
    if not request.path_info.startswith("/api/"):
        return False
    method = request.method
    if method == "OPTIONS":  # a preflight: the method the request it precedes will use
        method = request.headers.get("Access-Control-Request-Method", "")
    return method.upper() in CORS_READ_METHODS


class CorsMiddleware(cors.CorsMiddleware):
    """django-cors-headers, whose preflight answer names every method of
    ``CORS_ALLOW_METHODS`` to any origin it answers; to an origin that may only read, it names
    the reading ones, so a browser caching the answer does not take writes as allowed."""

    def add_response_headers(self, request, response):
        response = super().add_response_headers(request, response)
        origin = request.headers.get("Origin")
        if (
            origin
            and request.method == "OPTIONS"
            and cors.ACCESS_CONTROL_ALLOW_METHODS in response
            and not self.origin_found_in_white_lists(origin, urlsplit(origin))
        ):
            response[cors.ACCESS_CONTROL_ALLOW_METHODS] = ", ".join(CORS_READ_METHODS)
        return response
