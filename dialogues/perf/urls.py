"""Links reversed once per URL name instead of once per link.

A page of cards prints two to three hundred links (each card's own page, its speakers', the
methodology anchors of its badges), and ``reverse()`` matches the URL patterns again for every
one: about 14 µs a link, a sixth of a page rendered with every cache off. What ``reverse()``
gives for a URL name depends only on the URLconf, the script prefix and the active language
(``i18n_patterns``), and for a slug route on nothing else about the slug, once the slug is one
the route's converter accepts. So each name is reversed once per such key, with a marker for the
slug, and a link is the marker replaced.

Public APIs only; listed in ``REGISTER.md`` because it repeats what ``reverse()`` decides.
``tests/test_perf_register.py`` compares it with ``reverse()`` for every slug route of the app
in every language, under a script prefix and another URLconf.
"""

import re

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Django's ``slug`` path converter; a slug it would refuse goes to ``reverse()`` to be refused.
SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")
# A slug itself, so the route accepts it, and one no real link contains.
MARKER = "dialogue-desk-slug-marker-0f3a"

_reversed = {}


def _key(viewname):
    return (viewname, get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def slug_url(viewname, slug):
    """``reverse(viewname, kwargs={"slug": slug})``."""
    if not SLUG.match(slug):
        return reverse(viewname, kwargs={"slug": slug})
    key = _key(viewname)
    parts = _reversed.get(key)
    if parts is None:
        parts = _reversed[key] = tuple(reverse(viewname, kwargs={"slug": MARKER}).split(MARKER))
    return slug.join(parts)


def plain_url(viewname):
    """``reverse(viewname)`` for a route that takes no arguments."""
    key = _key(viewname)
    path = _reversed.get(key)
    if path is None:
        path = _reversed[key] = reverse(viewname)
    return path


@receiver(setting_changed)
def _forget(setting, **kwargs):
    # Tests swap URLconfs and prefixes (override_settings); a URLconf module may change too.
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME", "LANGUAGES", "LANGUAGE_CODE"):
        _reversed.clear()
