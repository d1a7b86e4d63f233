"""The anonymous page cache: served from memory, revalidated with ETags, invalidated by any edit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from freezegun import freeze_time

from dialogues import services
from dialogues.models import Coverage, Quote, SpeakerAlias
from tests import factories
from tests.conftest import ARTICLE

COVERAGE_URL = f"/coverage/{ARTICLE}/"


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries.captured_queries)


def test_second_anonymous_request_is_served_from_cache_without_queries(client, article):
    first, first_queries = _get(client, COVERAGE_URL)
    second, second_queries = _get(client, COVERAGE_URL)
    assert first_queries > 0
    assert second_queries == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"] and "s-maxage=300" in second["Cache-Control"]
    assert "Last-Modified" in second
    assert "Cookie" in second["Vary"]


def test_conditional_requests_get_304(client, article):
    first = client.get(COVERAGE_URL)
    not_modified = client.get(COVERAGE_URL, headers={"if-none-match": first["ETag"]})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    since = client.get(COVERAGE_URL, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    stale = client.get(COVERAGE_URL, headers={"if-none-match": '"something-else"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_an_edit_shows_on_the_next_request_and_changes_the_etag(client, article):
    before = client.get(COVERAGE_URL)
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    quote.text = "An edited quote text."
    quote.save()
    after = client.get(COVERAGE_URL)
    assert "An edited quote text." in after.content.decode()
    assert after["ETag"] != before["ETag"]
    # The old validator no longer matches: a browser holding it gets the new page, not a 304.
    assert client.get(COVERAGE_URL, headers={"if-none-match": before["ETag"]}).status_code == 200


def test_many_to_many_edits_invalidate_too(client, article):
    topic = factories.TopicFactory(name="Freshly Added Topic")
    client.get(COVERAGE_URL)
    article.topics.add(topic)
    assert "Freshly Added Topic" in client.get(COVERAGE_URL).content.decode()


def test_publishing_and_unpublishing_show_at_once(client, coverage, editor):
    coverage.title = "Fresh Coverage Title"
    coverage.status, coverage.publish_at = Coverage.Status.DRAFT, None
    coverage.save()
    assert "Fresh Coverage Title" not in client.get("/").content.decode()
    services.coverage_publish(coverage=coverage, by=editor, note="Back up.")  # readers saw it before
    assert "Fresh Coverage Title" in client.get("/").content.decode()
    services.coverage_unpublish(coverage=Coverage.objects.get(pk=coverage.pk), by=editor, note="Taken down.")
    assert "Fresh Coverage Title" not in client.get("/").content.decode()
    assert client.get(coverage.get_absolute_url()).status_code == 410  # taken down: when and why


def test_scheduled_coverage_appears_when_its_time_comes_without_any_write(client, two_speakers):
    publish_at = timezone.now() + datetime.timedelta(hours=1)
    factories.CoverageFactory(title="Scheduled Story", status="published", publish_at=publish_at)
    assert "Scheduled Story" not in client.get("/").content.decode()
    with freeze_time(publish_at + datetime.timedelta(seconds=1)):
        assert "Scheduled Story" in client.get("/").content.decode()


def test_an_api_lists_count_takes_in_scheduled_coverage_when_its_time_comes(client, article):
    """A list's count is kept per content generation; a generation ends at the next scheduled
    publish, so the count does not wait for a write (nor for the cache's timeout: it is sooner)."""
    publish_at = timezone.now() + datetime.timedelta(seconds=60)
    scheduled = factories.CoverageFactory(
        dialogue=article.dialogue, status="published", publish_at=publish_at
    )
    factories.ClaimFactory.create_batch(3, coverage=scheduled, kind="prediction")
    query = {"kind": "prediction", "page_size": 1}
    before = client.get("/api/v1/claims/", query).json()["count"]
    assert client.get("/api/v1/claims/", query).json()["count"] == before  # still scheduled
    with freeze_time(publish_at + datetime.timedelta(seconds=1)):
        assert client.get("/api/v1/claims/", query).json()["count"] == before + 3


def test_staff_are_never_served_or_stored_in_the_cache(client, article, editor):
    anonymous = client.get(COVERAGE_URL)
    draft = factories.CoverageFactory(title="Staff Only Draft", draft=True, dialogue=article.dialogue)
    client.get("/")  # anonymous: cached without the draft
    client.force_login(editor)
    staff_home, staff_queries = _get(client, "/")
    assert "Staff Only Draft" in staff_home.content.decode()
    assert staff_queries > 0
    assert "private" in staff_home["Cache-Control"] and "no-cache" in staff_home["Cache-Control"]
    assert client.get(COVERAGE_URL)["Cache-Control"] != anonymous["Cache-Control"]
    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200
    client.logout()
    assert "Staff Only Draft" not in client.get("/").content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_anonymous_api_reads_are_cached_and_invalidated_like_pages(api_client, article):
    url = "/api/v1/quotes/?speaker=huang-renxun"
    first, _ = _get(api_client, url)
    second, queries = _get(api_client, url)
    assert queries == 0
    assert second.json() == first.json()
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    quote.text = "Edited through the ORM."
    quote.save()
    texts = [item["text"] for item in api_client.get(url).json()["results"]]
    assert "Edited through the ORM." in texts
    # The same data in another format is its own cache entry. (Throttling still counts cached
    # reads: tests/api/test_api.py asks the same URL until it gets a 429.)
    csv = api_client.get(url + "&format=csv")
    assert csv["Content-Type"].startswith("text/csv") and "Edited through the ORM." in csv.content.decode()


def test_token_clients_and_the_admin_are_not_cached(client, api_client, article, editor):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=editor)
    url = "/api/v1/quotes/"
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    api_client.get(url)
    _, queries = _get(api_client, url)
    assert queries > 0
    _, queries = _get(client, COVERAGE_URL, authorization=f"Token {token.key}")
    _, again = _get(client, COVERAGE_URL, authorization=f"Token {token.key}")
    assert again > 0
    client.force_login(editor)
    client.get("/admin/dialogues/quote/")
    _, queries = _get(client, "/admin/dialogues/quote/")
    assert queries > 0


@pytest.mark.parametrize("url", ["/", "/feeds/coverage.rss", "/sitemap.xml", f"/coverage/{ARTICLE}/"])
def test_not_found_and_errors_are_not_cached_but_pages_feeds_and_sitemap_are(client, article, url):
    client.get(url)
    _, queries = _get(client, url)
    assert queries == 0, url
    client.get("/coverage/no-such-thing/")
    _, queries = _get(client, "/coverage/no-such-thing/")
    assert queries > 0


def test_pages_still_serve_when_redis_is_down(client, article, redis_down, caplog):
    for _ in range(2):
        response = client.get(COVERAGE_URL)
        assert response.status_code == 200
        assert "Three Overlooked Key Insights" in response.content.decode()
    assert "Cache unavailable" in caplog.text


def test_redis_backend_round_trip_and_ping(redis_cache):
    cache = redis_cache
    assert cache.ping() is True
    cache.set("answer", {"value": 42}, 30)
    assert cache.get("answer") == {"value": 42}
    cache.delete("answer")
    assert cache.get("answer") is None
    # One client per connection pool, reused by every call (Django would build one per call).
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert client.connection_pool is cache._cache._get_connection_pool(write=False)
    # Replies are parsed by hiredis (C), not redis-py's Python parser: a 20 KB page 0.19 -> 0.15 ms.
    connection = client.connection_pool.get_connection()
    try:
        assert type(connection._parser).__name__.startswith("_Hiredis")
    finally:
        client.connection_pool.release(connection)


def test_redis_takes_keys_memcached_would_refuse_without_checking_them(redis_cache, recwarn):
    """Django's base cache warns about keys memcached refuses; Redis refuses none, and the
    check cost a few microseconds for each of an API list's 50-odd keys."""
    from django.core.cache.backends.base import CacheKeyWarning

    key = "piece:http://example.org/|csv| " + "é" * 300
    redis_cache.set_many({key: 1, "other": 2}, 30)
    assert redis_cache.get_many([key, "other"]) == {key: 1, "other": 2}
    assert not [warning for warning in recwarn if issubclass(warning.category, CacheKeyWarning)]


def _counts(queries):
    return [query for query in queries.captured_queries if "COUNT(" in query["sql"].upper()]


def test_a_list_is_counted_once_for_all_its_pages_until_the_next_edit(api_client, coverage, two_speakers):
    ada, bo = two_speakers
    for n in range(5):
        factories.QuoteFactory(coverage=coverage, speakers=[ada], slug=f"counted-{n}")
    url = "/api/v1/quotes/?speaker=ada&page_size=2"
    with CaptureQueriesContext(connection) as first:
        assert api_client.get(url).json()["count"] == 5
    with CaptureQueriesContext(connection) as second:
        page_2 = api_client.get(url + "&page=2").json()
    assert len(_counts(first)) == 1 and _counts(second) == []
    assert page_2["count"] == 5 and len(page_2["results"]) == 2
    # Another filter is another list, with its own count.
    assert api_client.get("/api/v1/quotes/?speaker=bo").json()["count"] == 0

    factories.QuoteFactory(coverage=coverage, speakers=[ada], slug="counted-after-the-edit")
    with CaptureQueriesContext(connection) as after_edit:
        page_3 = api_client.get(url + "&page=3").json()
    assert len(_counts(after_edit)) == 1
    assert page_3["count"] == 6 and len(page_3["results"]) == 2


def test_staff_and_readers_never_share_a_count(api_client, editor, coverage, two_speakers):
    ada, _ = two_speakers
    factories.QuoteFactory(coverage=coverage, speakers=[ada], slug="live-quote")
    draft = factories.CoverageFactory(draft=True, dialogue=coverage.dialogue, slug="draft-coverage")
    factories.QuoteFactory(coverage=draft, speakers=[ada], slug="draft-quote")
    url = "/api/v1/quotes/?speaker=ada&page=1"
    api_client.force_authenticate(editor)
    assert api_client.get(url).json()["count"] == 2
    api_client.force_authenticate(None)
    assert api_client.get(url).json()["count"] == 1
    api_client.force_authenticate(editor)
    assert api_client.get(url).json()["count"] == 2


def test_html_lists_share_their_count_too(client, reader, coverage, two_speakers):
    ada, _ = two_speakers
    for n in range(3):
        factories.QuoteFactory(coverage=coverage, speakers=[ada], slug=f"listed-{n}")
    client.force_login(reader)  # signed in: past the page cache, so the view runs every time
    client.get("/quotes/?speaker=ada")
    with CaptureQueriesContext(connection) as again:
        response = client.get("/quotes/?speaker=ada")
    assert _counts(again) == [] and response.context["paginator"].count == 3
    factories.QuoteFactory(coverage=coverage, speakers=[ada], slug="listed-after-the-edit")
    assert client.get("/quotes/?speaker=ada").context["paginator"].count == 4


def test_a_speaker_name_is_looked_up_once_per_generation(api_client, coverage, two_speakers):
    ada, _ = two_speakers
    factories.QuoteFactory(coverage=coverage, speakers=[ada], slug="named-quote")

    def speaker_lookups(url):
        with CaptureQueriesContext(connection) as queries:
            slugs = [quote["slug"] for quote in api_client.get(url).json()["results"]]
        return slugs, [q for q in queries.captured_queries if 'FROM "dialogues_speakeralias"' in q["sql"]]

    first, looked_up = speaker_lookups("/api/v1/quotes/?speaker=ada speaker")
    again, looked_up_again = speaker_lookups("/api/v1/quotes/?speaker=ada speaker&page_size=10")
    assert first == again == ["named-quote"]
    assert len(looked_up) == 1 and looked_up_again == []
    # An edit is a new generation: an alias added now is a name on the very next request.
    assert api_client.get("/api/v1/quotes/?speaker=Countess Lovelace").status_code == 400  # no one's name
    SpeakerAlias.objects.create(speaker=ada, name="Countess Lovelace")
    assert speaker_lookups("/api/v1/quotes/?speaker=countess lovelace")[0] == ["named-quote"]
    assert speaker_lookups("/api/v1/quotes/?speaker=Countess Lovelace")[0] == ["named-quote"]


# A reader with a session (signed in to nothing, or a reader account) gets rendered pages, not
# the page cache; their expensive sections are shared per content generation.
SECTION_PAGES = [
    "/",
    COVERAGE_URL,
    "/speakers/huang-renxun/",
    "/topics/ai-and-humans/",
    "/search/?q=partner",
]


@pytest.mark.parametrize("url", SECTION_PAGES)
def test_sections_are_rendered_once_per_generation_for_readers_with_a_session(client, article, url):
    client.cookies["sessionid"] = "no-such-session"
    first, first_queries = _get(client, url)
    second, second_queries = _get(client, url)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    # The page's object and the session, not its quotes, claims, speakers or topics.
    assert second_queries <= 3 < first_queries, (first_queries, second_queries)

    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    quote.text = "AI will become your “digital companion.”"
    quote.save()  # a published quote: readers see it at once, in every section that prints it
    third = client.get(url)
    if url != "/search/?q=partner":  # the search matched the old wording
        assert "digital companion" in third.content.decode()
        assert "digital partner.”" not in third.content.decode()


def test_staff_previews_never_share_sections_with_readers(client, article, editor):
    draft = factories.CoverageFactory(dialogue=article.dialogue, draft=True, title="Draft coverage")
    quote = factories.QuoteFactory(
        coverage=draft, speakers=list(article.dialogue.speakers.all()[:1]), text="Words in a draft."
    )
    speaker_url = quote.speakers.get().get_absolute_url()
    client.cookies["sessionid"] = "no-such-session"
    assert "Words in a draft." not in client.get(speaker_url).content.decode()
    client.force_login(editor)
    assert "Words in a draft." in client.get(speaker_url).content.decode()
    # The draft is edited: no new generation (readers' pages do not change), yet the preview shows it.
    quote.text = "Other words in a draft."
    quote.save()
    assert "Other words in a draft." in client.get(speaker_url).content.decode()
    client.logout()
    client.cookies["sessionid"] = "no-such-session"
    assert "in a draft." not in client.get(speaker_url).content.decode()


def test_fragment_cache_off_renders_sections_every_time(client, article, settings):
    settings.FRAGMENT_CACHE_ENABLED = False
    client.cookies["sessionid"] = "no-such-session"
    client.get("/speakers/huang-renxun/")
    _, second_queries = _get(client, "/speakers/huang-renxun/")
    assert second_queries > 3  # its quotes, claims, dialogues and titles, read again


def test_staff_lists_count_a_draft_made_after_they_were_read(client, editor, article):
    client.force_login(editor)
    before = client.get("/quotes/").context["page_obj"].paginator.count
    draft = factories.CoverageFactory(dialogue=article.dialogue, draft=True)
    factories.QuoteFactory(
        coverage=draft, text="Words of a draft.", speakers=list(article.dialogue.speakers.all()[:1])
    )
    response = client.get("/quotes/")
    assert response.context["page_obj"].paginator.count == before + 1
    assert "Words of a draft." in response.content.decode()
