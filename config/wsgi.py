import os

from django.core.wsgi import get_wsgi_application

from dialogues.perf import process

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

process.prepare()
application = get_wsgi_application()
