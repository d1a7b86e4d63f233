"""HTTP caching and concurrency of the API: ETag and Last-Modified on reads, 304s, and writes
that name the version they start from (``version`` or ``If-Match``)."""

import pytest
from django.utils.http import http_date
from freezegun import freeze_time

from dialogues.caching import current_generation, new_generation
from dialogues.models import Claim, Quote, Speaker
from tests import factories

pytestmark = pytest.mark.django_db

QUOTE = "/api/v1/quotes/huang-ai-digital-partner/"


@pytest.mark.parametrize(
    "url", [QUOTE, "/api/v1/quotes/", "/api/v1/speakers/huang-renxun/", "/api/v1/claims/?format=csv"]
)
def test_reads_carry_validators_and_answer_304_to_them(api_client, article, url):
    first = api_client.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and len(etag) > 30
    assert last_modified == http_date(current_generation()["changed_at"])
    again = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert api_client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert api_client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_a_detail_etag_starts_with_the_version_and_changes_with_the_object(api_client, editor, article):
    first = api_client.get(QUOTE)
    assert first["ETag"].startswith(f'"{first.json()["version"]}-')
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    quote.is_featured = not quote.is_featured
    quote.save()
    changed = api_client.get(QUOTE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["version"] == first.json()["version"] + 1
    assert changed["ETag"].startswith(f'"{changed.json()["version"]}-')


def test_an_edit_readers_see_ends_what_if_modified_since_matched(api_client, article):
    with freeze_time("2026-03-01 10:00:00"):
        new_generation()  # as the last edit did
        first = api_client.get("/api/v1/speakers/")
        assert first["Last-Modified"] == "Sun, 01 Mar 2026 10:00:00 GMT"
    with freeze_time("2026-03-01 10:05:00"):
        speaker = Speaker.objects.get(slug="huang-renxun")
        speaker.bio = "A new biography."
        speaker.save()
        again = api_client.get("/api/v1/speakers/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200 and "A new biography." in again.content.decode()
    assert again["Last-Modified"] == "Sun, 01 Mar 2026 10:05:00 GMT"


def test_staff_who_see_drafts_get_no_last_modified_and_their_etag_matches_only_their_bytes(
    api_client, editor, article
):
    draft = factories.CoverageFactory(draft=True, dialogue=article.dialogue)
    factories.QuoteFactory(coverage=draft, speakers=[], slug="draft-words")
    anonymous = api_client.get("/api/v1/quotes/")
    assert "draft-words" not in anonymous.content.decode()
    api_client.force_authenticate(editor)
    staff = api_client.get("/api/v1/quotes/")
    assert "draft-words" in staff.content.decode()
    assert staff["ETag"] != anonymous["ETag"]
    assert not staff.has_header("Last-Modified")
    assert "private" in staff["Cache-Control"]
    # A reader's validators never get staff a 304 for a list that holds a draft…
    assert api_client.get("/api/v1/quotes/", HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 200
    assert (
        api_client.get("/api/v1/quotes/", HTTP_IF_MODIFIED_SINCE=anonymous["Last-Modified"]).status_code
        == 200
    )
    # …and staff's ETag gets an anonymous client nothing it may not see.
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/quotes/", HTTP_IF_NONE_MATCH=staff["ETag"]).status_code == 200


def test_a_draft_edit_changes_staffs_etag(api_client, editor, article):
    draft = factories.CoverageFactory(draft=True, dialogue=article.dialogue)
    quote = factories.QuoteFactory(coverage=draft, speakers=[], slug="draft-words")
    api_client.force_authenticate(editor)
    first = api_client.get("/api/v1/quotes/draft-words/")
    quote.text = "Other words."
    quote.save()
    again = api_client.get("/api/v1/quotes/draft-words/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again.json()["text"] == "Other words."


def test_the_etag_read_is_an_if_match_for_a_write(api_client, editor, article):
    api_client.force_authenticate(editor)
    url = "/api/v1/claims/coreweave-market-value-tripled/"
    etag = api_client.get(url)["ETag"]
    change = {"check_note": "Checked again.", "correction_note": "Added a check note."}
    response = api_client.patch(url, change, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    stale = api_client.patch(url, {**change, "check_note": "Once more."}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert "version 2" in stale.json()["message"]
    assert Claim.objects.get(slug="coreweave-market-value-tripled").check_note == "Checked again."


@pytest.mark.parametrize("version", ["1", "one", 1.5, True, None, [1], 0])
def test_a_version_that_is_not_a_whole_number_is_a_400_naming_it(api_client, editor, article, version):
    api_client.force_authenticate(editor)
    body = {"check_note": "Checked.", "correction_note": "Noted.", "version": version}
    response = api_client.patch("/api/v1/claims/coreweave-market-value-tripled/", body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["errors"]["version"]
    assert Claim.objects.get(slug="coreweave-market-value-tripled").version == 1


def test_an_if_match_that_names_no_version_is_a_400(api_client, editor, article):
    api_client.force_authenticate(editor)
    response = api_client.patch(QUOTE, {"is_featured": False}, format="json", HTTP_IF_MATCH='"not-a-version"')
    assert response.status_code == 400
    assert "If-Match" in response.json()["errors"]["version"][0]


def test_a_patch_that_changes_nothing_keeps_the_version(api_client, editor, article):
    api_client.force_authenticate(editor)
    read = api_client.get(QUOTE).json()
    same = {"text": read["text"], "kind": read["kind"], "topics": read["topics"], "version": read["version"]}
    response = api_client.patch(QUOTE, same, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == read["version"]
    assert Quote.objects.get(slug="huang-ai-digital-partner").version == read["version"]
    # The version a client holds is still current: a real change with it goes through.
    change = {"is_featured": not read["is_featured"], "version": read["version"]}
    assert api_client.patch(QUOTE, change, format="json").json()["version"] == read["version"] + 1


def test_speakers_events_and_dialogues_take_the_version_they_show(api_client, editor, article):
    api_client.force_authenticate(editor)
    url = "/api/v1/speakers/huang-renxun/"
    version = api_client.get(url).json()["version"]
    assert api_client.patch(url, {"bio": "New.", "version": version}, format="json").status_code == 200
    stale = api_client.patch(url, {"bio": "Newer.", "version": version}, format="json")
    assert stale.status_code == 409
    assert Speaker.objects.get(slug="huang-renxun").bio == "New."
    for url in ("/api/v1/events/chain-expo-2025/", f"/api/v1/dialogues/{article.dialogue.slug}/"):
        assert api_client.get(url).json()["version"] >= 1


def test_the_schema_has_an_etag_but_no_date_edits_would_move(client, db):
    first = client.get("/api/v1/schema/")
    assert first.status_code == 200 and not first.has_header("Last-Modified")
    assert client.get("/api/v1/schema/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


class CacheReads:
    """Counts the cache's round trips (``get`` and ``get_many``) and the keys each one read."""

    def __init__(self, monkeypatch):
        from django.core.cache import cache

        self.calls, self.inside_get_many = [], False
        real_get, real_get_many = cache.get, cache.get_many

        def get(key, *args, **kwargs):
            if not self.inside_get_many:  # the local-memory cache's get_many calls get
                self.calls.append([key])
            return real_get(key, *args, **kwargs)

        def get_many(keys, *args, **kwargs):
            self.calls.append(list(keys))
            self.inside_get_many = True
            try:
                return real_get_many(keys, *args, **kwargs)
            finally:
                self.inside_get_many = False

        monkeypatch.setattr(cache, "get", get)
        monkeypatch.setattr(cache, "get_many", get_many)


def test_a_list_dates_itself_by_the_generation_its_own_lookups_read(
    api_client, article, settings, monkeypatch
):
    """An uncached anonymous list reads the generation with each of its lookups (the speaker's
    name, the count, the items); Last-Modified takes it from them, not from a round trip of its
    own, and the speaker's name and visibility are one lookup, not two."""
    from dialogues.caching import GENERATION_KEY

    settings.PAGE_CACHE_ENABLED = False
    url = "/api/v1/quotes/?speaker=huang-renxun"
    api_client.get(url)  # fills the per-generation entries
    reads = CacheReads(monkeypatch)
    response = api_client.get(url)
    calls = list(reads.calls)
    assert response.status_code == 200 and response.json()["count"] > 1
    assert response["Last-Modified"] == http_date(current_generation()["changed_at"])
    generation_reads = [keys for keys in calls if GENERATION_KEY in keys]
    assert [keys for keys in generation_reads if len(keys) == 1] == []  # none on its own
    assert len(generation_reads) == 2  # the speaker (name and visibility at once) and the count
    throttle, *lookups = calls
    assert throttle[0].startswith("throttle_anon")
    assert len(lookups) == 3  # and the items, under their own entity generation


def test_if_match_guards_every_write_not_only_a_versioned_patch(api_client, editor, article):
    """An outside tester's stale If-Match was ignored on topics and organizations (no version),
    and on withdraw, unpublish and delete: two editors could overwrite each other there."""
    api_client.force_authenticate(editor)
    topic = "/api/v1/topics/open-source/"
    read = api_client.get(topic)
    etag = read["ETag"]
    stale = api_client.patch(topic, {"description": "Changed."}, format="json", HTTP_IF_MATCH='"0123abcd"')
    assert stale.status_code == 412 and "ETag" in stale.json()["message"]
    fresh = api_client.patch(topic, {"description": "Changed."}, format="json", HTTP_IF_MATCH=etag)
    assert fresh.status_code == 200, fresh.json()
    assert fresh["ETag"] == api_client.get(topic)["ETag"] != etag  # the new state's, as a read gives it
    # The ETag read before that change is stale now.
    again = api_client.patch(topic, {"description": "Again."}, format="json", HTTP_IF_MATCH=etag)
    assert again.status_code == 412
    assert (
        api_client.patch(
            topic, {"description": "Again."}, format="json", HTTP_IF_MATCH=fresh["ETag"]
        ).status_code
        == 200
    )

    quote = Quote.objects.published().first()
    url = f"/api/v1/quotes/{quote.slug}/withdraw/"
    note = {"note": "Misattributed."}
    assert (
        api_client.post(url, note, format="json", HTTP_IF_MATCH=f'"{quote.version + 1}"').status_code == 412
    )
    assert Quote.objects.get(pk=quote.pk).withdrawn_at is None
    assert api_client.post(url, note, format="json", HTTP_IF_MATCH=f'"{quote.version}"').status_code == 200

    draft = factories.CoverageFactory(draft=True)
    coverage = f"/api/v1/coverage/{draft.slug}/"
    assert api_client.delete(coverage, HTTP_IF_MATCH=f'"{draft.version + 3}"').status_code == 412
    assert api_client.delete(coverage, HTTP_IF_MATCH=api_client.get(coverage)["ETag"]).status_code == 204
