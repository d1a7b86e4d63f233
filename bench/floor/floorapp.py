"""The benchmark's floor: a one-file Django project that is not Dialogue Desk.

    gunicorn --chdir bench/floor floorapp:application

``startproject``'s default middleware, no database, DEBUG off, one URL returning a fixed
21 KB HTML page built once at import. It measures what Django and gunicorn cost on this
machine with nothing of ours in the way; ``bench/run.py`` divides every endpoint's req/s by it.
"""

from django.conf import settings

# Exactly the list ``django-admin startproject`` writes (tests/test_bench.py compares them).
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
PAGE_BYTES = 21 * 1024

settings.configure(
    DEBUG=False,
    # Not a secret: the floor holds no data, signs nothing anyone keeps and listens on localhost.
    SECRET_KEY="bench-floor-only-" + "x" * 40,
    ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
    ROOT_URLCONF=__name__,
    # What the middleware imports at start-up: auth's models and sessions' store.
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
    ],
    MIDDLEWARE=MIDDLEWARE,
    DATABASES={},
    USE_TZ=True,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def _page():
    head = (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Floor</title></head>\n<body>\n'
    )
    tail = "</body>\n</html>\n"
    row = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 2 + "</p>\n"
    body = head
    while len(body) + len(row) + len(tail) <= PAGE_BYTES:
        body += row
    return (body + " " * (PAGE_BYTES - len(body) - len(tail)) + tail).encode()


PAGE = _page()


def page(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", page)]

application = get_wsgi_application()
