"""The readers' pages in English and Simplified Chinese: which language a request is in, and
the links between a page and its counterpart in the other language.

A page's language is its URL's and nothing else: English at the usual addresses, Chinese under
``/zh-hans/`` (``config/urls.py``). Not ``Accept-Language``, not a cookie: the page cache, the
per-generation sections and any CDN in front key by URL, and a URL that answered in whichever
language its first reader's browser preferred would serve that language to everyone after.
The browser's preference decides one thing only: where a reader arriving at the front page
from elsewhere lands (``FrontDoorLanguageMiddleware``). The admin and the API are not prefixed,
so they are always English. The interface is translated (``locale/``); content stays in the
language it was written in.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class FrontDoorLanguageMiddleware:
    """A reader who comes to the English front page from elsewhere (a typed address, a
    bookmark, a search engine) and whose browser prefers Chinese is sent to the Chinese front
    page: Django's own reading of ``Accept-Language`` and of the language cookie decides.

    Only the front page, and only on arrival: a reader who got there from one of our pages
    (the switcher's "English" above all) asked for it, and every other URL keeps its one
    language, so shared links show what their sender saw. Sits before the page cache, so the
    cache only ever stores and serves the English page to readers who get it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != "/" or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        preferred = translation.get_language_from_request(request)
        if preferred != settings.LANGUAGE_CODE and not _came_from_this_site(request):
            with translation.override(preferred):
                response = HttpResponseRedirect(reverse("dialogues:home") + _query(request))
            # The answer depends on the reader's headers: never from a shared cache.
            patch_cache_control(response, private=True, no_cache=True)
        else:
            response = self.get_response(request)
        # Not Referer too: a cache that hands an arrival the English page costs one click.
        patch_vary_headers(response, ("Accept-Language",))
        return response


def _came_from_this_site(request):
    referer = request.headers.get("Referer")
    return bool(referer) and urlsplit(referer).netloc == request.get_host()


def _query(request):
    query = request.META.get("QUERY_STRING", "")
    return f"?{query}" if query else ""


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
