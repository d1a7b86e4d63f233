"""What an app server's process sets for itself before serving (config.wsgi, config.asgi)."""

import gc

# Python collects its youngest objects after every 700 allocations by default. A page of cards
# makes a few hundred thousand, most of them freed again before the response is sent, so the
# collector ran hundreds of times per page for little. After 10,000 it runs a few dozen times:
# first renders and API lists as fast as with 50,000 (in process, interleaved, both databases;
# 700 was up to 6% slower). Not 50,000: garbage waited five times longer for its collection, and
# a worker's memory grew 9-10% over its first 15,000 requests instead of 1.2-1.5% (in process,
# the benchmark's mixed run, both databases). The older generations keep Python's defaults.
GC_THRESHOLDS = (10_000, 10, 10)


def prepare():
    gc.set_threshold(*GC_THRESHOLDS)
