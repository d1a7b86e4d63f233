"""Database time of each benchmark endpoint: every query it runs, re-run on its own and timed.

    DATABASE_URL=... DJANGO_SETTINGS_MODULE=config.settings.prod ... python bench/query_times.py PATH...

``bench/run.py`` runs this on each database it builds and prints JSON. A throughput ratio says
that an endpoint got slower at scale 10, not which query did; this says which. It is not free of
the machine's noise either: timed twice in a row, some endpoints differ by 1.5-2x, so only large
multiples between the scales mean something.
"""

import json
import statistics
import sys
import time
from pathlib import Path

REPEATS = 15


def query_times(paths, *, repeats=REPEATS):
    """``{path: {"queries", "db_ms", "slowest_ms", "slowest_sql"}}``.

    Each path is requested twice, with the fragment caches off (``FRAGMENT_CACHE_ENABLED``) so
    that every section and item is rendered, and the second request's queries are kept: the
    first warms what a worker keeps between requests (lookups, the generation, a list's count).
    Each query is then run ``repeats`` times; ``db_ms`` sums the medians: what the database and
    driver spend on one request, without the Python that builds the queries and reads the rows."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    times = {}
    for path in paths:
        with override_settings(FRAGMENT_CACHE_ENABLED=False):
            client.get(path)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code}")
        medians = []
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                if not query["sql"].lstrip("(").upper().startswith("SELECT"):
                    continue  # a server-side cursor's DECLARE, a savepoint: nothing to re-run alone
                runs = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    cursor.execute(query["sql"])
                    cursor.fetchall()
                    runs.append(time.perf_counter() - started)
                medians.append((statistics.median(runs) * 1000, query["sql"]))
        slowest = max(medians, default=(0.0, ""))
        times[path] = {
            "queries": len(medians),
            "db_ms": sum(ms for ms, _sql in medians),
            "slowest_ms": slowest[0],
            "slowest_sql": slowest[1][:300],
        }
    return times


if __name__ == "__main__":
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project, for its settings
    django.setup()
    print(json.dumps(query_times(sys.argv[1:])))
