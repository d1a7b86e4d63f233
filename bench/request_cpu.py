"""CPU time per request of one URL, in process, under production settings: a quick look at a
change's cost before (not instead of) a benchmark run, steady on a busy machine where wrk is not.

    DATABASE_URL=sqlite:///bench/work/bench-1.sqlite3 DJANGO_SECRET_KEY=x DJANGO_ALLOWED_HOSTS=127.0.0.1 \\
      DIALOGUE_DESK_PAGE_CACHE=false .venv/bin/python bench/request_cpu.py "/api/v1/claims/?status=supported"

Takes a database ``bench/run.py`` built (``manage.py grow_archive``) and ``collectstatic``'s
files; ``--requests N`` (300), ``--cookie`` (the benchmark's session cookie, which the page cache
lets through), ``--profile`` (cProfile's 40 costliest calls, by their own time),
``--without-cards`` (every quote and claim card of a page a fixed paragraph, neither loaded nor
rendered: what the page costs besides its cards)."""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DIALOGUE_DESK_ANON_THROTTLE", "1000000/second")

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from markupsafe import Markup  # noqa: E402

from dialogues import templating  # noqa: E402
from dialogues.perf import process  # noqa: E402


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--cookie", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--without-cards", action="store_true")
    args = parser.parse_args()
    if args.without_cards:
        templating.cached_pieces = lambda kind, items, render, **kwargs: [Markup("<p>card</p>")] * len(items)
    process.prepare()
    handler = WSGIHandler()
    headers = {"HTTP_COOKIE": "sessionid=bench"} if args.cookie else {}
    template = (
        RequestFactory().get(args.url, SERVER_NAME="127.0.0.1", HTTP_HOST="127.0.0.1", **headers).environ
    )

    def request():
        status = []
        body = handler(dict(template), lambda line, response_headers: status.append(line))
        size = len(b"".join(body))
        body.close()
        return status[0], size

    for _ in range(30):  # warm: caches filled, code paths loaded
        status, size = request()
    started = time.process_time()
    for _ in range(args.requests):
        request()
    cpu_ms = (time.process_time() - started) / args.requests * 1000
    print(f"{args.url}: {status}, {size} bytes, {cpu_ms:.2f} ms CPU per request")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [request() for _ in range(args.requests)])
        pstats.Stats(profile).sort_stats("tottime").print_stats(40)


if __name__ == "__main__":
    main()
