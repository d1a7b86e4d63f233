"""Keeping a copy of the archive in sync: timestamps, ``updated_since`` and the change feed."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from dialogues import services
from dialogues.changes import RESOURCES
from dialogues.models import Change, Claim, Commentary, Coverage, FactSource, Quote, Speaker
from tests import factories

pytestmark = pytest.mark.django_db
FEED = "/api/v1/changes/"
QUOTE = "huang-ai-digital-partner"


def read_feed(client, since=None):
    """Every entry after ``since``, following ``next``; and the cursor to go on from."""
    entries, params = [], {} if since is None else {"since": since}
    while True:
        page = client.get(FEED, params).json()
        entries += page["results"]
        if page["next"] is None:
            return entries, page["cursor"]
        params = {"since": page["cursor"]}


def apply(client, mirror, entries):
    """What a client keeping a copy does with feed entries: fetch what is there, drop the rest."""
    for entry in entries:
        key = (entry["resource"], entry["id"])
        if entry["action"] in ("published", "updated"):
            if entry["url"] is not None:  # else it has gone again: a later entry says how
                response = client.get(entry["url"])
                assert response.status_code == 200, entry
                mirror[key] = response.json()
        else:
            mirror.pop(key, None)


def fact_about(speaker):
    return FactSource.objects.create(
        subject=speaker,
        fact="bio",
        title="Company profile",
        url="https://example.com/profile",
        accessed_on=datetime.date(2025, 7, 24),
    )


def detail_url(resource, item):
    """An item's own URL: its `url`, or for what has no slug (fact sources) its id's."""
    return f"/api/v1/{resource}/{item['id']}/" if resource == "fact-sources" else item["url"]


def dump(client):
    """Every item of every list a reader can read, as its detail JSON, by resource and id."""
    items = {}
    for resource in RESOURCES:
        url = f"/api/v1/{resource}/?page_size=200"
        while url:
            page = client.get(url).json()
            for item in page["results"]:
                items[(resource, item["id"])] = client.get(detail_url(resource, item)).json()
            url = page["next"]
    return items


def test_every_resource_says_when_it_was_created_and_updated(api_client, article):
    for resource in RESOURCES:
        item = api_client.get(f"/api/v1/{resource}/").json()["results"][0]
        created = datetime.datetime.fromisoformat(item["created_at"])
        updated = datetime.datetime.fromisoformat(item["updated_at"])
        assert created <= updated <= timezone.now(), resource


def test_updated_since_lists_only_what_was_saved_since(api_client, editor, article, settings):
    settings.PAGE_CACHE_ENABLED = False
    cutoff = timezone.now()
    assert api_client.get("/api/v1/quotes/", {"updated_since": cutoff.isoformat()}).json()["count"] == 0
    quote = Quote.objects.get(slug=QUOTE)
    quote.is_featured = not quote.is_featured
    quote.save()
    listed = api_client.get("/api/v1/quotes/", {"updated_since": cutoff.isoformat()}).json()
    assert [item["slug"] for item in listed["results"]] == [QUOTE]
    assert datetime.datetime.fromisoformat(listed["results"][0]["updated_at"]) >= cutoff
    everything = api_client.get("/api/v1/quotes/").json()["count"]
    assert (
        api_client.get("/api/v1/quotes/", {"updated_since": "2000-01-01T00:00:00Z"}).json()["count"]
        == everything
    )


@pytest.mark.parametrize("resource", RESOURCES)
def test_updated_since_that_is_not_a_time_is_a_400(api_client, article, resource):
    response = api_client.get(f"/api/v1/{resource}/", {"updated_since": "yesterday"})
    assert response.status_code == 400
    assert "updated_since" in str(response.json())


def test_a_new_feed_publishes_exactly_what_readers_see(api_client, article):
    draft = factories.CoverageFactory(draft=True, slug="draft-coverage")
    hidden = factories.SpeakerFactory(name="Not Yet Public", slug="not-yet-public")
    factories.QuoteFactory(coverage=draft, slug="draft-quote", speakers=[hidden])
    entries, _cursor = read_feed(api_client)
    assert {entry["action"] for entry in entries} == {"published"}
    named = {(entry["resource"], entry["id"]) for entry in entries}
    listed = {(resource, item["id"]) for resource in RESOURCES for item in dump_list(api_client, resource)}
    assert named == listed
    assert {resource for resource, _id in named} == set(RESOURCES)  # fact sources too
    slugs = {entry["slug"] for entry in entries}
    assert not slugs & {"draft-coverage", "not-yet-public", "draft-quote"}
    assert all((entry["slug"] is None) == (entry["resource"] == "fact-sources") for entry in entries)


def dump_list(client, resource):
    items, url = [], f"/api/v1/{resource}/?page_size=200"
    while url:
        page = client.get(url).json()
        items += page["results"]
        url = page["next"]
    return items


def test_a_mirror_kept_by_the_feed_matches_the_archive(api_client, editor, article):
    mirror = {}
    entries, cursor = read_feed(api_client)
    apply(api_client, mirror, entries)
    assert mirror == dump(api_client)

    # An edit, a withdrawal, an unpublished article, a newly published one with a new speaker,
    # a deleted speaker readers knew, and drafts coming and going that readers never saw.
    api_client.force_authenticate(editor)
    response = api_client.patch(
        f"/api/v1/quotes/{QUOTE}/",
        {"text": "AI will be your digital partner.", "correction_note": "Quoted as said.", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    api_client.force_authenticate(None)
    claim = Claim.objects.published().first()
    services.withdraw(item=claim, by=editor, note="Not in the article.")
    commentary = Commentary.objects.published().first()
    services.withdraw(item=commentary, by=editor, note="The analysis misread the panel.")
    other = factories.QuoteFactory(speakers=[factories.SpeakerFactory(slug="guest", name="Guest Speaker")])
    factories.QuoteFactory(coverage=factories.CoverageFactory(draft=True), slug="never-seen")
    Quote.objects.filter(slug="never-seen").delete()
    # Fact sources, which have no slug: one edited, one about the new speaker, one about a
    # speaker readers do not know.
    edited_fact = FactSource.objects.published().first()
    edited_fact.note = "Checked again."
    edited_fact.save()
    guest = Speaker.objects.get(slug="guest")
    new_fact = fact_about(guest)
    hidden_fact = fact_about(factories.SpeakerFactory(slug="not-on-stage"))

    entries, cursor = read_feed(api_client, cursor)
    facts = {entry["id"]: entry for entry in entries if entry["resource"] == "fact-sources"}
    assert {id: entry["action"] for id, entry in facts.items()} == {
        edited_fact.pk: "updated",
        new_fact.pk: "published",
    }
    assert facts[new_fact.pk]["slug"] is None
    assert facts[new_fact.pk]["url"] == f"http://testserver/api/v1/fact-sources/{new_fact.pk}/"
    assert hidden_fact.pk not in facts
    actions = {(entry["resource"], entry["slug"]): entry["action"] for entry in entries}
    assert actions[("quotes", QUOTE)] == "updated"
    assert actions[("claims", claim.slug)] == "withdrawn"
    assert actions[("commentary", commentary.slug)] == "withdrawn"
    assert actions[("quotes", other.slug)] == "published"
    assert actions[("speakers", "guest")] == "published"
    assert "never-seen" not in {slug for _resource, slug in actions}
    apply(api_client, mirror, entries)
    assert mirror == dump(api_client)

    services.coverage_unpublish(coverage=other.coverage, by=editor, note="Taken down.")
    Speaker.objects.filter(slug="guest").delete()
    deleted_fact = edited_fact.pk
    edited_fact.delete()
    entries, cursor = read_feed(api_client, cursor)
    facts = {entry["id"]: entry["action"] for entry in entries if entry["resource"] == "fact-sources"}
    # The guest's source went with the guest.
    assert facts == {deleted_fact: "deleted", new_fact.pk: "deleted"}
    actions = {(entry["resource"], entry["slug"]): entry["action"] for entry in entries}
    assert actions[("coverage", other.coverage.slug)] == "unpublished"
    assert actions[("quotes", other.slug)] == "unpublished"
    assert actions[("speakers", "guest")] == "deleted"
    apply(api_client, mirror, entries)
    assert mirror == dump(api_client)

    # Nothing changed: nothing new, and the cursor stays.
    assert read_feed(api_client, cursor) == ([], cursor)


def test_scheduled_coverage_enters_the_feed_when_it_goes_live(api_client, editor, article):
    _entries, cursor = read_feed(api_client)
    scheduled = factories.QuoteFactory(coverage=factories.CoverageFactory(scheduled=True), slug="later")
    entries, cursor = read_feed(api_client, cursor)
    assert "later" not in {entry["slug"] for entry in entries}
    with freeze_time(timezone.now() + datetime.timedelta(days=2)):
        entries, cursor = read_feed(api_client, cursor)
    assert {(entry["resource"], entry["slug"], entry["action"]) for entry in entries} >= {
        ("coverage", scheduled.coverage.slug, "published"),
        ("quotes", "later", "published"),
    }


def test_a_renamed_item_keeps_its_id_and_its_url_follows(api_client, editor, article):
    _entries, cursor = read_feed(api_client)
    speaker = Speaker.objects.published().first()
    speaker.slug = "renamed-speaker"
    speaker.save()
    entries, _cursor = read_feed(api_client, cursor)
    (entry,) = [entry for entry in entries if entry["resource"] == "speakers"]
    assert (entry["id"], entry["slug"], entry["action"]) == (speaker.pk, "renamed-speaker", "updated")
    assert entry["url"].endswith("/api/v1/speakers/renamed-speaker/")
    # Their quotes name them by slug: those changed too, and nothing else did.
    shown_in = {
        ("quotes", slug)
        for slug in Quote.objects.published().filter(speakers=speaker).values_list("slug", flat=True)
    }
    shown_in |= {
        ("claims", slug)
        for slug in Claim.objects.published().filter(speakers=speaker).values_list("slug", flat=True)
    }
    shown_in |= {("dialogues", slug) for slug in speaker.dialogues.values_list("slug", flat=True)}
    assert {(entry["resource"], entry["slug"]) for entry in entries} - {
        ("speakers", "renamed-speaker")
    } == shown_in
    assert {entry["action"] for entry in entries} == {"updated"}


def test_the_feed_catches_up_once_per_generation(api_client, article, django_assert_max_num_queries):
    read_feed(api_client)
    recorded = Change.objects.count()
    with django_assert_max_num_queries(3):
        assert api_client.get(FEED).status_code == 200
    assert Change.objects.count() == recorded


@pytest.mark.parametrize("since", ["abc", "-1", "1.5", "١٢"])
def test_a_cursor_that_is_not_one_is_a_400(api_client, since):
    response = api_client.get(FEED, {"since": since})
    assert response.status_code == 400
    assert "since" in str(response.json())


def test_coverage_unpublished_takes_its_speakers_out_of_the_feed_too(api_client, editor):
    coverage = factories.CoverageFactory()
    speaker = factories.SpeakerFactory(slug="only-here")
    factories.QuoteFactory(coverage=coverage, speakers=[speaker])
    _entries, cursor = read_feed(api_client)
    services.coverage_unpublish(coverage=Coverage.objects.get(pk=coverage.pk), by=editor, typo_fix=True)
    entries, _cursor = read_feed(api_client, cursor)
    assert ("speakers", "only-here", "unpublished") in {
        (entry["resource"], entry["slug"], entry["action"]) for entry in entries
    }


def test_updated_at_moves_with_what_the_json_shows(editor, article):
    from dialogues.models import SpeakerAlias, Topic

    quote = Quote.objects.get(slug=QUOTE)
    speaker = quote.speakers.first()
    other_quote = factories.QuoteFactory(coverage=article, dialogue=article.dialogue)

    def times():
        return {
            "speaker": Speaker.objects.get(pk=speaker.pk).updated_at,
            "quote": Quote.objects.get(pk=quote.pk).updated_at,
            "other": Quote.objects.get(pk=other_quote.pk).updated_at,
        }

    before = times()
    SpeakerAlias.objects.create(speaker=speaker, name="Another Name", language="en")
    after_alias = times()
    assert after_alias["speaker"] > before["speaker"]
    assert after_alias["quote"] == before["quote"]  # a quote shows its speaker's name, not aliases
    services.correction_add(subject=quote, note="A word was wrong.", by=editor)
    after_correction = times()
    assert after_correction["quote"] > after_alias["quote"]
    Topic.objects.create(slug="new-topic", name="New topic").quotes.add(other_quote)
    after_topic = times()
    assert after_topic["other"] > after_correction["other"]
    assert after_topic["quote"] == after_correction["quote"]
    speaker.name = "Renamed"
    speaker.save()
    after_rename = times()
    assert after_rename["quote"] > after_topic["quote"]  # its speaker's name is in its JSON
    # A quote shows its dialogue by slug only: another summary is not a change of the quote.
    dialogue = article.dialogue
    dialogue.summary = "A longer account of the session."
    dialogue.save()
    assert times()["quote"] == after_rename["quote"]
    dialogue.slug = "renamed-dialogue"
    dialogue.save()
    assert times()["quote"] > after_rename["quote"]


def test_a_cursor_past_the_end_is_a_400_not_a_silent_skip(api_client, article):
    _entries, cursor = read_feed(api_client)
    response = api_client.get(FEED, {"since": int(cursor) + 5})
    assert response.status_code == 400 and f"last is {cursor}" in str(response.json())


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-14:00"])
def test_a_time_no_database_holds_is_a_400(api_client, when):
    for resource in ["quotes", "topics", "coverage"]:
        response = api_client.get(f"/api/v1/{resource}/", {"updated_since": when})
        assert response.status_code == 400 and "updated_since" in str(response.json())


def test_the_schema_says_the_feed_answers_one_page(api_client):
    schema = api_client.get("/api/v1/schema/?format=json").json()
    response = schema["paths"]["/api/v1/changes/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert response["schema"] == {"$ref": "#/components/schemas/ChangePage"}
    assert schema["components"]["schemas"]["Change"]["properties"]["resource"].get("enum") or "$ref" in str(
        schema["components"]["schemas"]["Change"]["properties"]["resource"]
    )


def test_a_topics_alias_moves_the_topic_not_what_is_on_it(article):
    """A topic's JSON shows its aliases: a new, changed or deleted one updates the topic, while
    the quotes on it show it by slug only."""
    from dialogues.models import Topic, TopicAlias

    topic = Topic.objects.get(slug="open-source")
    quote = Quote.objects.filter(topics=topic).first()

    def times():
        quote_time = Quote.objects.get(pk=quote.pk).updated_at if quote else None
        return Topic.objects.get(pk=topic.pk).updated_at, quote_time

    before = times()
    alias = TopicAlias.objects.create(topic=topic, name="開源", language="zh-Hant")
    after_add = times()
    assert after_add[0] > before[0] and after_add[1] == before[1]
    alias.delete()
    assert times()[0] > after_add[0]
