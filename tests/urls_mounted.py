"""The readers' pages under /mounted/: a URLconf other than the project's, for tests that a
link follows the URLconf it is reversed in (tests/test_perf_register.py)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

urlpatterns = i18n_patterns(path("mounted/", include("dialogues.urls")), prefix_default_language=False)
