import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from dialogues.api.filters import ClaimFilter
from dialogues.api.ordering import TieBreakingOrderingFilter
from dialogues.api.serializers import EDITORS_ONLY
from dialogues.api.views import QuoteViewSet
from dialogues.models import Claim, Coverage, Quote
from tests import factories

pytestmark = pytest.mark.django_db

QUOTE_PAYLOAD = {
    "slug": "new-quote",
    "text": "Both said open source matters.",
    "kind": "reported",
    "speakers": ["huang-renxun", "wang-jian"],
    "dialogue": "huang-renxun-wang-jian-chain-expo-2025",
    "coverage": "huang-renxun-wang-jian-three-overlooked-insights",
    "anchor": {
        "exact": "Open source is just a means; the essence is to seize control over downstream scenarios."
    },
    "topics": ["open-source"],
}


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_root_lists_every_resource(api_client, db):
    body = api_client.get("/api/v1/").json()
    assert set(body) == {
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
        "changes",
    }


def test_quote_embeds_speaker_names_and_anchor(api_client, article):
    body = api_client.get("/api/v1/quotes/huang-ai-digital-partner/").json()
    assert body["speaker_names"] == [{"slug": "huang-renxun", "name": "Huang Renxun"}]
    assert body["anchor"]["type"] == "TextQuoteSelector"
    # The speech only: the narration that attributes it is context, not what he said.
    assert body["anchor"]["exact"] == 'AI will become your "digital partner."'
    assert body["section"] == 2
    assert body["html_url"] == "http://testserver/quotes/huang-ai-digital-partner/"
    assert body["coverage"] == "huang-renxun-wang-jian-three-overlooked-insights"


def test_claim_carries_evidence_and_figures(api_client, article):
    body = api_client.get("/api/v1/claims/coreweave-market-value-tripled/").json()
    assert {f["unit"] for f in body["figures"]} == {"USD", "×"}
    body = api_client.get("/api/v1/claims/native-assistants-considerable-share/").json()
    assert body["evidence_sources"][0]["title"] == "QuestMobile 2025 AI Application Report"
    assert body["evidence_sources"][0]["publisher"] == "questmobile"


def test_coverage_has_sections_and_source_text(api_client, article):
    body = api_client.get(f"/api/v1/coverage/{article.slug}/").json()
    assert [s["number"] for s in body["sections"]] == [1, 2, 3]
    assert body["source_text"] == article.source_text


def test_speaker_with_aliases_and_affiliations(api_client, article):
    body = api_client.get("/api/v1/speakers/huang-renxun/").json()
    assert "Jensen Huang" in [a["name"] for a in body["aliases"]]
    assert body["affiliations"][0]["organization_name"] == "NVIDIA"


def test_commentary_body_is_rendered_safely(api_client, coverage):
    from dialogues.models import Commentary

    Commentary.objects.create(coverage=coverage, slug="c", title="C", body="**bold** <script>x()</script>")
    body = api_client.get("/api/v1/commentary/c/").json()
    assert "<strong>bold</strong>" in body["body_html"] and "<script>" not in body["body_html"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"speaker": "Jensen Huang"}, 3),
        ({"speaker": "huang-renxun"}, 3),
        ({"speaker": "王坚"}, 0),
        # Names in any letter case: an alias, and the published name.
        ({"speaker": "jensen HUANG"}, 3),
        ({"speaker": "WANG JIAN"}, 0),
        ({"topic": "ai-and-humans"}, 2),
        ({"kind": "paraphrase"}, 2),
        ({"event": "chain-expo-2025"}, 3),
        ({"dialogue": "huang-renxun-wang-jian-chain-expo-2025"}, 3),
        ({"date_after": "2025-07-17", "date_before": "2025-07-17"}, 3),
        ({"date_after": "2025-07-18"}, 0),
        ({"search": "digital partner"}, 1),
    ],
)
def test_quote_filters(api_client, article, query, expected):
    assert len(results(api_client.get("/api/v1/quotes/", query))) == expected


@pytest.mark.parametrize("name", ["Jensen Huang", "黄仁勋", "黃仁勳", "jensen huang"])
@pytest.mark.parametrize(("url", "model"), [("/api/v1/quotes/", Quote), ("/api/v1/claims/", Claim)])
def test_search_expands_speaker_aliases_as_site_search_does(api_client, article, name, url, model):
    his = set(model.objects.published().filter(speakers__slug="huang-renxun").values_list("slug", flat=True))
    found = {item["slug"] for item in results(api_client.get(url, {"search": name}))}
    assert his and his <= found
    # Text matches still count: a word in a quote's text finds it, whoever said it.
    assert len(results(api_client.get(url, {"search": "nobody-by-that-name"}))) == 0


def test_search_by_alias_keeps_its_query_count(api_client, article, django_assert_max_num_queries):
    api_client.get("/api/v1/quotes/", {"search": "Jensen Huang"})  # who the name means: once per generation
    with django_assert_max_num_queries(6):
        assert len(results(api_client.get("/api/v1/quotes/", {"search": "黄仁勋", "page_size": 2}))) == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "supported"}, 1),
        ({"kind": "prediction"}, 12),
        ({"claimant": "publication"}, 50),  # the first page of 62
        ({"claimant": "Jensen Huang"}, 2),
        ({"topic": "bioengineering"}, 5),
        ({"resolve_by_before": "2027-12-31"}, 1),
        ({"resolve_by_after": "2031-01-01"}, 1),
    ],
)
def test_claim_filters(api_client, article, query, expected):
    assert len(results(api_client.get("/api/v1/claims/", query))) == expected


@pytest.mark.parametrize(
    ("url", "param", "value"),
    [
        ("/api/v1/claims/", "status", "bogus"),
        ("/api/v1/claims/", "resolve_by_after", "not-a-date"),
        ("/api/v1/quotes/", "topic", "no-such-topic"),
        ("/api/v1/quotes/", "date_after", "2025-13-45"),
        ("/api/v1/coverage/", "published_after", "yesterday"),
        ("/api/v1/events/", "year", "2025.5"),
        ("/api/v1/quotes/", "page_size", "0"),
        ("/api/v1/quotes/", "page_size", "500"),
        ("/api/v1/quotes/", "page", "abc"),
    ],
)
def test_invalid_filter_values_are_400_naming_the_parameter(api_client, article, url, param, value):
    response = api_client.get(url, {param: value})
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Invalid input." and param in body["errors"]


def test_pagination_is_stable_and_capped(api_client, coverage, two_speakers):
    for n in range(7):
        factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]], slug=f"q{n}")
    first = api_client.get("/api/v1/quotes/", {"page_size": 3}).json()
    second = api_client.get("/api/v1/quotes/", {"page_size": 3, "page": 2}).json()
    assert first["count"] == 7 and first["next"]
    slugs = [q["slug"] for q in first["results"] + second["results"]]
    assert len(set(slugs)) == 6
    assert api_client.get("/api/v1/quotes/", {"page": 99}).status_code == 404


def test_drafts_are_invisible_to_anonymous_and_readers(api_client, reader, two_speakers):
    ada, _ = two_speakers
    draft = factories.CoverageFactory(
        draft=True, slug="draft-cov", dialogue=factories.DialogueFactory(speakers=[ada])
    )
    factories.QuoteFactory(coverage=draft, speakers=[ada], slug="draft-quote")
    factories.ClaimFactory(coverage=draft, slug="draft-claim")
    for client_user in (None, reader):
        api_client.force_authenticate(client_user)
        assert results(api_client.get("/api/v1/coverage/")) == []
        assert results(api_client.get("/api/v1/coverage/", {"status": "draft"})) == []
        assert results(api_client.get("/api/v1/quotes/")) == []
        assert results(api_client.get("/api/v1/claims/")) == []
        assert results(api_client.get("/api/v1/speakers/")) == []
        for url in (
            "/api/v1/coverage/draft-cov/",
            "/api/v1/quotes/draft-quote/",
            "/api/v1/claims/draft-claim/",
        ):
            assert api_client.get(url).status_code == 404
        assert "draft-quote" not in api_client.get("/api/v1/quotes/", {"format": "csv"}).content.decode()


def test_staff_see_drafts_and_filter_by_status(api_client, editor, two_speakers):
    factories.CoverageFactory(draft=True, slug="draft-cov")
    factories.CoverageFactory(slug="live-cov")
    api_client.force_authenticate(editor)
    assert [c["slug"] for c in results(api_client.get("/api/v1/coverage/", {"status": "draft"}))] == [
        "draft-cov"
    ]


def test_contributor_writes_a_quote_and_the_anchor_is_filled_in(api_client, contributor, article):
    # In review and never seen by readers (once seen, a Contributor's addition is a proposal).
    Coverage.objects.filter(pk=article.pk).update(status=Coverage.Status.IN_REVIEW, first_published_at=None)
    api_client.force_authenticate(contributor)
    response = api_client.post("/api/v1/quotes/", QUOTE_PAYLOAD, format="json")
    assert response.status_code == 201, response.json()
    quote = Quote.objects.get(slug="new-quote")
    assert quote.anchor_prefix.endswith("platform-level ecosystems.\n\n")
    assert quote.anchor_suffix.startswith("\n\nIn the era of AI")
    assert quote.history.first().history_user == contributor


def test_token_authentication_writes(api_client, editor, article):
    token = Token.objects.create(user=editor)
    response = api_client.post(
        "/api/v1/quotes/", QUOTE_PAYLOAD, format="json", HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"anchor": {"exact": "Never said."}}, "anchor_exact", "does not occur"),
        ({"anchor": {"exact": "open source"}}, "anchor_exact", "times"),
        ({"speakers": ["nobody"]}, "speakers", "does not exist"),
        ({"kind": "shouted"}, "kind", "not a valid choice"),
        ({"text": "bad\x08char"}, "text", "U+0008"),
        ({"text": 0}, "text", "Not a valid string"),
        ({"slug": "x" * 121}, "slug", "no more than 120"),
        ({"txet": "typo"}, "txet", "Unknown field"),
        ({"text": "\x85 trimmed away?"}, "text", "U+0085"),
        ({"slug": "huang-ai-digital-partner"}, "slug", "already exists"),
    ],
)
def test_bad_writes_are_400_with_field_messages_and_save_nothing(
    api_client, editor, article, change, field, message
):
    api_client.force_authenticate(editor)
    before = Quote.objects.count()
    response = api_client.post("/api/v1/quotes/", {**QUOTE_PAYLOAD, **change}, format="json")
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    flat = str(errors.get(field) or errors.get("anchor") or errors)
    assert message in flat, errors
    assert Quote.objects.count() == before


def test_quote_speakers_must_be_participants_in_api(api_client, editor, article):
    factories.SpeakerFactory(slug="outsider", name="Outsider")
    api_client.force_authenticate(editor)
    response = api_client.post("/api/v1/quotes/", {**QUOTE_PAYLOAD, "speakers": ["outsider"]}, format="json")
    assert response.status_code == 400
    assert "Not a participant" in str(response.json()["errors"]["speakers"])


def test_supported_claim_needs_evidence_in_api(api_client, editor, article):
    api_client.force_authenticate(editor)
    response = api_client.patch(
        "/api/v1/claims/coreweave-market-value-tripled/",
        {"status": "supported", "checked_on": "2026-01-01", "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]
    assert Claim.objects.get(slug="coreweave-market-value-tripled").status == "unverified"


@pytest.mark.parametrize("role", ["anonymous", "reader"])
def test_readers_cannot_write(api_client, reader, article, role):
    if role == "reader":
        api_client.force_authenticate(reader)
    response = api_client.post("/api/v1/quotes/", QUOTE_PAYLOAD, format="json")
    assert response.status_code == (401 if role == "anonymous" else 403)
    assert response.json()["status"] == response.status_code
    assert api_client.delete("/api/v1/quotes/huang-ai-digital-partner/").status_code in (401, 403)
    assert Quote.objects.filter(slug="huang-ai-digital-partner").exists()


def test_only_editors_publish(api_client, contributor, editor, two_speakers):
    draft = factories.CoverageFactory(draft=True, slug="to-publish")
    api_client.force_authenticate(contributor)
    assert api_client.post("/api/v1/coverage/to-publish/publish/").status_code == 403
    response = api_client.patch(
        "/api/v1/coverage/to-publish/",
        {"status": "published", "publish_at": "2020-01-01T00:00:00Z"},
        format="json",
    )
    assert response.status_code == 400 and "status" in response.json()["errors"]
    draft.refresh_from_db()
    assert draft.status == "draft"
    api_client.force_authenticate(editor)
    response = api_client.post("/api/v1/coverage/to-publish/publish/")
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert Coverage.objects.published().filter(slug="to-publish").exists()
    assert api_client.post("/api/v1/coverage/to-publish/unpublish/").status_code == 400  # readers saw it
    unpublish = api_client.post(
        "/api/v1/coverage/to-publish/unpublish/", {"correction_note": "Taken down for review."}, format="json"
    )
    assert unpublish.json()["status"] == "draft"


@pytest.mark.parametrize("body", [[], ["note"], "a note", 7])
def test_a_workflow_step_refuses_a_body_that_is_not_an_object(api_client, editor, two_speakers, body):
    """Found by the API fuzzer: ``[]`` was read as "no body" and unpublished coverage readers
    had seen, without its note. Only an absent body means no note."""
    factories.CoverageFactory(draft=False, slug="seen")
    api_client.force_authenticate(editor)
    response = api_client.post("/api/v1/coverage/seen/unpublish/", body, format="json")
    assert response.status_code == 400
    assert Coverage.objects.published().filter(slug="seen").exists()
    factories.CoverageFactory(draft=True, slug="unseen")
    assert api_client.post("/api/v1/coverage/unseen/publish/", body, format="json").status_code == 400
    assert not Coverage.objects.published().filter(slug="unseen").exists()


@pytest.mark.parametrize("method", ["post", "patch"])
def test_editorial_fields_are_refused_by_the_one_rule(api_client, contributor, two_speakers, method):
    """The API refuses what ``editorial_fields`` names, every such field with the same message,
    on create and on change alike: there is no second copy of the rule for ``status``."""
    from dialogues.permissions import editorial_fields

    draft = factories.CoverageFactory(draft=True, slug="own-draft", created_by=contributor)
    api_client.force_authenticate(contributor)
    editorial = {"status": "published", "publish_at": "2020-01-01T00:00:00Z"}
    assert set(editorial) == editorial_fields(contributor, Coverage) - {"created_by"}  # not in the API
    if method == "post":
        body = {
            "slug": "new-coverage",
            "title": "New",
            "dialogue": draft.dialogue.slug,
            "source_text": "Words.",
            **editorial,
        }
        response = api_client.post("/api/v1/coverage/", body, format="json")
    else:
        response = api_client.patch("/api/v1/coverage/own-draft/", editorial, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {name: [EDITORS_ONLY] for name in editorial}
    assert not Coverage.objects.filter(status="published").exists()


def test_contributor_cannot_delete(api_client, contributor, article):
    api_client.force_authenticate(contributor)
    assert api_client.delete("/api/v1/quotes/huang-ai-digital-partner/").status_code == 403


def test_deleting_something_in_use_is_a_409(api_client, editor, article):
    api_client.force_authenticate(editor)
    response = api_client.delete("/api/v1/organizations/questmobile/")
    assert response.status_code == 409
    assert "QuestMobile 2025 AI Application Report" in response.json()["message"]


def test_error_shape_for_404_405_and_unknown_api_paths(api_client, editor, article):
    api_client.force_authenticate(editor)
    for url, method, code in [
        ("/api/v1/quotes/nope/", "get", 404),
        ("/api/v1/quotes/huang-ai-digital-partner/", "put", 405),
        ("/api/v1/nothing-here/", "get", 404),
    ]:
        response = getattr(api_client, method)(url)
        assert response.status_code == code
        body = response.json()
        assert body["status"] == code and body["message"]


def test_non_json_bodies_are_415(api_client, editor, article):
    api_client.force_authenticate(editor)
    response = api_client.post(
        "/api/v1/topics/", "slug=x&name=y", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


def test_csv_export_of_quotes_and_claims(api_client, article):
    response = api_client.get("/api/v1/quotes/", {"format": "csv", "speaker": "Jensen Huang"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == Quote.objects.filter(speakers__slug="huang-renxun").count() == 3
    assert {"slug", "text", "kind", "speakers", "anchor.exact"} <= set(rows[0])
    claims = list(
        csv.DictReader(io.StringIO(api_client.get("/api/v1/claims/", {"format": "csv"}).content.decode()))
    )
    assert len(claims) == Claim.objects.count()
    coreweave = next(r for r in claims if r["slug"] == "coreweave-market-value-tripled")
    assert "Market value" in coreweave["figures"]


# Quotes, claims and commentary read their page as keys first, then the rows of the items not
# cached yet: one query more when nothing is cached, and far fewer once the items are
# (``test_cached_list_items_cost_one_query``).
@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/api/v1/quotes/", 7),
        # One more to see that the speaker is one readers may know of (kept per generation).
        ("/api/v1/quotes/?speaker=Jensen Huang", 8),
        ("/api/v1/claims/", 7),
        ("/api/v1/claims/?status=supported&claimant=huang-renxun", 7),
        ("/api/v1/speakers/", 6),
        ("/api/v1/coverage/", 6),
        ("/api/v1/commentary/", 7),
        ("/api/v1/dialogues/", 6),
        ("/api/v1/topics/", 6),
        ("/api/v1/events/", 6),
        ("/api/v1/organizations/", 6),
    ],
)
def test_api_list_queries_do_not_grow_with_rows(
    api_client, article, django_assert_max_num_queries, url, budget
):
    with CaptureQueriesContext(connection) as first:
        results(api_client.get(url))
    assert len(first.captured_queries) <= budget
    ada, bo = article.dialogue.speakers.all()
    for n in range(12):
        quote = factories.QuoteFactory(
            coverage=article, speakers=[ada, bo], anchor_exact="AI will become your", slug=f"more-{n}"
        )
        quote.topics.set(article.topics.all())
        factories.ClaimFactory(
            coverage=article, anchor_exact="CoreWeave", anchor_suffix="'s market", slug=f"claim-{n}"
        )
        factories.SpeakerFactory(slug=f"speaker-more-{n}")
        factories.OrganizationFactory()
        factories.TopicFactory()
    with django_assert_max_num_queries(len(first.captured_queries)):
        results(api_client.get(url))


@pytest.mark.parametrize(
    "url", ["/api/v1/quotes/?speaker=Jensen Huang", "/api/v1/claims/?status=supported", "/api/v1/commentary/"]
)
def test_cached_list_items_cost_one_query(api_client, article, settings, url):
    settings.PAGE_CACHE_ENABLED = False  # the API's own cache of whole anonymous responses
    first = results(api_client.get(url))
    with CaptureQueriesContext(connection) as again:
        second = results(api_client.get(url))
    assert second == first and len(first) > 0
    # The page's keys and versions; the count and the speaker's ids are kept per generation.
    assert len(again.captured_queries) == 1, [q["sql"] for q in again.captured_queries]
    item = models_by_url(url).objects.get(slug=first[0]["slug"])
    item.save()  # a new version: its item is rendered afresh, the others still come cached
    with CaptureQueriesContext(connection) as edited:
        third = results(api_client.get(url))
    assert third[0]["version"] == first[0]["version"] + 1 and third[1:] == first[1:]
    # A new generation: the speaker's visibility is looked up again with the rows.
    assert 1 < len(edited.captured_queries) <= (8 if "speaker=" in url else 7)


def models_by_url(url):
    from dialogues.models import Commentary

    return {"quotes": Quote, "claims": Claim, "commentary": Commentary}[url.split("/")[3]]


def test_contributor_cannot_change_published_coverage_or_its_contents(api_client, contributor, article):
    """Their changes wait for an Editor as proposals (202); featuring is refused outright."""
    from dialogues.models import Proposal, Quote

    api_client.force_authenticate(contributor)
    response = api_client.post("/api/v1/quotes/", QUOTE_PAYLOAD, format="json")
    assert response.status_code == 202, response.json()
    assert not Quote.objects.filter(slug=QUOTE_PAYLOAD["slug"]).exists()
    featured = Quote.objects.get(slug="huang-ai-digital-partner").is_featured
    response = api_client.patch(
        "/api/v1/quotes/huang-ai-digital-partner/", {"is_featured": not featured, "version": 1}, format="json"
    )
    assert response.status_code == 400 and "is_featured" in response.json()["errors"]
    body = {"dek": "Changed.", "correction_note": "Shortened the standfirst.", "version": 1}
    response = api_client.patch(f"/api/v1/coverage/{article.slug}/", body, format="json")
    assert response.status_code == 202
    assert response.json()["id"] == Proposal.objects.get(object_id=article.pk).pk
    article.refresh_from_db()
    assert article.dek.startswith("From the evolution")


def test_published_wording_changes_need_a_correction_note_in_the_api_too(api_client, editor, article):
    api_client.force_authenticate(editor)
    url = "/api/v1/quotes/huang-ai-digital-partner/"
    response = api_client.patch(
        url, {"text": "AI will be your digital partner.", "version": 1}, format="json"
    )
    assert response.status_code == 400 and "correction_note" in response.json()["errors"]
    response = api_client.patch(
        url,
        {
            "text": "AI will be your digital partner.",
            "correction_note": "Simplified the quotation marks.",
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 200
    assert [c["note"] for c in response.json()["corrections"]] == ["Simplified the quotation marks."]
    not_a_correction = {"is_featured": False, "version": 2}
    assert api_client.patch(url, not_a_correction, format="json").status_code == 200


def test_stale_version_is_a_409_not_an_overwrite(api_client, editor, article):
    api_client.force_authenticate(editor)
    url = "/api/v1/claims/coreweave-market-value-tripled/"
    version = api_client.get(url).json()["version"]
    first = {"check_note": "First.", "version": version, "correction_note": "Noted the check."}
    assert api_client.patch(url, first, format="json").status_code == 200
    second = {"check_note": "Second.", "version": version, "correction_note": "Noted again."}
    response = api_client.patch(url, second, format="json")
    assert response.status_code == 409
    assert Claim.objects.get(slug="coreweave-market-value-tripled").check_note == "First."


def test_dialogues_filter_by_format(api_client, article):
    assert len(results(api_client.get("/api/v1/dialogues/", {"dialogue_format": "fireside_chat"}))) == 1
    assert results(api_client.get("/api/v1/dialogues/", {"dialogue_format": "panel"})) == []


def test_partial_update_response_keeps_the_anchor_type(api_client, editor, article):
    api_client.force_authenticate(editor)
    body = api_client.patch(
        "/api/v1/quotes/huang-ai-digital-partner/", {"is_featured": False, "version": 1}, format="json"
    ).json()
    assert body["anchor"]["type"] == "TextQuoteSelector"


def test_filter_errors_do_not_confirm_unpublished_slugs(api_client, two_speakers):
    draft = factories.CoverageFactory(draft=True, slug="secret-draft")
    unknown = api_client.get("/api/v1/commentary/", {"coverage": "no-such-thing"})
    hidden = api_client.get("/api/v1/commentary/", {"coverage": "secret-draft"})
    assert unknown.status_code == hidden.status_code == 400
    assert unknown.json()["errors"] == hidden.json()["errors"]
    hidden_event = api_client.get("/api/v1/quotes/", {"event": draft.dialogue.event.slug})
    assert hidden_event.status_code == 400


def test_dialogue_and_event_filters_see_what_the_requester_sees(api_client, editor, two_speakers):
    draft = factories.CoverageFactory(draft=True)
    factories.QuoteFactory(coverage=draft, speakers=[two_speakers[0]], slug="draft-words")
    for param, slug in (("dialogue", draft.dialogue.slug), ("event", draft.dialogue.event.slug)):
        hidden = api_client.get("/api/v1/quotes/", {param: slug})
        unknown = api_client.get("/api/v1/quotes/", {param: "no-such-thing"})
        assert hidden.status_code == unknown.status_code == 400
        assert hidden.json()["errors"] == unknown.json()["errors"]
        assert "valid choice" in str(hidden.json()["errors"][param])
    api_client.force_authenticate(editor)
    for param, slug in (("dialogue", draft.dialogue.slug), ("event", draft.dialogue.event.slug)):
        assert [q["slug"] for q in results(api_client.get("/api/v1/quotes/", {param: slug}))] == [
            "draft-words"
        ]
    # The editor's view of drafts stays with the editor.
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/quotes/", {"dialogue": draft.dialogue.slug}).status_code == 400


def test_csv_export_still_rejects_a_bad_page_size_in_json(api_client, article):
    response = api_client.get("/api/v1/quotes/", {"format": "csv", "page_size": "6.1"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "page_size" in response.json()["errors"]


def test_each_filter_set_has_filters_of_its_own():
    first, second = ClaimFilter({}), ClaimFilter({})
    assert first.filters["status"] is not second.filters["status"]
    for filterset in (first, second):
        claimant = filterset.filters["claimant"]
        # A method filter looks its method up on its own filter set, through its own copy.
        assert claimant.parent is filterset and claimant.filter.f is claimant


def test_an_ordering_that_can_tie_ends_with_the_primary_key(api_client, article):
    def ordering(query):
        request = Request(APIRequestFactory().get("/api/v1/quotes/", query))
        return TieBreakingOrderingFilter().get_ordering(request, Quote.objects.all(), QuoteViewSet())

    assert ordering({"ordering": "-held_on"}) == ["-dialogue__held_on", "pk"]
    assert ordering({"ordering": "-added"}) == ["-pk"]
    assert ordering({}) == ["pk"]
    # Every quote of the article ties on its dialogue's date: page by page, each comes once.
    published = list(Quote.objects.published().order_by("pk").values_list("slug", flat=True))
    paged = [
        results(api_client.get("/api/v1/quotes/", {"ordering": "-held_on", "page_size": 1, "page": n}))[0][
            "slug"
        ]
        for n in range(1, len(published) + 1)
    ]
    assert paged == published


def test_a_pasted_passage_is_stored_as_the_source_has_it_with_its_section_and_a_short_slug(
    api_client, editor, article
):
    api_client.force_authenticate(editor)
    payload = {k: v for k, v in QUOTE_PAYLOAD.items() if k != "slug"}
    payload["text"] = (
        "As Huang Renxun said, AI will become your digital partner, for every enterprise and developer"
    )
    payload["anchor"] = {
        "exact": "far from being finalized. As Huang Renxun said, AI will become your “digital partner.”"
    }
    response = api_client.post("/api/v1/quotes/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["anchor"]["exact"] == (
        'far from being finalized.\n\nAs Huang Renxun said, AI will become your "digital partner."'
    )
    assert body["section"] == 2
    assert body["slug"] == "as-huang-renxun-said-ai-will-become-your-digital-partner-for"


def test_a_typo_in_the_api_names_the_closest_passage(api_client, editor, article):
    api_client.force_authenticate(editor)
    payload = {**QUOTE_PAYLOAD, "anchor": {"exact": "AI will become your “digitl partner.”"}}
    response = api_client.post("/api/v1/quotes/", payload, format="json")
    assert response.status_code == 400
    message = str(response.json()["errors"]["anchor_exact"])
    assert "The closest passage, in section 02 Three Key Propositions" in message
    assert 'AI will become your "digital partner."' in message


def test_a_topic_shows_its_aliases_and_is_searched_by_them(api_client, article):
    """As a speaker's: read-only, edited in the admin; ``?search=`` matches them once each."""
    topic = api_client.get("/api/v1/topics/open-source/").json()
    assert topic["aliases"] == [{"name": "开源", "language": "zh-Hans", "note": "Chinese name"}]
    assert [t["slug"] for t in results(api_client.get("/api/v1/topics/", {"search": "开源"}))] == [
        "open-source"
    ]
    assert api_client.get("/api/v1/topics/ai-and-humans/").json()["aliases"] == []


def test_a_contributor_submits_their_draft_for_review_through_the_api(
    api_client, contributor, editor, two_speakers
):
    """The API had publish and unpublish for Editors but no way for the draft's author to hand
    it to them: every API-only workflow stopped at "submit it for review"."""
    from dialogues.models import Coverage
    from tests import factories

    factories.CoverageFactory(draft=True, created_by=contributor, slug="mine")
    theirs = factories.CoverageFactory(draft=True, created_by=editor, slug="theirs")
    api_client.force_authenticate(contributor)
    response = api_client.post("/api/v1/coverage/mine/submit/")
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    assert Coverage.objects.get(slug="mine").status == "in_review"
    refused = api_client.post("/api/v1/coverage/theirs/submit/")
    assert refused.status_code == 403 and "another contributor" in refused.json()["message"]
    assert Coverage.objects.get(pk=theirs.pk).status == "draft"
    api_client.force_authenticate(editor)
    published = api_client.post("/api/v1/coverage/mine/publish/")
    assert published.status_code == 200
    again = api_client.post("/api/v1/coverage/mine/submit/")
    assert again.status_code == 400 and "unpublish it first" in str(again.json()["errors"])
    api_client.force_authenticate(None)
    assert api_client.post("/api/v1/coverage/mine/submit/").status_code in (401, 403)


@pytest.mark.parametrize(("resource", "model"), [("quotes", Quote), ("claims", Claim)])
def test_quotes_and_claims_filter_by_their_coverage(api_client, article, two_speakers, resource, model):
    """ "The quotes of this article" had no filter: ``?coverage=`` was ignored (every item came
    back) where commentary's is a 400 for a slug readers may not see."""
    from tests import factories

    other = factories.CoverageFactory(dialogue=article.dialogue, slug="other-article")
    factories.QuoteFactory(coverage=other, speakers=[article.dialogue.participants.first().speaker])
    factories.ClaimFactory(coverage=other)
    listed = api_client.get(f"/api/v1/{resource}/", {"coverage": article.slug, "page_size": 200}).json()
    expected = set(model.objects.published().filter(coverage=article).values_list("slug", flat=True))
    assert listed["count"] == len(expected) and {item["slug"] for item in listed["results"]} == expected
    assert api_client.get(f"/api/v1/{resource}/", {"coverage": "other-article"}).json()["count"] == 1
    draft = factories.CoverageFactory(dialogue=article.dialogue, draft=True, slug="a-draft")
    for slug in ("no-such-article", draft.slug):
        refused = api_client.get(f"/api/v1/{resource}/", {"coverage": slug})
        assert refused.status_code == 400 and "coverage" in refused.json()["errors"]
