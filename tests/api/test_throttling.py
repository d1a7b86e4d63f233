"""The API's anonymous rate limit (``dialogues.api.throttling``) and the count it keeps."""

import pytest
from redis.connection import Connection

from dialogues.api.throttling import AnonRateThrottle
from dialogues.caching import count_hit

pytestmark = pytest.mark.django_db

# The start of a window of a minute, so the tests know how far into it they are.
WINDOW_START = 60 * 29_000_000


@pytest.fixture
def rate(monkeypatch):
    """Sets the anonymous rate and the throttle's clock: ``rate("4/minute", at=seconds)``."""

    def set_rate(value, *, at):
        monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": value})
        monkeypatch.setattr(AnonRateThrottle, "timer", lambda self: WINDOW_START + at)

    return set_rate


def _codes(api_client, n):
    return [api_client.get("/api/v1/topics/").status_code for _ in range(n)]


def test_a_client_gets_its_rate_then_429_with_the_seconds_until_it_may_send_again(api_client, db, rate):
    rate("3/minute", at=10)
    assert _codes(api_client, 3) == [200, 200, 200]
    refused = api_client.get("/api/v1/topics/")
    assert refused.status_code == 429
    assert refused.json()["status"] == 429
    # This window ends in 50 s. In the next, its 3 requests weigh 3 × (1 - share passed): one
    # more fits once that is 2, a third of the way in, 20 s later.
    assert refused["Retry-After"] == "70"


def test_the_previous_window_weighs_what_is_left_of_it_in_the_period(api_client, db, rate):
    rate("4/minute", at=0)
    assert _codes(api_client, 5) == [200, 200, 200, 200, 429]
    # Halfway through the next window, the previous one's 4 count as 2. Its refused fifth
    # request was not counted: with it, the second of these would be refused.
    rate("4/minute", at=90)
    assert _codes(api_client, 2) == [200, 200]
    refused = api_client.get("/api/v1/topics/")
    assert refused.status_code == 429
    # 4 × (1 - share passed) + 2 leaves room for one more at three quarters: 15 s later.
    assert refused["Retry-After"] == "15"
    rate("4/minute", at=104)
    assert _codes(api_client, 1) == [429]
    rate("4/minute", at=105)
    assert _codes(api_client, 1) == [200]


def test_signed_in_clients_are_not_counted(api_client, editor, rate):
    rate("1/minute", at=0)
    api_client.force_authenticate(editor)
    assert _codes(api_client, 3) == [200, 200, 200]


def test_redis_counts_a_hit_in_one_round_trip(redis_cache, monkeypatch):
    assert redis_cache.ping()
    sent = []
    send = Connection.send_packed_command
    monkeypatch.setattr(
        Connection,
        "send_packed_command",
        lambda self, *args, **kwargs: sent.append(1) or send(self, *args, **kwargs),
    )
    assert count_hit("window-2", 120, previous_key="window-1") == (1, 0)
    assert len(sent) == 1
    redis_cache.set("window-1", 7)
    assert count_hit("window-2", 120, previous_key="window-1") == (2, 7)
    assert count_hit("window-2", 120) == (3, 0)
    # The count is an integer Django's cache reads back, kept from the first hit.
    assert redis_cache.get("window-2") == 3
    client = redis_cache._cache.get_client(write=True)
    assert 0 < client.ttl(redis_cache.make_key("window-2")) <= 120


def test_other_caches_count_too(db):
    from django.core.cache import cache

    assert count_hit("window-2", 60) == (1, 0)
    cache.set("window-1", 7)
    assert count_hit("window-2", 60, previous_key="window-1") == (2, 7)


def test_with_redis_down_nothing_is_counted_and_no_one_is_refused(api_client, db, redis_down, rate):
    assert count_hit("anything", 60, previous_key="before") == (0, 0)
    rate("1/minute", at=0)
    assert _codes(api_client, 3) == [200, 200, 200]


def test_counted_clients_are_told_where_they_stand(api_client, db, rate):
    rate("3/minute", at=10)
    first = api_client.get("/api/v1/topics/")
    assert (first["RateLimit-Limit"], first["RateLimit-Remaining"], first["RateLimit-Reset"]) == (
        "3",
        "2",
        "50",
    )
    api_client.get("/api/v1/topics/")
    third = api_client.get("/api/v1/topics/")
    assert third.status_code == 200 and third["RateLimit-Remaining"] == "0"
    refused = api_client.get("/api/v1/topics/")
    assert refused.status_code == 429
    assert refused["RateLimit-Remaining"] == "0"
    assert refused["RateLimit-Reset"] == refused["Retry-After"] == "70"


def test_errors_and_every_list_carry_the_headers(api_client, db, rate):
    rate("100/minute", at=30)
    for url in ("/api/v1/", "/api/v1/quotes/", "/api/v1/topics/no-such-topic/", "/api/v1/quotes/?kind=x"):
        response = api_client.get(url)
        assert response["RateLimit-Limit"] == "100", url
        assert int(response["RateLimit-Remaining"]) < 100


def test_schema_and_docs_are_not_throttled(api_client, db, rate):
    rate("1/minute", at=0)
    for _ in range(3):
        for url in ("/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/"):
            response = api_client.get(url)
            assert response.status_code == 200, url
            assert not response.has_header("RateLimit-Limit")
    assert api_client.get("/api/v1/topics/").status_code == 200  # the one request the rate allows


def test_signed_in_clients_get_no_rate_limit_headers(api_client, editor, rate):
    rate("1/minute", at=0)
    api_client.force_authenticate(editor)
    assert not api_client.get("/api/v1/topics/").has_header("RateLimit-Limit")
