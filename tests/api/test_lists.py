"""API lists of quotes, claims and commentary: what they hold, and that each item is exactly what
the serializer gives for it, whether read from the per-object cache or rendered afresh."""

import datetime
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from dialogues.api.serializers import ClaimListSerializer, CommentarySerializer, QuoteSerializer
from dialogues.api.views import ClaimViewSet
from dialogues.models import Claim, Commentary, Correction, Quote
from tests import factories

pytestmark = pytest.mark.django_db

CASES = [
    ("/api/v1/quotes/", Quote, QuoteSerializer),
    ("/api/v1/claims/", Claim, ClaimListSerializer),
    ("/api/v1/commentary/", Commentary, CommentarySerializer),
]


@pytest.fixture(autouse=True)
def uncached_pages(settings):
    """Every list is built by its view: anonymous answers are otherwise served whole from the
    page cache the second time."""
    settings.PAGE_CACHE_ENABLED = False


def serializer_output(serializer_class, instances):
    """What the serializer gives for ``instances``, one by one, as JSON."""
    request = Request(APIRequestFactory().get("/", HTTP_HOST="testserver"))
    return [
        json.loads(JSONRenderer().render(serializer_class(instance, context={"request": request}).data))
        for instance in instances
    ]


def assert_same_items(listed, expected):
    assert listed == expected
    # Keys in the same order too, at every level.
    assert json.dumps(listed) == json.dumps(expected)


@pytest.fixture
def richer_article(article, editor):
    """The article plus what it lacks: a quote correction, a quote without a section, a claim
    with several speakers and topics, and speakers whose names sort differently from their slugs."""
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    for day, note in ((1, "First wording fixed."), (2, "Second wording fixed.")):
        made_at = datetime.datetime(2026, 1, day, tzinfo=datetime.UTC)
        Correction.objects.create(subject=quote, note=note, made_at=made_at, made_by=editor)
    huang, wang = article.dialogue.speakers.order_by("slug")
    zed = factories.SpeakerFactory(name="Aaron Zed", slug="zzz-aaron")
    article.dialogue.participants.create(speaker=zed, role="moderator", position=3)
    topics = [factories.TopicFactory(name=name) for name in ("Zebra", "alpha", "Beta")]
    claim = Claim.objects.filter(coverage=article, attribution="speaker").first()
    claim.speakers.set([wang, zed, huang])
    claim.topics.set(topics)
    loose = Quote.objects.filter(coverage=article).last()
    loose.section = None
    loose.speakers.set([zed, huang])
    loose.save()
    return article


@pytest.fixture
def with_a_draft(richer_article):
    draft = factories.CoverageFactory(dialogue=richer_article.dialogue, draft=True)
    quote = factories.QuoteFactory(coverage=draft, kind="paraphrase")
    quote.speakers.set(richer_article.dialogue.speakers.all())
    factories.ClaimFactory(
        coverage=draft, kind="prediction", status="supported", checked_on=draft.created_at.date()
    )
    Commentary.objects.create(coverage=draft, slug="draft-note", title="Draft", body="Not yet.")
    return richer_article


@pytest.mark.parametrize("fragments", [True, False], ids=["cached", "uncached"])
@pytest.mark.parametrize("path, model, serializer_class", CASES)
def test_list_items_equal_the_serializers_output(
    api_client, richer_article, settings, path, model, serializer_class, fragments
):
    settings.FRAGMENT_CACHE_ENABLED = fragments
    expected = serializer_output(serializer_class, model.objects.published().order_by("pk"))
    assert len(expected) >= 3
    for _cold_then_warm in range(2):
        listed = api_client.get(path, {"page_size": 200, "ordering": "added"}).json()["results"]
        assert_same_items(listed, expected)


@pytest.mark.parametrize("path, model, serializer_class", CASES)
def test_staff_list_with_drafts_equals_the_serializers_output(
    api_client, with_a_draft, editor, path, model, serializer_class
):
    api_client.force_authenticate(editor)
    listed = api_client.get(path, {"page_size": 200, "ordering": "-added"}).json()["results"]
    everything = model.objects.visible_to(editor).order_by("-pk")
    assert everything.count() > model.objects.published().count()
    assert_same_items(listed, serializer_output(serializer_class, everything))


@pytest.mark.parametrize("path", [path for path, _model, _serializer in CASES])
def test_drafts_reach_only_staff(api_client, with_a_draft, editor, path):
    def slugs():
        return {item["slug"] for item in api_client.get(path, {"page_size": 200}).json()["results"]}

    anonymous = slugs()
    api_client.force_authenticate(editor)
    drafts = slugs() - anonymous
    assert len(drafts) == 1
    api_client.force_authenticate(None)
    assert slugs() == anonymous


def test_a_filtered_page_equals_the_serializers_output(api_client, richer_article):
    listed = api_client.get("/api/v1/claims/", {"claimant": "huang-renxun", "page_size": 1, "page": 2}).json()
    matching = Claim.objects.published().filter(speakers__slug="huang-renxun").order_by("pk")
    assert listed["count"] == matching.count() > 1
    assert_same_items(listed["results"], serializer_output(ClaimListSerializer, matching[1:2]))


@pytest.mark.parametrize("speaker", ["huang-renxun", "Jensen Huang", "jensen huang", "黄仁勋"])
def test_quotes_by_speaker_slug_or_any_name(api_client, article, speaker):
    listed = api_client.get("/api/v1/quotes/", {"speaker": speaker}).json()
    expected = Quote.objects.published().filter(speakers__slug="huang-renxun").order_by("pk")
    assert [quote["slug"] for quote in listed["results"]] == [quote.slug for quote in expected]
    assert listed["count"] == 3


def test_a_name_of_several_speakers_lists_each_quote_once(api_client, article):
    namesake = factories.SpeakerFactory(name="Jensen Huang", slug="another-jensen-huang")
    factories.QuoteFactory(coverage=article, speakers=[namesake], slug="the-other-jensen")
    listed = api_client.get("/api/v1/quotes/", {"speaker": "Jensen Huang"}).json()
    slugs = [quote["slug"] for quote in listed["results"]]
    assert len(slugs) == len(set(slugs)) == listed["count"] == 4
    assert "the-other-jensen" in slugs


def test_ordering_and_paging(api_client, article):
    published = list(Claim.objects.published().order_by("-resolve_by", "pk").values_list("slug", flat=True))
    size = next(n for n in range(4, 10) if len(published) % n)  # a last page part full, whatever the count
    pages = [
        api_client.get("/api/v1/claims/", {"ordering": "-resolve_by", "page_size": size, "page": n}).json()
        for n in range(1, len(published) // size + 2)
    ]
    assert [claim["slug"] for page in pages for claim in page["results"]] == published
    assert len(pages[-1]["results"]) == len(published) % size > 0
    last = api_client.get("/api/v1/claims/", {"ordering": "-resolve_by", "page_size": size, "page": "last"})
    assert last.json() == pages[-1]
    past_the_end = api_client.get("/api/v1/claims/", {"page_size": size, "page": len(pages) + 1})
    assert past_the_end.status_code == 404


def test_empty_list_is_empty(api_client, article):
    body = api_client.get("/api/v1/quotes/", {"date_after": "2999-01-01"})
    assert body.status_code == 200
    assert body.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_scheduled_coverage_is_listed_once_its_time_passes(api_client, article):
    scheduled = factories.CoverageFactory(dialogue=article.dialogue, scheduled=True)
    later = factories.ClaimFactory(coverage=scheduled, kind="prediction")
    query = {"kind": "prediction", "ordering": "-added", "page_size": 1}

    def first():
        return api_client.get("/api/v1/claims/", query).json()["results"][0]["slug"]

    assert first() != later.slug
    with freeze_time(scheduled.publish_at + datetime.timedelta(seconds=1)):
        assert first() == later.slug


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
    0.2 at 100. The list checks each claim's coverage instead (``published_per_row``)."""
    request = Request(APIRequestFactory().get("/"))
    request.user = AnonymousUser()
    view = ClaimViewSet(action="list", request=request, format_kwarg=None)
    page = view.get_queryset().filter(status="supported").order_by("pk")[:50]
    plan = page.explain()
    assert "BLOOM" not in plan and "TEMP B-TREE" not in plan
    assert plan.splitlines()[0].endswith("SCAN dialogues_claim")


class RecordingCache:
    """The cache, noting the keys of the pieces stored in it."""

    def __init__(self, cache):
        self._cache, self.stored = cache, []

    def __getattr__(self, name):
        return getattr(self._cache, name)

    def set_many(self, data, *args, **kwargs):
        self.stored.extend(data)
        return self._cache.set_many(data, *args, **kwargs)


@pytest.fixture
def stored_pieces(monkeypatch):
    from dialogues import fragments

    recording = RecordingCache(fragments.cache)
    monkeypatch.setattr(fragments, "cache", recording)
    return recording.stored


def _by_slug(path, api_client, **query):
    return {
        item["slug"]: item for item in api_client.get(path, {"page_size": 200, **query}).json()["results"]
    }


def test_an_edit_renders_that_item_again_and_no_other(api_client, article, stored_pieces):
    before = _by_slug("/api/v1/quotes/", api_client)
    assert len(stored_pieces) == len(before) >= 3
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    quote.is_featured = not quote.is_featured
    quote.save()
    stored_pieces.clear()
    after = _by_slug("/api/v1/quotes/", api_client)
    (key,) = stored_pieces
    assert f"-QuoteSerializer:{quote.pk}:{quote.version}:" in key
    assert after[quote.slug]["is_featured"] is quote.is_featured
    assert after[quote.slug]["version"] == before[quote.slug]["version"] + 1
    assert {slug: item for slug, item in after.items() if slug != quote.slug} == {
        slug: item for slug, item in before.items() if slug != quote.slug
    }


def test_pieces_are_stored_as_plain_data(api_client, article, stored_pieces):
    """DRF's hyperlinks carry their model instance, which must not go into the cache with them."""
    from django.core.cache import cache

    api_client.get("/api/v1/claims/")
    _generation, piece = cache.get(stored_pieces[0])
    assert type(piece) is dict
    assert type(piece["url"]) is str and piece["url"].startswith("http://testserver/api/v1/claims/")
    assert type(piece["anchor"]) is dict and type(piece["figures"]) is list


def test_a_speaker_rename_shows_in_every_item_of_theirs(api_client, article):
    def names(path):
        return {
            slug: [speaker["name"] for speaker in item["speaker_names"]]
            for slug, item in _by_slug(path, api_client).items()
        }

    before = {path: names(path) for path in ("/api/v1/quotes/", "/api/v1/claims/")}
    speaker = article.dialogue.speakers.get(slug="huang-renxun")
    speaker.name = "Jensen Huang"
    speaker.save()
    for path, listed in before.items():
        renamed = {
            slug: ["Jensen Huang" if name == "Huang Renxun" else name for name in speakers]
            for slug, speakers in listed.items()
        }
        assert renamed != listed
        assert names(path) == renamed


def test_a_reply_from_another_origin_or_format_has_its_own_urls(api_client, article):
    def first_url(**extra):
        response = api_client.get("/api/v1/claims/", {"page_size": 1, **extra.pop("query", {})}, **extra)
        return response.json()["results"][0]["url"]

    assert first_url().startswith("http://testserver/api/v1/claims/")
    assert first_url(HTTP_HOST="localhost").startswith("http://localhost/api/v1/claims/")
    assert first_url(query={"format": "json"}).endswith("/?format=json")
    assert first_url().startswith("http://testserver/api/v1/claims/")


@pytest.mark.parametrize("path", [path for path, _model, _serializer in CASES])
def test_a_cached_list_costs_its_page_query_alone(api_client, article, django_assert_num_queries, path):
    with CaptureQueriesContext(connection) as cold:
        assert api_client.get(path).json()["count"] >= 3
    # The count is kept per content generation too: what is left is the page's own rows.
    with django_assert_num_queries(1):
        api_client.get(path)
    assert len(cold.captured_queries) >= 4


@pytest.mark.parametrize("fragment_cache", [True, False], ids=["fragment-cache", "no-fragment-cache"])
@pytest.mark.parametrize(("path", "model", "_serializer"), CASES)
def test_an_item_deleted_while_its_page_is_built_is_left_out_not_a_500(
    api_client, article, settings, monkeypatch, stored_pieces, fragment_cache, path, model, _serializer
):
    """The page query lists keys and versions; the rows of the items the cache lacks come in a
    second query, before which another request may have deleted one."""
    from dialogues.api.views import CachedItemsMixin

    settings.FRAGMENT_CACHE_ENABLED = fragment_cache
    listed = [item["slug"] for item in api_client.get(path, {"page_size": 200}).json()["results"]]
    gone = model.objects.get(slug=listed[1])
    # A version the cache has not seen, so that its row must be read.
    model.objects.filter(pk=gone.pk).update(version=gone.version + 1)
    loading = CachedItemsMixin.item_rows

    def deleted_first(view, pks):
        assert gone.pk in pks
        model.objects.filter(pk=gone.pk).delete()
        return loading(view, pks)

    monkeypatch.setattr(CachedItemsMixin, "item_rows", deleted_first)
    stored_pieces.clear()
    response = api_client.get(path, {"page_size": 200})
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == [
        slug for slug in listed if slug != gone.slug
    ]
    # Nothing is stored for it: the others were cached by the first read.
    assert stored_pieces == []


@pytest.mark.parametrize(
    ("path", "query"),
    [
        *((path, {}) for path, _model, _serializer in CASES),
        ("/api/v1/quotes/", {"speaker": "Jensen Huang", "ordering": "-added"}),
        ("/api/v1/claims/", {"ordering": "-added", "page_size": 3, "page": 2}),
        ("/api/v1/claims/", {"format": "csv"}),
        ("/api/v1/quotes.json", {}),
    ],
)
def test_the_same_output_with_the_fragment_cache_off(api_client, with_a_draft, editor, settings, path, query):
    api_client.force_authenticate(editor)
    cold, warm = (api_client.get(path, query).content for _cold_then_warm in range(2))
    settings.FRAGMENT_CACHE_ENABLED = False
    fresh = api_client.get(path, query)
    assert fresh.status_code == 200
    assert cold == warm == fresh.content


@pytest.mark.parametrize(
    ("path", "value", "hint"),
    [
        ("/api/v1/quotes/", "bogus", ""),
        ("/api/v1/quotes/", "-pk", "now “added”"),
        ("/api/v1/quotes/", "dialogue__held_on", "now “held_on”"),
        ("/api/v1/claims/", "resolve_by,text", ""),
        ("/api/v1/speakers/", "bio", ""),
        ("/api/v1/coverage/", "pk", ""),
    ],
)
def test_an_ordering_a_list_does_not_offer_is_a_400_naming_what_it_does(
    api_client, article, path, value, hint
):
    response = api_client.get(path, {"ordering": value})
    assert response.status_code == 400
    [message] = response.json()["errors"]["ordering"]
    assert "choose from" in message and hint in message


def test_public_ordering_names_sort_as_before(api_client, article):
    by_date = results_of(api_client.get("/api/v1/quotes/", {"ordering": "-held_on,added", "page_size": 200}))
    assert by_date == list(
        Quote.objects.published().order_by("-dialogue__held_on", "pk").values_list("slug", flat=True)
    )
    newest = results_of(api_client.get("/api/v1/claims/", {"ordering": "-added", "page_size": 3}))
    assert newest == list(Claim.objects.published().order_by("-pk").values_list("slug", flat=True)[:3])
    # An empty ordering, as a form leaves it, is the list's own order.
    assert results_of(api_client.get("/api/v1/claims/", {"ordering": ""})) == results_of(
        api_client.get("/api/v1/claims/")
    )


def results_of(response):
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_a_list_validates_only_the_filters_its_query_names(rf, article):
    """Building every filter's field for every request cost a tenth of a list; a filter the
    query leaves out filters nothing, so its field is not built."""
    from dialogues.api.filters import QuoteFilter

    request = rf.get("/api/v1/quotes/", {"speaker": "huang-renxun", "date_after": "2025-01-01"})
    request.user = AnonymousUser()
    filterset = QuoteFilter(request.GET, queryset=Quote.objects.all(), request=request)
    assert filterset.is_valid(), filterset.errors
    assert set(filterset.form.fields) == {"speaker", "date_after"}
    assert filterset.qs.count() == Quote.objects.filter(speakers__slug="huang-renxun").count() > 1


def test_an_invalid_filter_is_still_a_400_and_the_browsable_api_shows_every_filter(api_client, article):
    response = api_client.get("/api/v1/quotes/", {"kind": "bogus", "speaker": "huang-renxun"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"kind"}
    page = api_client.get("/api/v1/quotes/", {"kind": "verbatim"}, HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    html = page.content.decode()
    for name in (
        "speaker",
        "dialogue",
        "event",
        "topic",
        "kind",
        "date_after",
        "date_before",
        "updated_since",
    ):
        assert f'name="{name}"' in html, name


EVERY_LIST = [
    "topics",
    "organizations",
    "speakers",
    "events",
    "dialogues",
    "coverage",
    "quotes",
    "claims",
    "commentary",
    "fact-sources",
]


@pytest.mark.parametrize("resource", EVERY_LIST)
def test_a_page_past_the_end_says_which_is_the_last(api_client, article, resource):
    listed = api_client.get(f"/api/v1/{resource}/", {"page_size": 2}).json()
    last = max(1, -(-listed["count"] // 2))
    past = api_client.get(f"/api/v1/{resource}/", {"page_size": 2, "page": last + 1})
    assert past.status_code == 404
    assert past.json() == {
        "message": f"There is no page {last + 1}: the last page is {last}.",
        "status": 404,
        "errors": {},
        "last_page": last,
    }
    assert api_client.get(f"/api/v1/{resource}/", {"page_size": 2, "page": last}).status_code == 200


def test_an_empty_list_has_an_empty_first_page_and_no_second(api_client, db):
    assert api_client.get("/api/v1/quotes/", {"page": 1}).json()["results"] == []
    assert api_client.get("/api/v1/quotes/", {"page": 2}).json()["last_page"] == 1


def test_a_page_past_the_end_costs_no_query_more(api_client, article, django_assert_num_queries):
    api_client.get("/api/v1/claims/")  # the count is kept for the generation
    with django_assert_num_queries(0):
        assert api_client.get("/api/v1/claims/", {"page": 99}).status_code == 404
