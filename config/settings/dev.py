from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A local-only key so a fresh clone runs; production refuses to start without its own.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-not-for-production")

# Receivers on this machine (tests, a developer's own) listen on http://127.0.0.1.
WEBHOOKS_ALLOW_HTTP = True
WEBHOOKS_ALLOW_INTERNAL_HOSTS = True
