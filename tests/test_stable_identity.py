"""Stable identity (issue #26): every resource has an id that never changes, and a slug it had
before a rename still leads to it (301 for reads, 308 for writes), pages and API alike, without
showing readers what they may not see."""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType

from dialogues import services
from dialogues.models import Coverage, Dialogue, Event, FormerSlug, Quote, Speaker, Topic
from tests import factories
from tests.admin_forms import change_form_data
from tests.test_admin import change_url

pytestmark = pytest.mark.django_db

QUOTE = "huang-ai-digital-partner"


def rename_by_api(api_client, editor, resource, slug, new, **extra):
    api_client.force_authenticate(editor)
    version = api_client.get(f"/api/v1/{resource}/{slug}/").json().get("version")
    body = {"slug": new, **({"version": version} if version else {}), **extra}
    response = api_client.patch(f"/api/v1/{resource}/{slug}/", body, format="json")
    assert response.status_code == 200, response.json()
    api_client.force_authenticate(None)
    return response.json()


def test_a_quote_renamed_through_the_api_answers_its_old_urls_with_301(api_client, client, editor, article):
    quote = Quote.objects.get(slug=QUOTE)
    renamed = rename_by_api(api_client, editor, "quotes", QUOTE, "ai-digital-partner")
    assert renamed["id"] == quote.pk and renamed["slug"] == "ai-digital-partner"

    page = client.get(f"/quotes/{QUOTE}/?ref=newsletter")
    assert page.status_code == 301
    assert page["Location"] == "/quotes/ai-digital-partner/?ref=newsletter"
    assert "digital partner" in client.get(page["Location"]).content.decode()

    response = api_client.get(f"/api/v1/quotes/{QUOTE}/", {"fields": "x", "format": "json"})
    assert response.status_code == 301
    assert response["Location"] == "http://testserver/api/v1/quotes/ai-digital-partner/?fields=x&format=json"
    assert response.json()["message"] == f"Renamed: this is now at {response['Location']}"
    followed = api_client.get(response["Location"])
    assert followed.status_code == 200 and followed.json()["id"] == quote.pk


def test_a_quote_renamed_in_the_admin_answers_its_old_urls_with_301(api_client, client, editor, article):
    quote = Quote.objects.get(slug=QUOTE)
    client.force_login(editor)
    data = change_form_data(client.get(change_url(quote)), slug="huang-digital-partner")
    response = client.post(change_url(quote), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    assert Quote.objects.get(pk=quote.pk).slug == "huang-digital-partner"

    page = client.get(f"/quotes/{QUOTE}/")
    assert (page.status_code, page["Location"]) == (301, "/quotes/huang-digital-partner/")
    response = api_client.get(f"/api/v1/quotes/{QUOTE}/")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/quotes/huang-digital-partner/")


def test_a_patch_to_an_old_slug_with_fields_the_new_url_refuses_is_a_400_not_a_308(
    api_client, editor, article
):
    rename_by_api(api_client, editor, "quotes", QUOTE, "ai-digital-partner")
    api_client.force_authenticate(editor)
    for body, field in (({"is_featured": []}, "is_featured"), ({"mood": "glad"}, "mood")):
        response = api_client.patch(f"/api/v1/quotes/{QUOTE}/", body, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [field]
    assert Quote.objects.get(slug="ai-digital-partner").is_featured is True  # nothing written


def test_writes_to_an_old_slug_answer_308_to_the_same_request_at_the_new_one(api_client, editor, article):
    rename_by_api(api_client, editor, "quotes", QUOTE, "ai-digital-partner")
    api_client.force_authenticate(editor)
    response = api_client.patch(f"/api/v1/quotes/{QUOTE}/", {"is_featured": False}, format="json")
    assert response.status_code == 308
    assert response["Location"] == "http://testserver/api/v1/quotes/ai-digital-partner/"
    assert "ai-digital-partner" in response.json()["message"]
    assert Quote.objects.get(slug="ai-digital-partner").is_featured is True  # nothing written
    # An action keeps its own path under the new slug.
    withdraw = api_client.post(f"/api/v1/quotes/{QUOTE}/withdraw/", {"note": "x"}, format="json")
    assert withdraw.status_code == 308
    assert withdraw["Location"] == "http://testserver/api/v1/quotes/ai-digital-partner/withdraw/"
    assert Quote.objects.get(slug="ai-digital-partner").withdrawn_at is None


def test_renames_chain_to_the_current_slug(api_client, client, editor, article):
    rename_by_api(api_client, editor, "quotes", QUOTE, "second-name")
    rename_by_api(api_client, editor, "quotes", "second-name", "third-name")
    for old in (QUOTE, "second-name"):
        assert client.get(f"/quotes/{old}/")["Location"] == "/quotes/third-name/"
        assert api_client.get(f"/api/v1/quotes/{old}/")["Location"].endswith("/api/v1/quotes/third-name/")
    # Back to a former name: it is live again and the others lead to it.
    rename_by_api(api_client, editor, "quotes", "third-name", QUOTE)
    assert client.get(f"/quotes/{QUOTE}/").status_code == 200
    for old in ("second-name", "third-name"):
        assert client.get(f"/quotes/{old}/")["Location"] == f"/quotes/{QUOTE}/"


def test_a_slug_taken_again_serves_the_new_object(api_client, client, editor, article):
    old = Quote.objects.get(slug=QUOTE)
    rename_by_api(api_client, editor, "quotes", QUOTE, "ai-digital-partner")
    new = factories.QuoteFactory(
        slug=QUOTE,
        coverage=article,
        text="Another quote.",
        anchor_exact=old.anchor_exact,
        anchor_prefix=old.anchor_prefix,
        anchor_suffix=old.anchor_suffix,
    )
    assert client.get(f"/quotes/{QUOTE}/").context["object"].pk == new.pk
    assert api_client.get(f"/api/v1/quotes/{QUOTE}/").json()["id"] == new.pk


def test_a_slug_a_draft_took_over_does_not_lead_readers_to_the_object_that_gave_it_up(
    api_client, client, editor, article
):
    old = Quote.objects.get(slug=QUOTE)
    rename_by_api(api_client, editor, "quotes", QUOTE, "ai-digital-partner")
    draft = factories.CoverageFactory(draft=True, dialogue=article.dialogue, source_text=old.anchor_exact)
    factories.QuoteFactory(slug=QUOTE, coverage=draft, anchor_exact=old.anchor_exact)
    # Readers see neither the draft nor a hint of it: a plain 404, no redirect.
    assert client.get(f"/quotes/{QUOTE}/").status_code == 404
    assert api_client.get(f"/api/v1/quotes/{QUOTE}/").status_code == 404


def test_a_drafts_old_slug_is_a_404_for_readers_and_a_301_for_staff(api_client, client, editor, coverage):
    # A draft readers never saw (coverage they saw and an Editor took down answers 410).
    Coverage.objects.filter(pk=coverage.pk).update(status=Coverage.Status.DRAFT, first_published_at=None)
    coverage.refresh_from_db()
    rename_by_api(api_client, editor, "coverage", coverage.slug, "renamed-draft")
    old = f"/coverage/{coverage.slug}/"
    api_old = f"/api/v1/coverage/{coverage.slug}/"
    assert client.get(old).status_code == 404
    assert client.get("/coverage/renamed-draft/").status_code == 404
    missing = api_client.get(api_old)
    assert missing.status_code == 404 and "renamed" not in str(missing.json()).lower()
    assert api_client.patch(api_old, {"title": "x"}, format="json").status_code in (401, 404)
    client.force_login(editor)
    api_client.force_authenticate(editor)
    assert client.get(old)["Location"] == "/coverage/renamed-draft/"
    assert api_client.get(api_old)["Location"].endswith("/api/v1/coverage/renamed-draft/")


def test_a_withdrawn_items_old_slug_leads_to_its_410(api_client, client, editor, article):
    rename_by_api(api_client, editor, "quotes", QUOTE, "ai-digital-partner")
    services.withdraw(item=Quote.objects.get(slug="ai-digital-partner"), by=editor, note="Misattributed.")
    assert client.get(f"/quotes/{QUOTE}/")["Location"] == "/quotes/ai-digital-partner/"
    assert client.get("/quotes/ai-digital-partner/").status_code == 410
    moved = api_client.get(f"/api/v1/quotes/{QUOTE}/")
    assert moved.status_code == 301
    gone = api_client.get(moved["Location"])
    assert gone.status_code == 410 and "Misattributed." in gone.json()["message"]


@pytest.mark.parametrize(
    ("resource", "model", "page"),
    [
        ("speakers", Speaker, "/speakers/{}/"),
        ("topics", Topic, "/topics/{}/"),
        ("coverage", Coverage, "/coverage/{}/"),
    ],
)
def test_every_slugged_page_and_resource_follows_a_rename(
    api_client, client, editor, article, resource, model, page
):
    obj = model.objects.published().first()
    body = {"correction_note": "Renamed."} if model is Coverage else {}
    rename_by_api(api_client, editor, resource, obj.slug, "a-new-name", **body)
    assert client.get(page.format(obj.slug))["Location"] == page.format("a-new-name")
    assert api_client.get(f"/api/v1/{resource}/{obj.slug}/")["Location"].endswith(f"/{resource}/a-new-name/")
    former = FormerSlug.objects.get(content_type=ContentType.objects.get_for_model(model), slug=obj.slug)
    assert former.object_id == obj.pk


def test_restoring_an_old_version_from_history_keeps_the_slug_it_replaces(client, editor, article):
    quote = Quote.objects.get(slug=QUOTE)
    quote.slug = "renamed-once"
    quote.save()
    quote.history.earliest().instance.save()  # as the admin's "revert" does, through save()
    assert Quote.objects.get(pk=quote.pk).slug == QUOTE
    assert client.get("/quotes/renamed-once/")["Location"] == f"/quotes/{QUOTE}/"


def test_id_in_list_detail_and_csv(api_client, article):
    quote = Quote.objects.get(slug=QUOTE)
    detail = api_client.get(f"/api/v1/quotes/{QUOTE}/").json()
    assert detail["id"] == quote.pk
    listed = {
        item["slug"]: item["id"]
        for item in api_client.get("/api/v1/quotes/", {"page_size": 200}).json()["results"]
    }
    assert listed[QUOTE] == quote.pk
    rows = list(
        csv.DictReader(
            io.StringIO(api_client.get("/api/v1/quotes/", {"format": "csv"}).content.decode("utf-8-sig"))
        )
    )
    assert {row["slug"]: row["id"] for row in rows}[QUOTE] == str(quote.pk)
    for resource in (
        "topics",
        "organizations",
        "speakers",
        "events",
        "dialogues",
        "coverage",
        "claims",
        "commentary",
    ):
        results = api_client.get(f"/api/v1/{resource}/").json()["results"]
        assert results, resource
        for item in results:
            assert isinstance(item["id"], int), resource
            assert api_client.get(item["url"]).json()["id"] == item["id"], resource


def test_the_id_url_answers_with_the_item_whatever_its_slug(api_client, editor, article):
    quote = Quote.objects.get(slug=QUOTE)
    before = api_client.get(f"/api/v1/quotes/id/{quote.pk}/")
    assert before.status_code == 200 and before.json()["slug"] == QUOTE
    rename_by_api(api_client, editor, "quotes", QUOTE, "ai-digital-partner")
    after = api_client.get(f"/api/v1/quotes/id/{quote.pk}/")
    assert after.status_code == 200
    assert after.json()["slug"] == "ai-digital-partner" and after.json()["id"] == quote.pk
    assert after.json() == api_client.get("/api/v1/quotes/ai-digital-partner/").json()
    assert api_client.get(f"/api/v1/claims/id/{quote.pk + 10_000}/").status_code == 404
    assert api_client.get("/api/v1/quotes/id/abc/").status_code == 404


def test_the_id_url_hides_drafts_and_answers_410_when_withdrawn(api_client, editor, article, coverage):
    draft_coverage = factories.CoverageFactory(
        draft=True, dialogue=coverage.dialogue, source_text=coverage.source_text
    )
    draft = factories.QuoteFactory(coverage=draft_coverage)
    assert api_client.get(f"/api/v1/quotes/id/{draft.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/coverage/id/{draft_coverage.pk}/").status_code == 404
    api_client.force_authenticate(editor)
    assert api_client.get(f"/api/v1/quotes/id/{draft.pk}/").json()["id"] == draft.pk
    api_client.force_authenticate(None)
    quote = Quote.objects.get(slug=QUOTE)
    services.withdraw(item=quote, by=editor, note="Misattributed.")
    assert api_client.get(f"/api/v1/quotes/id/{quote.pk}/").status_code == 410


def test_a_detail_page_costs_no_query_more(client, article, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/quotes/{QUOTE}/").status_code == 200
    assert not any("formerslug" in query["sql"] for query in queries.captured_queries)


def test_the_schema_documents_ids_and_renames(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    quote = schema["components"]["schemas"]["Quote"]["properties"]["id"]
    assert quote["readOnly"] is True and "never changes" in quote["description"]
    detail = schema["paths"]["/api/v1/quotes/{slug}/"]
    assert "Location" in detail["get"]["responses"]["301"]["headers"]
    assert "308" in detail["patch"]["responses"] and "308" in detail["delete"]["responses"]
    by_id = schema["paths"]["/api/v1/quotes/id/{id}/"]["get"]
    assert by_id["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Quote")
    assert by_id["parameters"][0]["schema"]["type"] == "integer"
    # Everything the slug URL takes, the id URL takes too, documented without redirects.
    for path, item in schema["paths"].items():
        if "{slug}" not in path or path.startswith("/api/v1/fact-sources/"):
            continue
        by_id = schema["paths"][path.replace("{slug}", "id/{id}")]
        assert set(by_id) == set(item), path
        for method, operation in by_id.items():
            assert not {"301", "308"} & set(operation["responses"]), (path, method)
            assert "`id`" in operation["description"], (path, method)


def test_a_renamed_speakers_feed_answers_301(api_client, client, editor, article):
    speaker = Speaker.objects.published().get(slug="huang-renxun")
    rename_by_api(api_client, editor, "speakers", speaker.slug, "jensen-huang")
    for suffix in ("rss", "atom"):
        response = client.get(f"/feeds/speakers/huang-renxun.{suffix}")
        assert (response.status_code, response["Location"]) == (301, f"/feeds/speakers/jensen-huang.{suffix}")
        assert b"digital partner" in client.get(response["Location"]).content
    assert client.get("/feeds/speakers/nobody.rss").status_code == 404


def test_a_slug_another_item_gave_up_is_refused_where_people_choose_slugs(
    api_client, client, editor, article
):
    """Links to an old slug lead to the item that gave it up: the API and the admin refuse it to
    any other item (one loaded raw is still served, above); the item itself may take it back."""
    rename_by_api(api_client, editor, "speakers", "huang-renxun", "jensen-huang")
    api_client.force_authenticate(editor)
    response = api_client.post(
        "/api/v1/speakers/", {"name": "Another Huang", "slug": "huang-renxun"}, format="json"
    )
    assert response.status_code == 400
    assert "links to it still lead there" in response.json()["errors"]["slug"][0]
    client.force_login(editor)
    form = client.post(
        "/admin/dialogues/speaker/add/",
        change_form_data(
            client.get("/admin/dialogues/speaker/add/"), name="Another Huang", slug="huang-renxun"
        ),
    )
    assert "links to it still lead there" in str(form.context["adminform"].form.errors["slug"])
    back = rename_by_api(api_client, editor, "speakers", "jensen-huang", "huang-renxun")
    assert back["slug"] == "huang-renxun"


def _former_slugs(model, obj_id):
    return set(
        FormerSlug.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=obj_id
        ).values_list("slug", flat=True)
    )


def test_former_slugs_go_with_their_object_however_it_is_deleted(api_client, client, editor, coverage):
    draft = factories.CoverageFactory(
        draft=True, dialogue=coverage.dialogue, source_text=coverage.source_text
    )
    by_api, by_admin, by_cascade = (factories.QuoteFactory(coverage=draft) for _ in range(3))
    for quote in (by_api, by_admin, by_cascade):
        old = quote.slug
        quote.slug = f"{old}-renamed"
        quote.save()
        assert _former_slugs(Quote, quote.pk) == {old}
    topic = factories.TopicFactory()
    topic_slug = topic.slug
    topic.slug = "renamed-topic"
    topic.save()

    api_client.force_authenticate(editor)
    assert api_client.delete(f"/api/v1/quotes/{by_api.slug}/").status_code == 204
    assert _former_slugs(Quote, by_api.pk) == set()
    client.force_login(editor)
    response = client.post(change_url(by_admin).replace("/change/", "/delete/"), {"post": "yes"})
    assert response.status_code == 302
    assert _former_slugs(Quote, by_admin.pk) == set()
    draft.delete()  # its quotes go with it
    assert _former_slugs(Quote, by_cascade.pk) == set()
    Topic.objects.filter(pk=topic.pk).delete()  # a bulk delete too
    assert _former_slugs(Topic, topic.pk) == set()
    # The slug is free again: nothing leads to the deleted topic any more.
    assert factories.TopicFactory(slug=topic_slug).full_clean() is None


def test_the_id_url_takes_every_write_the_slug_url_takes(api_client, editor, contributor, article):
    quote = Quote.objects.get(slug=QUOTE)
    rename_by_api(api_client, editor, "quotes", QUOTE, "ai-digital-partner")  # ids need no redirect
    url = f"/api/v1/quotes/id/{quote.pk}/"
    change = {"is_featured": False, "version": quote.current_version(), "correction_note": "Unfeatured."}
    assert api_client.patch(url, change, format="json").status_code in (401, 403)

    api_client.force_authenticate(contributor)  # the same policy: a proposal
    proposal = {**change, "text": "AI will become your “digital partner”."}
    del proposal["is_featured"]
    proposed = api_client.patch(url, proposal, format="json")
    assert proposed.status_code == 202, proposed.json()
    assert api_client.post(f"{url}withdraw/", {"note": "No."}, format="json").status_code == 403

    api_client.force_authenticate(editor)
    changed = api_client.patch(url, change, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["is_featured"] is False and changed.json()["slug"] == "ai-digital-partner"
    assert api_client.delete(url).status_code == 403  # published: withdrawn, never deleted
    withdrawn = api_client.post(f"{url}withdraw/", {"note": "Misattributed."}, format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawal_note"] == "Misattributed."

    topic = factories.TopicFactory()
    assert api_client.delete(f"/api/v1/topics/id/{topic.pk}/").status_code == 204
    assert not Topic.objects.filter(pk=topic.pk).exists()
    draft = factories.CoverageFactory(draft=True, dialogue=article.dialogue, source_text=article.source_text)
    published = api_client.post(f"/api/v1/coverage/id/{draft.pk}/publish/", {}, format="json")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert api_client.post(f"/api/v1/topics/id/{topic.pk}/", {}, format="json").status_code == 405


@pytest.mark.parametrize(
    ("model", "list_path", "parameter", "slug"),
    [
        (Speaker, "/api/v1/quotes/", "speaker", "huang-renxun"),
        (Speaker, "/api/v1/claims/", "claimant", "huang-renxun"),
        (Topic, "/api/v1/quotes/", "topic", "ai-and-humans"),
        (Dialogue, "/api/v1/claims/", "dialogue", "huang-renxun-wang-jian-chain-expo-2025"),
        (Event, "/api/v1/quotes/", "event", "chain-expo-2025"),
        (Coverage, "/api/v1/commentary/", "coverage", "huang-renxun-wang-jian-three-overlooked-insights"),
    ],
)
def test_a_filter_by_a_former_slug_follows_the_rename(api_client, article, model, list_path, parameter, slug):
    if (list_path, parameter) == ("/api/v1/claims/", "dialogue"):
        list_path = "/api/v1/quotes/"  # claims do not filter by dialogue
    before = api_client.get(list_path, {parameter: slug, "page_size": 200}).json()["results"]
    assert before
    obj = model.objects.get(slug=slug)
    obj.slug = "renamed-for-the-test"
    obj.save()
    after = api_client.get(list_path, {parameter: slug, "page_size": 200})
    assert after.status_code == 200, after.json()
    assert [item["id"] for item in after.json()["results"]] == [item["id"] for item in before]
    unknown = api_client.get(list_path, {parameter: "never-was-a-slug"})
    assert unknown.status_code == 400 and parameter in unknown.json()["errors"]


def test_a_former_slug_in_a_filter_hides_a_draft_from_readers(api_client, editor, coverage):
    draft = factories.CoverageFactory(
        draft=True, dialogue=coverage.dialogue, source_text=coverage.source_text
    )
    old = draft.slug
    draft.slug = "draft-renamed"
    draft.save()
    assert api_client.get("/api/v1/commentary/", {"coverage": old}).status_code == 400
    api_client.force_authenticate(editor)
    assert api_client.get("/api/v1/commentary/", {"coverage": old}).status_code == 200


def test_a_former_slug_in_a_filter_costs_one_query_on_a_miss_only(
    api_client, article, settings, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_ENABLED = False
    topic = Topic.objects.get(slug="ai-and-humans")
    topic.slug = "people-and-ai"
    topic.save()
    api_client.get("/api/v1/quotes/", {"topic": "people-and-ai"})  # the items' JSON is cached
    # Another query string, so the list is counted afresh, as it is for the former slug.
    with CaptureQueriesContext(connection) as current:
        api_client.get("/api/v1/quotes/", {"topic": "people-and-ai", "kind": ""})
    assert not any("formerslug" in query["sql"] for query in current.captured_queries)
    with django_assert_num_queries(len(current.captured_queries) + 1):
        api_client.get("/api/v1/quotes/", {"topic": "ai-and-humans"})


def _rename(model, slug):
    obj = model.objects.get(slug=slug)
    obj.slug = f"{slug}-renamed"
    obj.save()
    return obj.slug


def test_request_bodies_take_a_former_slug_and_answer_the_current_one(api_client, editor, article):
    """POST and PATCH bodies name related objects by a slug they had before a rename, as filters
    and URLs do (``SlugReferenceField``): a client's copy may hold the old slug."""
    from tests.api.test_api import QUOTE_PAYLOAD

    renamed = {
        "speakers": [_rename(Speaker, "huang-renxun"), "wang-jian"],
        "dialogue": _rename(Dialogue, QUOTE_PAYLOAD["dialogue"]),
        "coverage": _rename(Coverage, QUOTE_PAYLOAD["coverage"]),
        "topics": [_rename(Topic, "open-source")],
    }
    api_client.force_authenticate(editor)
    created = api_client.post("/api/v1/quotes/", QUOTE_PAYLOAD, format="json")
    assert created.status_code == 201, created.json()
    assert {name: created.json()[name] for name in renamed} == renamed

    topic = api_client.post("/api/v1/topics/", {"slug": "chips", "name": "Chips"}, format="json").json()[
        "slug"
    ]
    _rename(Topic, topic)
    quote = created.json()
    patched = api_client.patch(
        f"/api/v1/quotes/{quote['slug']}/", {"topics": ["chips"], "version": quote["version"]}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["topics"] == ["chips-renamed"]
    unknown = api_client.patch(
        f"/api/v1/quotes/{quote['slug']}/",
        {"topics": ["never-was"], "version": quote["version"]},
        format="json",
    )
    assert unknown.status_code == 400 and "topics" in unknown.json()["errors"]


def test_an_import_takes_a_former_dialogue_slug(api_client, editor, article):
    old = "huang-renxun-wang-jian-chain-expo-2025"
    current = _rename(Dialogue, old)
    api_client.force_authenticate(editor)
    text = 'Chips\n\n"Every robot will need a brain," Huang Renxun said.'
    response = api_client.post("/api/v1/imports/", {"text": text, "dialogue": old}, format="json")
    assert response.status_code == 201, response.json()
    assert Coverage.objects.get(slug=response.json()["coverage"]["slug"]).dialogue.slug == current
