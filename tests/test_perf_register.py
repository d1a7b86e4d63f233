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
