"""The benchmark's yardsticks: routed only when ``DIALOGUE_DESK_BENCH_FLOOR`` is on (see bench/)."""

from django.http import HttpResponse
from django.shortcuts import render

from dialogues.models import Quote

# About 20 KB of HTML, built once: no database, no template, no per-request work.
FLOOR_BODY = ("<!doctype html><title>floor</title>" + ("<p>" + "x" * 96 + "</p>\n") * 192).encode()
PLAIN_PAGE_ROWS = 50


def floor(request):
    return HttpResponse(FLOOR_BODY, content_type="text/html; charset=utf-8")


def plain_page(request):
    """Issue #6's reference point, taken literally: "a plain Django page rendering 50 rows from
    one query" (the issue puts such a page at about 0.06 of the floor). Measured in the same run
    as the readers' pages, it shows what one query's rows cost on this machine."""
    quotes = Quote.objects.published().order_by("-pk")[:PLAIN_PAGE_ROWS]
    return render(request, "bench/plain_page.html", {"quotes": quotes}, using="django")
