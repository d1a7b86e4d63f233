"""The readers' pages in English and Simplified Chinese: which language a request is in, and
the links between a page and its counterpart in the other language.

A page's language is its URL's and nothing else: English at the usual addresses, Chinese under
``/zh-hans/`` (``config/urls.py``). Not ``Accept-Language``, not a cookie: the page cache, the
per-generation sections and any CDN in front key by URL, and a URL that answered in whichever
language its first reader's browser preferred would serve that language to everyone after.
The browser's preference decides one thing only: where a reader arriving at the front page
from elsewhere lands (``LanguageChoiceMiddleware``). The admin and the API are not prefixed,
so they are always English. The interface is translated (``locale/``); content stays in the
language it was written in.
"""

from functools import cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class LanguageChoiceMiddleware:
    """Where the browser's language counts: a reader who comes to the English front page from
    elsewhere (a typed address, a bookmark, a search engine) is sent to the Chinese one when
    their choice, else their browser (``Accept-Language``), prefers Chinese; Django's own
    ``get_language_from_request`` decides.

    A choice is a move from a page in one language to a page in the other, which only the
    switcher offers: it is remembered in Django's language cookie, so the next arrival lands
    where the reader chose, with or without JavaScript. Every other URL keeps its one language,
    so shared links show what their sender saw. Sits before the page cache, which then only
    ever stores and serves the English front page to readers who get it, and never a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path_info.startswith(NOT_READERS_PAGES):
            return self.get_response(request)
        came_from = _language_of_referring_page(request)
        front_door = request.path_info == "/"
        if front_door and came_from is None:
            preferred = translation.get_language_from_request(request)
            if preferred != settings.LANGUAGE_CODE:
                with translation.override(preferred):
                    response = HttpResponseRedirect(reverse("dialogues:home") + _query(request))
                # The answer depends on the reader's headers: never from a shared cache.
                patch_cache_control(response, private=True, no_cache=True)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
        response = self.get_response(request)
        if front_door:
            # Not Referer too: a cache that hands an arrival the English page costs one click.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        if came_from is not None and came_from != language and response.status_code == 200:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE or CHOICE_KEPT_FOR,
                path=settings.LANGUAGE_COOKIE_PATH,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response


# The admin and the API have one language; a link to them from a Chinese page is no choice.
NOT_READERS_PAGES = ("/admin/", "/api/", "/healthz")
CHOICE_KEPT_FOR = 365 * 24 * 60 * 60


def _language_of_referring_page(request):
    """The language of the page of ours the reader came from, or None if they came from
    elsewhere (or their browser does not say)."""
    referer = urlsplit(request.headers.get("Referer", ""))
    if not referer.netloc or referer.netloc != request.get_host():
        return None
    return translation.get_language_from_path(referer.path) or settings.LANGUAGE_CODE


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


@cache
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
