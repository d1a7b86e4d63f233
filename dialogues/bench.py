"""The benchmark's floor: routed only when ``DIALOGUE_DESK_BENCH_FLOOR`` is on (see bench/)."""

from django.http import HttpResponse

# About 20 KB of HTML, built once: no database, no template, no per-request work.
FLOOR_BODY = ("<!doctype html><title>floor</title>" + ("<p>" + "x" * 96 + "</p>\n") * 192).encode()


def floor(request):
    return HttpResponse(FLOOR_BODY, content_type="text/html; charset=utf-8")
