"""How far an import is, for the page that waits for it (issue #25: "shows progress").

The admin's import view hands ``import_coverage`` a ``CachedProgress``, which keeps the latest
step in the cache under the user and a token the form carries; the form's script polls
``progress_of`` through the status endpoint while the post is under way. Through the shared
cache (Redis) any app server may answer the poll; with the per-process memory cache only the
one running the import can, and the page shows a bar without a value."""

import re
import secrets

from django.core.cache import cache

TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEEP_SECONDS = 600

WAITING = {"state": "waiting", "percent": None, "message": "Sending the text…"}


def new_token():
    return secrets.token_urlsafe(16)


def _key(user, token):
    return f"import-progress:{user.pk}:{token}"


class CachedProgress:
    """A ``progress(fraction, message)`` callback that keeps the latest step for
    ``progress_of``. It writes when the whole percent moves, and at most once for each: a
    20,000-word transcript costs a few dozen cache writes."""

    def __init__(self, user, token):
        self.key = _key(user, token)
        self.percent = None

    def __call__(self, fraction, message):
        percent = min(100, int(fraction * 100))
        if percent != self.percent:
            self.percent = percent
            self._keep("done" if percent == 100 else "running", percent, message)

    def failed(self, message):
        self._keep("failed", self.percent, message)

    def _keep(self, state, percent, message):
        cache.set(self.key, {"state": state, "percent": percent, "message": message}, KEEP_SECONDS)


def progress_of(user, token):
    """What ``CachedProgress`` last kept for this user's import ``token``: ``state`` (waiting,
    running, done, failed), ``percent`` (None while waiting) and ``message``."""
    return cache.get(_key(user, token)) or WAITING
