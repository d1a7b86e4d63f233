"""The anonymous page cache and the one thing that invalidates it: the content generation.

Every save or delete of a Dialogue Desk model starts a new generation, stored in the shared
cache (Redis in production), so every app server stops serving the old pages on its very next
request. Pages are stored with their generation and only served under it, never deleted one by one: a quote edit can
change a coverage page, two speaker pages, a topic page, the feeds and the sitemap, and
working out that set would be a second copy of every view's query.

Scheduled coverage goes live without any write; the generation therefore also ends at the
next scheduled publish time.
"""

import contextvars
import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.functional import cached_property
from django.utils.http import http_date
from redis.exceptions import RedisError

from dialogues.perf.redis import ReusedRedisClients
from dialogues.permissions import can_preview

log = logging.getLogger(__name__)

GENERATION_KEY = "dialogue-desk:generation"
# Paths the page cache leaves alone: the admin, health, static files, and the API, whose views
# cache anonymous reads themselves after throttling (``cached_for_anonymous``).
UNCACHED_PREFIXES = ("/admin/", "/api/", "/healthz", "/static/")


def _next_publish_at():
    from dialogues.models import Coverage

    first = Coverage.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()
    return first.timestamp() if first else None


def current_generation(generation=None):
    """``{"token", "changed_at", "ends_at"}`` of the content now being served; starts one if none.

    ``generation`` is the value already read from the cache, if the caller fetched it."""
    if generation is None:
        generation = cache.get(GENERATION_KEY)
    if generation is not None and (generation["ends_at"] is None or generation["ends_at"] > time.time()):
        return generation
    return new_generation()


def new_generation():
    generation = {"token": uuid.uuid4().hex, "changed_at": int(time.time()), "ends_at": _next_publish_at()}
    cache.set(GENERATION_KEY, generation, timeout=None)
    return generation


def _coverage_of(instance):
    """The coverage whose visibility decides whether readers can see ``instance``: itself, the
    coverage it sits in, or its claim's; None for what stands on its own (speakers, events…)."""
    from dialogues.models import Coverage

    if isinstance(instance, Coverage):
        return instance
    if getattr(instance, "coverage_id", None) is not None:
        return instance.coverage
    if getattr(instance, "claim_id", None) is not None:
        return instance.claim.coverage
    return None


def _readers_may_see(instance):
    """Whether readers see ``instance`` now or once its scheduled time comes."""

    try:
        coverage = _coverage_of(instance)
    except ObjectDoesNotExist:  # deleted along with its coverage
        return True
    return coverage is None or coverage.readers_see_from() is not None


def _saved_version(instance):
    """``instance`` as stored, before the save under way, or None for a new one."""
    if instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).first()


def remember_visibility(sender, instance, raw=False, **kwargs):
    """Signal receiver (pre_save): whether readers could see the stored version, so that taking
    something out of their sight (unpublishing, moving to a draft) starts a generation too."""
    if raw or getattr(sender, "instance_type", None) is not None:
        return
    stored = _saved_version(instance)
    instance._readers_saw_it = stored is not None and _readers_may_see(stored)


def content_changed(sender=None, instance=None, **kwargs):
    """Signal receiver: start a new generation now and again once the transaction commits, if
    readers see (or saw) what changed. Edits of drafts leave public pages, their ETag and their
    Last-Modified alone.

    Now, so this process never serves a page older than its own write; after the commit, so a
    page another server rendered between the two from not-yet-committed data is dropped too."""
    if getattr(sender, "instance_type", None) is not None:
        return  # a history row: the edit it records has already been seen here
    if instance is not None and not (
        _readers_may_see(instance) or getattr(instance, "_readers_saw_it", False)
    ):
        return
    new_generation()
    transaction.on_commit(new_generation)


# The generation the current API read last looked up, for its Last-Modified: the view's own
# lookups read it anyway, so the response needs no round trip of its own.
_generation_read = contextvars.ContextVar("generation_read", default=None)


def _lookup(key):
    """``(generation, entry)``: the current generation and ``key``'s entry if it was stored
    under it (else None), in one cache round trip."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = current_generation(found.get(GENERATION_KEY))
    _generation_read.set(generation)
    entry = found.get(key)
    if entry is not None and entry["generation"] != generation["token"]:
        entry = None
    return generation, entry


def per_generation(key, compute):
    """``compute()``, worked out once per content generation and shared by every app server.

    For a value that only an edit or a scheduled publish can change, and that would otherwise
    be worked out again on every request. Unlike pages, it is shared by staff and readers
    alike: put whatever the value depends on in ``key``."""
    generation, entry = _lookup(key)
    if entry is not None:
        return entry["value"]
    value = compute()
    cache.set(key, {"generation": generation["token"], "value": value}, settings.PAGE_CACHE_SECONDS)
    return value


class CountedPerGeneration(Paginator):
    """A paginator that counts its list once per content generation, not once per request.

    Counting every match reads every match, so an exact count costs more as the archive grows
    (the API's claims with a status: a fourth of all claims). The pages of one list, and every
    reader asking for it again before the next edit, share one count. The key is the list's
    path, its query string without the paging parameters, and whether the requester sees
    drafts: those decide what a list holds. Staff, who see drafts, get a fresh count."""

    PAGING_PARAMETERS = ("page", "page_size")

    def __init__(self, object_list, per_page, *, request, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.request = request

    @cached_property
    def count(self):
        request = self.request
        if can_preview(request.user):
            # Staff lists hold drafts, and a draft edit starts no generation: count afresh.
            return Paginator.count.func(self)
        query = sorted(
            (name, value)
            for name, values in request.GET.lists()
            if name not in self.PAGING_PARAMETERS
            for value in values
        )
        described = repr((request.path, query, can_preview(request.user)))
        key = f"dialogue-desk:count:{hashlib.sha256(described.encode()).hexdigest()}"
        return per_generation(key, lambda: Paginator.count.func(self))


def _cache_key(request):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"dialogue-desk:page:{hashlib.sha256(url.encode()).hexdigest()}"


def _cacheable_request(request):
    """An anonymous read of a public page. Anonymous means no session cookie and no API token:
    known before any session or user lookup, so a hit costs no database query at all."""
    return (
        settings.PAGE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(UNCACHED_PREFIXES)
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class AnonymousPageCacheMiddleware:
    """Serves anonymous readers from the shared cache, with ETag/Last-Modified and 304s.

    Sits before the session and authentication middleware, so a hit skips them; anyone with a
    session (staff previewing drafts above all) goes through to the view and gets
    ``Cache-Control: private``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if request.method in ("GET", "HEAD") and user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            return response

        key = _cache_key(request)
        generation, cached = _lookup(key)
        if cached is None:
            response = self.get_response(request)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            self._add_validators(response, generation, hashlib.md5(response.content).hexdigest())
            cache.set(key, self._freeze(response, generation), settings.PAGE_CACHE_SECONDS)
        else:
            response = self._thaw(cached)
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=generation["changed_at"], response=response
        )

    @staticmethod
    def _add_validators(response, generation, digest):
        response["ETag"] = f'"{generation["token"][:12]}-{digest}"'
        response["Last-Modified"] = http_date(generation["changed_at"])
        # Shared caches (a CDN) may keep it briefly; browsers revalidate with the ETag.
        patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SECONDS)
        patch_vary_headers(response, ["Cookie"])

    @staticmethod
    def _freeze(response, generation):
        return {
            "generation": generation["token"],
            "content": response.content,
            "status": response.status_code,
            "headers": dict(response.items()),
        }

    @staticmethod
    def _thaw(frozen):
        response = HttpResponse(frozen["content"], status=frozen["status"])
        for name, value in frozen["headers"].items():
            response[name] = value
        return response


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, except that Redis being down costs a cache miss, not a 500.

    Pages then render uncached, throttles stop counting and the generation lives per process
    until Redis is back; all of that beats an outage."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedRedisClients  # a shortcut: dialogues/perf/REGISTER.md

    def validate_key(self, key):
        """Redis takes any key; Django's default warns about keys memcached would refuse (its
        length, spaces and control characters), at a few microseconds a key."""

    def _call(self, method, default, *args, **kwargs):
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError as error:
            log.warning("Cache unavailable (%s): %s", method, error)
            return default

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", None, key, delta, version)

    def clear(self):
        return self._call("clear", False)

    def count_hit(self, key, timeout, previous_key=None):
        """``count_hit`` below, in one round trip: its commands go as one pipeline."""
        key = self.make_and_validate_key(key)
        try:
            pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
            pipeline.set(key, 0, ex=timeout, nx=True).incr(key)
            if previous_key is not None:
                pipeline.get(self.make_and_validate_key(previous_key))
            _created, count, *previous = pipeline.execute()
        except RedisError as error:
            log.warning("Cache unavailable (count_hit): %s", error)
            return 0, 0
        return count, int(previous[0] or 0) if previous else 0

    def ping(self):
        """True if Redis answers; for /healthz."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except RedisError:
            return False


def count_hit(key, timeout, previous_key=None):
    """Add one to the count at ``key``, kept ``timeout`` seconds from its first hit, and return
    ``(new count, count at previous_key)`` (0 without one).

    One Redis round trip; other caches take a few calls, atomic enough for the one process they
    serve. With Redis down nothing is counted: ``(0, 0)``."""
    count_in_redis = getattr(cache, "count_hit", None)
    if count_in_redis is not None:
        return count_in_redis(key, timeout, previous_key)
    cache.add(key, 0, timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        count = 1
    return count, cache.get(previous_key, 0) if previous_key is not None else 0


class APIConditionalGetMiddleware:
    """ETag, Last-Modified and 304s for API reads, as the page cache gives pages.

    The ETag is a digest of the bytes this requester is sent, so it never matches what someone
    who may see more (staff, who see drafts) was sent unless the bytes are the same; a view may
    put the object's version in front of it (``"3-<digest>"``), which ``If-Match`` then accepts
    on a write. Last-Modified is when the content generation began, and only a change readers
    see begins one; staff, whose drafts change without one, get none and revalidate by ETag, as
    do the schema and its docs, which no edit changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from rest_framework.generics import GenericAPIView

        view_class = getattr(view_func, "cls", None)
        request.reads_content = isinstance(view_class, type) and issubclass(view_class, GenericAPIView)

    def __call__(self, request):
        read_before = _generation_read.set(None)
        try:
            response = self.get_response(request)
            generation_read = _generation_read.get()
        finally:
            _generation_read.reset(read_before)
        if request.method == "PATCH" and request.path.startswith("/api/") and response.status_code == 200:
            # The new state's ETag, as a read of it would carry: the client's next If-Match.
            data = getattr(response, "data", None)
            version = data.get("version") if isinstance(data, dict) else None
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = f'"{version}-{digest}"' if version is not None else f'"{digest}"'
            return response
        if (
            request.method not in ("GET", "HEAD")
            or not request.path.startswith("/api/")
            or response.status_code != 200
            or response.streaming
        ):
            return response
        # The API's authentication (a token) sets ``request.user`` for the view it ran in.
        user = getattr(request, "user", None)
        version = response.get("ETag", "").strip('"')
        digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        response["ETag"] = f'"{version}-{digest}"' if version else f'"{digest}"'
        last_modified = None
        if getattr(request, "reads_content", False) and (user is None or not can_preview(user)):
            last_modified = (generation_read or current_generation())["changed_at"]
            response["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, max_age=0)
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )


# Headers of an API response that its cached copy keeps (the object's version in its ETag, a
# CSV export's file name).
_KEPT_HEADERS = ("ETag", "Content-Disposition")


def cached_for_anonymous(request, respond):
    """An API read for an anonymous client, from the cache under the current generation.

    Called by the API views after authentication, permissions and throttling have run, so a
    cached answer still counts against the client's rate. What is cached is the rendered body,
    per format (JSON, CSV, browsable): the response data holds model instances behind its
    hyperlinks and would be costly to store and load."""
    if not settings.PAGE_CACHE_ENABLED or request.user.is_authenticated:
        return respond()
    url = f"{request.accepted_media_type}|{request.get_host()}{request.get_full_path()}"
    key = f"dialogue-desk:api:{hashlib.sha256(url.encode()).hexdigest()}"
    generation, cached = _lookup(key)
    if cached is not None:
        response = HttpResponse(cached["content"], content_type=cached["content_type"])
        for name, value in cached["headers"].items():
            response[name] = value
        return response
    response = respond()
    if response.status_code == 200:

        def store(rendered):
            entry = {
                "generation": generation["token"],
                "content": rendered.content,
                "content_type": rendered["Content-Type"],
                "headers": {name: rendered[name] for name in _KEPT_HEADERS if name in rendered},
            }
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)

        response.add_post_render_callback(store)
    return response
