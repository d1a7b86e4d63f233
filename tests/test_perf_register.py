"""Guards for the shortcuts in dialogues/perf/REGISTER.md: each fails when an upgrade changes
the private API a shortcut relies on, so the shortcut is rechecked rather than silently wrong."""

import gc
import inspect
from importlib.metadata import version

import django
import pytest

# The versions the register was last checked against. An upgrade fails here first: recheck
# every entry of dialogues/perf/REGISTER.md, re-measure, then update these.
CHECKED_AGAINST = {"django": (5, 2), "psycopg": "3.3.9", "redis": "8.1.0"}


def test_upgrades_recheck_the_register():
    assert django.VERSION[:2] == CHECKED_AGAINST["django"], "recheck dialogues/perf/REGISTER.md"
    assert version("psycopg") == CHECKED_AGAINST["psycopg"], "recheck dialogues/perf/REGISTER.md"
    assert version("redis") == CHECKED_AGAINST["redis"], "recheck dialogues/perf/REGISTER.md"


def test_postgres_cursor_internals_are_as_expected():
    from django.db.backends.postgresql.base import ServerBindingCursor

    from dialogues.perf.postgres import PreparingCursor

    assert issubclass(PreparingCursor, ServerBindingCursor)
    parameters = inspect.signature(ServerBindingCursor.execute).parameters
    assert list(parameters)[:3] == ["self", "query", "params"]
    assert parameters["prepare"].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["binary"].kind is inspect.Parameter.KEYWORD_ONLY


def test_redis_cache_client_internals_are_as_expected():
    from django.core.cache.backends.redis import RedisCacheClient

    from dialogues.caching import ResilientRedisCache
    from dialogues.perf.redis import ReusedRedisClients

    assert list(inspect.signature(RedisCacheClient._get_connection_pool).parameters) == ["self", "write"]
    cache = ResilientRedisCache("redis://127.0.0.1:6379/15", {})
    assert cache._class is ReusedRedisClients
    client = cache._cache
    assert isinstance(client, ReusedRedisClients)
    # The shortcut's whole point: the same client object for every call on a pool.
    assert client.get_client() is client.get_client()
    assert callable(client._client)


@pytest.fixture
def gc_thresholds():
    saved = gc.get_threshold()
    yield
    gc.set_threshold(*saved)


def test_gc_thresholds_apply(gc_thresholds):
    from dialogues.perf import process

    process.prepare()
    assert gc.get_threshold() == process.GC_THRESHOLDS


# Every route of the app that takes a slug, and the no-argument routes the templates print.
SLUG_ROUTES = [
    *(
        f"dialogues:{kind}-detail"
        for kind in ("coverage", "speaker", "event", "dialogue", "topic", "quote", "claim")
    ),
    "dialogues:feed-topic-rss",
    "dialogues:feed-speaker-atom",
]
PLAIN_ROUTES = ["dialogues:methodology", "dialogues:home", "dialogues:search", "dialogues:claim-list"]
SLUGS = ["a", "huang-renxun", "UPPER_and-lower-0123456789", "x" * 120, "dialogue-desk-slug"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("script_prefix", ["/", "/desk/"])
def test_reversed_once_urls_are_what_reverse_gives(language, script_prefix):
    from django.urls import get_script_prefix, reverse, set_script_prefix
    from django.utils import translation

    from dialogues.perf.urls import plain_url, slug_url

    saved = get_script_prefix()
    set_script_prefix(script_prefix)
    try:
        with translation.override(language):
            for name in SLUG_ROUTES:
                for slug in SLUGS:
                    assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})
            for name in PLAIN_ROUTES:
                assert plain_url(name) == reverse(name)
            assert plain_url("dialogues:home").startswith(script_prefix)
    finally:
        set_script_prefix(saved)


def test_reversed_once_urls_refuse_what_reverse_refuses():
    from django.urls import NoReverseMatch

    from dialogues.perf.urls import slug_url

    for slug in ["", "with space", "ünïcode", "a/b", "dot.ted"]:
        with pytest.raises(NoReverseMatch):
            slug_url("dialogues:quote-detail", slug)


def test_reversed_once_urls_follow_a_changed_urlconf():
    from django.test import override_settings

    from dialogues.perf.urls import slug_url

    before = slug_url("dialogues:quote-detail", "q")
    # Django's own receiver clears its URL caches as the setting changes, and back.
    with override_settings(ROOT_URLCONF="tests.urls_mounted"):
        assert slug_url("dialogues:quote-detail", "q") == "/mounted" + before
    assert slug_url("dialogues:quote-detail", "q") == before
