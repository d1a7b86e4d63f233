import os

from django.core.asgi import get_asgi_application

from dialogues.perf import process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

process.prepare()
application = get_asgi_application()
