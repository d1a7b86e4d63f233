"""The readers' pages in English and Simplified Chinese: which language a request is in, and
the links between a page and its counterpart in the other language.

A page's language is its URL's and nothing else: English at the usual addresses, Chinese under
``/zh-hans/`` (``config/urls.py``). Not ``Accept-Language``, not a cookie: the page cache, the
per-generation sections and any CDN in front key by URL, and a URL that answered in whichever
language its first reader's browser preferred would serve that language to everyone after.
The admin and the API are not prefixed, so they are always English. The interface is
translated (``locale/``); content stays in the language it was written in.
"""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation


class URLLanguageMiddleware:
    """Activates the language of the request's path for the view and the templates.

    Django's ``LocaleMiddleware`` would do the same for these URLs (with
    ``prefix_default_language=False`` an unprefixed path is always the default language) but
    adds ``Vary: Accept-Language`` to every unprefixed page, telling shared caches the page
    depends on a header it does not depend on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def language_tag(code):
    """Django's language code as a BCP 47 tag for ``lang`` and ``hreflang``: "zh-hans" is
    written "zh-Hans" (script subtags are title case), as the aliases' languages are."""
    return "-".join(part.title() if len(part) == 4 else part for part in code.split("-"))


def language_versions(request):
    """``[(tag, name, path)]``: this page in every language, the current one included, for
    the switcher and the ``hreflang`` alternates. A path that resolves to no page (a 404) has no
    counterpart: the other language's front page stands in."""
    current = request.get_full_path()
    versions = []
    for code, name in settings.LANGUAGES:
        if code == translation.get_language():
            path = current
        else:
            path = translate_url(current, code)
            if path == current:
                with translation.override(code):
                    path = reverse("dialogues:home")
        versions.append((language_tag(code), name, path))
    return versions
