"""JSON lists of quotes and claims read their page by a query compiled once per shape
(dialogues.api.page_rows); every list must be what the queryset built by the filter backends
gives, for anonymous readers and staff alike."""

import datetime

import pytest
from django.db import connection

from dialogues.api import page_rows
from dialogues.api.views import ClaimViewSet, QuoteViewSet
from dialogues.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db

QUOTE_QUERIES = [
    {},
    {"kind": "paraphrase"},
    {"kind": "paraphrase", "ordering": "-pk", "page_size": 1, "page": 2},
    {"topic": "open-source"},
    {"speaker": "Jensen Huang"},
    {"speaker": "huang-renxun", "page_size": 4, "page": "last"},
    {"event": "chain-expo-2025", "date_after": "2025-07-16"},
    {"dialogue": "huang-renxun-wang-jian-chain-expo-2025", "date_before": "2025-07-16"},
    {"ordering": "-dialogue__held_on,-pk", "page_size": 3},
]
CLAIM_QUERIES = [
    {},
    {"status": "supported"},
    {"kind": "prediction", "page_size": 5, "page": 3},
    {"kind": "prediction", "page_size": 5, "page": "last"},
    {"topic": "bioengineering", "ordering": "-pk"},
    {"resolve_by_after": "2028-01-01", "resolve_by_before": "2040-01-01"},
    {"claimant": "publication", "page_size": 7},  # looks at its value: not compiled
    {"search": "CoreWeave"},  # not compiled
]
CASES = [("/api/v1/quotes/", query) for query in QUOTE_QUERIES] + [
    ("/api/v1/claims/", query) for query in CLAIM_QUERIES
]


@pytest.fixture(autouse=True)
def uncached(settings):
    """Every request here is answered afresh: an anonymous list would otherwise come from the
    cache the second time, whichever way it was read."""
    settings.PAGE_CACHE_ENABLED = False


def _uncompiled(monkeypatch):
    monkeypatch.setattr(page_rows, "_compiled_values", lambda filterset, request: None)


@pytest.fixture
def with_a_draft(article):
    draft = factories.CoverageFactory(dialogue=article.dialogue, draft=True)
    quote = factories.QuoteFactory(coverage=draft, kind="paraphrase")
    quote.speakers.set(article.dialogue.speakers.all())
    factories.ClaimFactory(
        coverage=draft, kind="prediction", status="supported", checked_on=draft.created_at.date()
    )
    return article


@pytest.mark.parametrize("as_editor", [False, True], ids=["anonymous", "editor"])
@pytest.mark.parametrize(("path", "query"), CASES)
def test_compiled_list_equals_the_querysets(
    api_client, with_a_draft, editor, monkeypatch, path, query, as_editor
):
    if as_editor:
        api_client.force_authenticate(editor)
    compiled = api_client.get(path, query)
    assert compiled.status_code == 200
    _uncompiled(monkeypatch)
    built = api_client.get(path, query)
    assert compiled.json() == built.json()
    assert compiled.json()["results"] or query.get("search")


def test_drafts_reach_only_staff(api_client, with_a_draft, editor):
    def slugs():
        return [
            claim["slug"]
            for claim in api_client.get("/api/v1/claims/", {"status": "supported"}).json()["results"]
        ]

    anonymous = slugs()
    api_client.force_authenticate(editor)
    assert set(slugs()) - set(anonymous) == {Claim.objects.get(coverage__status="draft").slug}


def _shapes(view_class, names):
    return [shape for shape in page_rows._page_query(view_class)._compiled if shape[1] == names]


def test_one_compile_per_shape_whatever_the_values(api_client, article):
    def first_pages(view_class, names):
        return [shape for shape in _shapes(view_class, names) if shape[0] is False and shape[3:] == (0, 50)]

    for kind in ("prediction", "fact", "opinion", "figure", "prediction"):
        response = api_client.get("/api/v1/claims/", {"kind": kind})
        assert response.json()["count"] == Claim.objects.published().filter(kind=kind).count()
    assert len(first_pages(ClaimViewSet, ("kind",))) == 1
    # Another speaker is another value of one shape, not another shape.
    listed = {
        speaker: api_client.get("/api/v1/quotes/", {"speaker": speaker}).json()["count"]
        for speaker in ("huang-renxun", "wang-jian")
    }
    assert listed == {"huang-renxun": 6, "wang-jian": 3}
    assert len(first_pages(QuoteViewSet, ("speaker",))) == 1


def test_a_last_page_is_read_with_a_whole_pages_limit(api_client, article):
    predictions = Claim.objects.published().filter(kind="prediction").count()
    assert predictions % 4
    last = api_client.get("/api/v1/claims/", {"kind": "prediction", "page_size": 4, "page": "last"}).json()
    assert len(last["results"]) == predictions % 4
    # Its limit does not come from the count, so lists of any length share their pages' shapes.
    start = (predictions // 4) * 4
    last_pages = [
        shape[3:] for shape in _shapes(ClaimViewSet, ("kind",)) if shape[0] is False and shape[3] == start
    ]
    assert last_pages == [(start, start + 4)]


def test_scheduled_coverage_appears_once_its_time_passes_without_recompiling(
    api_client, article, monkeypatch
):
    scheduled = factories.CoverageFactory(dialogue=article.dialogue, scheduled=True)
    later = factories.ClaimFactory(coverage=scheduled, kind="prediction")
    query = {"kind": "prediction", "ordering": "-pk", "page_size": 1}

    def first():
        return api_client.get("/api/v1/claims/", query).json()["results"][0]["slug"]

    assert first() != later.slug
    compiled = len(page_rows._page_query(ClaimViewSet)._compiled)
    moment = scheduled.publish_at + datetime.timedelta(seconds=1)
    monkeypatch.setattr(page_rows.timezone, "now", lambda: moment)
    assert first() == later.slug
    assert len(page_rows._page_query(ClaimViewSet)._compiled) == compiled


def _page_rows_of(monkeypatch, api_client, path, query):
    seen = []
    real = page_rows.PageRows

    def recording(*args, **kwargs):
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(page_rows, "PageRows", recording)
    response = api_client.get(path, query)
    monkeypatch.setattr(page_rows, "PageRows", real)
    assert response.status_code == 200
    (rows,) = seen
    return rows, response.json()


@pytest.mark.parametrize(
    ("path", "query", "compiled"),
    [
        ("/api/v1/claims/", {"status": "supported", "kind": "fact"}, True),
        ("/api/v1/claims/", {"resolve_by_after": "2028-01-01", "topic": "bioengineering"}, True),
        ("/api/v1/claims/", {"claimant": "publication"}, False),
        ("/api/v1/quotes/", {"speaker": "Jensen Huang", "topic": "open-source"}, True),
        ("/api/v1/quotes/", {"search": "partner"}, False),
    ],
)
def test_which_lists_compile(monkeypatch, api_client, article, path, query, compiled):
    rows, _listed = _page_rows_of(monkeypatch, api_client, path, query)
    assert (rows.compiled is not None) is compiled


def test_a_name_of_several_speakers_is_read_from_the_queryset(monkeypatch, api_client, article):
    namesake = factories.SpeakerFactory(name="Jensen Huang", slug="another-jensen-huang")
    factories.QuoteFactory(coverage=article, speakers=[namesake], slug="the-other-jensen")
    rows, listed = _page_rows_of(monkeypatch, api_client, "/api/v1/quotes/", {"speaker": "Jensen Huang"})
    assert rows.compiled is None
    slugs = [quote["slug"] for quote in listed["results"]]
    assert len(slugs) == listed["count"] == 7 and "the-other-jensen" in slugs


# sqlite_stat1 of the benchmark's archive at scale 10 (1,001 coverages, 50,029 claims), as
# ``ANALYZE`` wrote it: SQLite plans by these, whatever the rows in the test database.
ARCHIVE_STATISTICS = [
    ("dialogues_coverage", "coverage_published_idx", "1001 1001 1"),
    ("dialogues_coverage", "sqlite_autoindex_dialogues_coverage_1", "1001 1"),
    ("dialogues_dialogue", "sqlite_autoindex_dialogues_dialogue_1", "1001 1"),
    ("dialogues_section", "sqlite_autoindex_dialogues_section_1", "3 3 1"),
    ("dialogues_claim", "claim_kind_status_idx", "50029 10006 2002"),
    ("dialogues_claim", "dialogues_claim_dialogue_id_989ee814", "50029 50"),
    ("dialogues_claim", "dialogues_claim_coverage_id_ffaceb37", "50029 50"),
    ("dialogues_claim", "sqlite_autoindex_dialogues_claim_1", "50029 1"),
]


@pytest.fixture
def archive_statistics(article):
    """SQLite's planner told the article's tables are a large archive's."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", ARCHIVE_STATISTICS)
        cursor.execute("ANALYZE sqlite_schema")  # reload the statistics
        yield
        # The test's rollback would leave them loaded on this connection for the next tests.
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.execute("ANALYZE sqlite_schema")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_a_page_of_claims_walks_the_claims_without_reading_every_published_coverage(
    archive_statistics,
):
    """Joined to published coverage, SQLite first read every published coverage, long texts
    and all, into a Bloom filter: a page of claims by status took 0.9 ms at 1,000 coverages and
    0.2 at 100. Each claim's coverage is looked up instead (``published_per_row``)."""

    def plan(claims):
        page = claims.filter(status="supported").order_by("pk").values(*ClaimViewSet.row_columns)[:50]
        return page.explain()

    assert "BLOOM FILTER ON dialogues_coverage" in plan(Claim.objects.published())
    page_plan = plan(Claim.objects.visible_per_row_when(preview=False))
    assert "BLOOM" not in page_plan and "TEMP B-TREE" not in page_plan
    assert page_plan.splitlines()[0].endswith("SCAN dialogues_claim")
