"""The benchmark's own parts: the archive grower, the floor view, the query timer and the report."""

import collections
import importlib.util
import io
import random
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import clear_url_caches

from dialogues.management.commands.grow_archive import Grower
from dialogues.models import Claim, Coverage, Quote, Speaker


def _bench_module(name):
    """A script under bench/, which is not a package, loaded as a module."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).parent.parent / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _measured(ratio, rps=100.0):
    """One endpoint's wrk medians, as ``bench/run.py`` keeps them."""
    return {"ratio": ratio, "rps": rps, "p50_ms": 1.0, "p99_ms": 2.0, "cpu_ms_per_request": 1.0}


def _report(sqlite_by_scale):
    """A benchmark report holding SQLite results only, keyed by scale."""
    return {
        "date": "now",
        "machine": "test",
        "seconds": 1,
        "rounds": 1,
        "results": {"sqlite": sqlite_by_scale},
    }


def test_grow_archive_builds_scale_1_on_top_of_the_article_and_refuses_to_grow_twice(client, article):
    call_command("grow_archive", scale=1, seed=7, stdout=io.StringIO())
    counts = (Coverage.objects.count(), Speaker.objects.count(), Quote.objects.count(), Claim.objects.count())
    assert counts[0] == 101 and counts[1] >= 300 and counts[2] >= 10_000 and counts[3] >= 5_000
    # Generated content is published, anchored in its coverage, and on the public pages.
    quote = Quote.objects.filter(slug__startswith="grown-").select_related("coverage").first()
    assert quote.anchor_exact in quote.coverage.source_text
    assert quote.speakers.get() in quote.dialogue.speakers.all()
    assert quote.text in client.get(quote.get_absolute_url()).content.decode()
    # The benchmark's list of quotes by speaker is a full page.
    bench = _bench_module("run")
    assert len(client.get(bench.API["API quotes by speaker"]).json()["results"]) == bench.API_PAGE_SIZE
    with pytest.raises(CommandError, match="already been grown"):
        call_command("grow_archive", scale=1)
    assert Quote.objects.count() == counts[2]


def test_grow_archive_text_depends_only_on_the_seed():
    def texts(seed):
        grower = Grower(random.Random(seed), scale=1)
        return [grower.sentence() for _ in range(20)]

    assert texts(7) == texts(7)
    assert texts(7) != texts(8)


def test_grow_archive_text_has_words_as_uncommon_as_real_texts():
    """Hundreds of words each in 0.1-1% of sentences, as in real text: PostgreSQL's statistics
    of the search documents keep them, and guess a word they do not hold (a search) as half as
    common as the least common they keep. With none, it guessed 0.5% of the rows for any search
    and hashed whole tables to join its matches."""
    grower = Grower(random.Random(7), scale=1)
    sentences = 30_000  # what PostgreSQL samples at its default statistics target
    in_sentences = collections.Counter(
        word for _ in range(sentences) for word in set(grower.sentence().rstrip(".").lower().split())
    )
    shares = [count / sentences for count in in_sentences.values()]
    uncommon = [share for share in shares if share < 0.01]
    assert len(uncommon) >= 500 and min(uncommon) >= 0.001


def test_grow_archive_rejects_a_scale_below_1(db):
    with pytest.raises(CommandError, match="--scale"):
        call_command("grow_archive", scale=0)


def _get_with_bench_routes(client, enabled, *paths):
    import importlib

    import config.urls

    with override_settings(BENCH_FLOOR=enabled):
        importlib.reload(config.urls)
        clear_url_caches()
        responses = [client.get(path) for path in paths]
    importlib.reload(config.urls)
    clear_url_caches()
    return responses


@pytest.mark.parametrize("enabled", [True, False])
def test_floor_and_plain_page_are_routed_only_for_the_benchmark(client, article, enabled):
    floor, plain = _get_with_bench_routes(client, enabled, "/__bench__/floor/", "/__bench__/plain/")
    if enabled:
        assert floor.status_code == 200 and 19_000 < len(floor.content) < 21_000
        assert plain.status_code == 200
    else:
        assert floor.status_code == plain.status_code == 404


def test_plain_page_renders_the_latest_published_quotes_in_one_query(
    client, article, django_assert_num_queries
):
    draft = Coverage.objects.create(
        slug="a-draft", title="A draft", dialogue=article.dialogue, status=Coverage.Status.DRAFT
    )
    unpublished = Quote.objects.create(
        slug="unpublished-quote", text="Not out yet.", dialogue=article.dialogue, coverage=draft
    )
    published = list(Quote.objects.published().order_by("-pk")[:50])
    with django_assert_num_queries(1):
        (response,) = _get_with_bench_routes(client, True, "/__bench__/plain/")
    page = response.content.decode()
    assert page.count("<li>") == len(published) > 3
    assert all(f'href="{quote.get_absolute_url()}"' in page for quote in published)
    assert unpublished.text not in page


def test_bench_compares_scales_by_floor_ratio_not_raw_throughput():
    """A machine that slows between the two scales' runs moves the floor too; only a ratio that
    drops against its own floor means the endpoint grew with the table."""
    bench_run = _bench_module("run")
    report = _report(
        {
            "1": {"uncached": {"home": _measured(0.040, 200)}, "cached": {"home": _measured(0.6, 3000)}},
            # Everything at half speed, the floor included; home also fell behind its floor.
            "10": {"uncached": {"home": _measured(0.032, 80)}, "cached": {"home": _measured(0.6, 1500)}},
        }
    )
    rows = {
        line.split(" | ")[0]: line
        for line in bench_run.markdown(report).splitlines()
        if line.startswith("| home")
    }
    assert rows["| home (first render)"].endswith("| 0.80 |")
    assert rows["| home (cached)"].endswith("| 1.00 |")


def test_query_times_re_run_every_query_a_first_render_makes(client, article, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False
    path = f"/coverage/{article.slug}/"
    client.get(path, HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as page:
        client.get(path, HTTP_HOST="127.0.0.1")
    times = _bench_module("query_times").query_times([path], repeats=3)[path]
    assert times["queries"] == len(page.captured_queries) > 1
    assert 0 < times["slowest_ms"] <= times["db_ms"]
    assert times["slowest_sql"].lstrip("(").startswith("SELECT")
    with pytest.raises(RuntimeError, match="404"):
        _bench_module("query_times").query_times(["/coverage/no-such-coverage/"], repeats=1)


def test_bench_report_shows_database_time_by_scale():
    bench_run = _bench_module("run")

    def database(db_ms):
        return {"home": {"queries": 7, "db_ms": db_ms, "slowest_ms": db_ms / 2, "slowest_sql": "SELECT 1"}}

    report = _report(
        {
            scale: {
                "uncached": {"home": _measured(0.04)},
                "cached": {"home": _measured(0.6)},
                "database": database(ms),
            }
            for scale, ms in (("1", 1.25), ("10", 5.0))
        }
    )
    row = next(line for line in bench_run.markdown(report).splitlines() if line.startswith("| home |"))
    assert row == "| home | 7 | 1.25 | 0.62 | 7 | 5.00 | 2.50 | 4.0 |"
