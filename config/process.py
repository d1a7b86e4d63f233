"""What an app server's process sets for itself before serving (config.wsgi, config.asgi)."""

import gc

# Python collects its youngest objects after every 700 allocations by default. A page of cards
# makes a few hundred thousand, most of them freed again before the response is sent, so the
# collector ran hundreds of times per page for little: after 50,000 it runs a few times (first
# renders and API lists 3-8% faster, in-process on both databases). Garbage in cycles still goes.
GC_THRESHOLDS = (50_000, 20, 100)


def prepare():
    gc.set_threshold(*GC_THRESHOLDS)
