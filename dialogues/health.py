"""``/healthz`` for load balancers and monitoring: can this app server reach what it needs?

200 while the database answers (a cache outage only makes pages slower: "degraded"); 503 when
the database does not, so a load balancer takes the server out until it recovers."""

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

PROBE_KEY = "dialogue-desk:healthz"


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def _cache_state(cache):
    ping = getattr(cache, "ping", None)
    if ping is not None:  # Redis: ask it; our backend turns failures into misses otherwise.
        return "ok" if ping() else "down"
    cache.set(PROBE_KEY, 1, 10)
    return "ok" if cache.get(PROBE_KEY) == 1 else "down"


@never_cache
@require_safe
def healthz(request):
    cache = caches["default"]
    database, cache_state = _database_state(), _cache_state(cache)
    if database != "ok":
        status = "down"
    elif cache_state != "ok":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "database": database, "cache": cache_state, "cache_backend": type(cache).__name__},
        status=503 if status == "down" else 200,
    )
