"""Published quotes, claims and commentary are withdrawn, never deleted: their URL answers 410 with the date
and note, they leave every list, and the article's corrections list the withdrawal
(/work/shared/POLICY.md)."""

import pytest
from django.utils import timezone

from dialogues import services
from dialogues.models import Claim, Commentary, Coverage, Quote
from dialogues.newsroom import newsroom_zone
from tests import factories
from tests.conftest import ARTICLE

QUOTE = "huang-ai-digital-partner"
CLAIM = "coreweave-market-value-tripled"
COMMENTARY = "training-moves-to-post-training"
# Each kind of published item that is withdrawn instead of deleted, with its API path.
API_ITEMS = [(Quote, QUOTE, "quotes"), (Claim, CLAIM, "claims"), (Commentary, COMMENTARY, "commentary")]
ARTICLE_URL = f"/coverage/{ARTICLE}/"


def local(moment):
    """``moment`` as readers' pages print it: in the newsroom's zone (``NewsroomTimeZoneMiddleware``)."""
    return timezone.localtime(moment, newsroom_zone())


def _withdraw(model, slug, editor, note):
    return services.withdraw(item=model.objects.get(slug=slug), by=editor, note=note)


@pytest.mark.parametrize(("model", "slug", "path"), [(Quote, QUOTE, "quotes"), (Claim, CLAIM, "claims")])
def test_a_withdrawn_items_page_answers_410_with_date_and_note(client, editor, article, model, slug, path):
    item = _withdraw(model, slug, editor, "Misattributed: another panellist said this.")
    response = client.get(f"/{path}/{slug}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "Misattributed: another panellist said this." in page
    assert local(item.withdrawn_at).strftime("%-d %B %Y") in page
    assert f'datetime="{local(item.withdrawn_at).isoformat()}"' in page
    assert article.get_absolute_url() in page


@pytest.mark.parametrize(("model", "slug", "path"), [(Quote, QUOTE, "quotes"), (Claim, CLAIM, "claims")])
def test_staff_still_see_a_withdrawn_item_marked_withdrawn(client, editor, article, model, slug, path):
    _withdraw(model, slug, editor, "Misattributed.")
    client.force_login(editor)
    response = client.get(f"/{path}/{slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<strong>Withdrawn</strong>" in page and "Misattributed." in page


def test_an_unknown_slug_is_still_404(client, article):
    assert client.get("/quotes/no-such-quote/").status_code == 404


@pytest.mark.parametrize(("model", "slug", "path"), API_ITEMS)
def test_the_api_detail_answers_410_in_the_error_shape(api_client, editor, article, model, slug, path):
    item = _withdraw(model, slug, editor, "Misattributed.")
    response = api_client.get(f"/api/v1/{path}/{slug}/")
    assert response.status_code == 410
    body = response.json()
    assert body["status"] == 410 and body["errors"] == {}
    assert "Misattributed." in body["message"] and item.withdrawn_at.date().isoformat() in body["message"]
    # What happened to the item is data beside the message, as the item's own JSON names it.
    assert body["withdrawn_at"] == item.withdrawn_at.isoformat().replace("+00:00", "Z")
    assert body["withdrawal_note"] == "Misattributed."
    assert set(body) == {"message", "status", "errors", "withdrawn_at", "withdrawal_note"}
    api_client.force_authenticate(editor)
    staff = api_client.get(f"/api/v1/{path}/{slug}/")
    assert staff.status_code == 200 and staff.json()["withdrawal_note"] == "Misattributed."


def test_withdrawn_items_leave_the_article_lists_feeds_search_and_sitemaps(client, editor, article):
    quote = Quote.objects.get(slug=QUOTE)
    claim = Claim.objects.get(slug=CLAIM)
    claims_list = f"/claims/?status={claim.status}&kind={claim.kind}"  # its page of the list
    before = {
        url: client.get(url).content.decode()
        for url in [ARTICLE_URL, "/quotes/", claims_list, "/search/?q=AI", "/sitemap.xml"]
    }
    assert f"quote-{QUOTE}" in before[ARTICLE_URL] and f"/claims/{CLAIM}/" in before[ARTICLE_URL]
    services.withdraw(item=quote, by=editor, note="Misattributed.")
    services.withdraw(item=claim, by=editor, note="Figure unsupported.")
    article_page = client.get(ARTICLE_URL).content.decode()
    assert f"quote-{QUOTE}" not in article_page and f"/quotes/{QUOTE}/" not in article_page
    assert f"/claims/{CLAIM}/" not in article_page
    assert f"/quotes/{QUOTE}/" in before["/quotes/"]
    assert f"/quotes/{QUOTE}/" not in client.get("/quotes/").content.decode()
    assert f"/claims/{CLAIM}/" in before[claims_list]
    assert f"/claims/{CLAIM}/" not in client.get(claims_list).content.decode()
    assert f"/quotes/{QUOTE}/" in before["/search/?q=AI"]
    assert f"/quotes/{QUOTE}/" not in client.get("/search/?q=AI").content.decode()
    assert f"/quotes/{QUOTE}/" in before["/sitemap.xml"]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/quotes/{QUOTE}/" not in sitemap and f"/claims/{CLAIM}/" not in sitemap
    for speaker in quote.speakers.all():
        feed = client.get(f"/feeds/speakers/{speaker.slug}.rss").content.decode()
        assert f"/quotes/{QUOTE}/" not in feed
    assert not Quote.objects.published().filter(pk=quote.pk).exists()
    # Staff previewing the article still see the withdrawn items, marked withdrawn.
    client.force_login(editor)
    staff_page = client.get(ARTICLE_URL).content.decode()
    assert f"quote-{QUOTE}" in staff_page and f"/claims/{CLAIM}/" in staff_page
    assert staff_page.count("<strong>Withdrawn</strong>") == 2


def test_the_article_lists_withdrawals_with_its_corrections_and_shows_updated(client, editor, article):
    page = client.get(ARTICLE_URL).content.decode()
    assert "Updated" not in page
    first = Coverage.objects.get(pk=article.pk).first_published
    assert f'datetime="{local(first).isoformat()}"' in page
    claim = _withdraw(Claim, CLAIM, editor, "Figure unsupported by the filing.")
    page = client.get(ARTICLE_URL).content.decode()
    corrections = page[page.index('id="corrections-heading"') :]
    assert "<strong>Claim withdrawn.</strong> Figure unsupported by the filing." in corrections
    assert f'datetime="{local(claim.withdrawn_at).isoformat()}"' in corrections
    assert f'class="updated" datetime="{local(claim.withdrawn_at).isoformat()}"' in page
    assert f'class="published" datetime="{local(first).isoformat()}"' in page  # first publication stays


# --- Never deleted: the admin and the API refuse and point to withdraw ---------------------


@pytest.mark.parametrize(("model", "slug", "path"), API_ITEMS)
def test_the_api_refuses_to_delete_published_items_even_for_editors(
    api_client, editor, article, model, slug, path
):
    api_client.force_authenticate(editor)
    response = api_client.delete(f"/api/v1/{path}/{slug}/")
    assert response.status_code == 403
    assert "withdraw" in response.json()["message"]
    assert model.objects.filter(slug=slug).exists()


@pytest.mark.parametrize(("model", "slug", "path"), API_ITEMS)
def test_editors_withdraw_through_the_api_contributors_may_not(
    api_client, editor, contributor, article, model, slug, path
):
    url = f"/api/v1/{path}/{slug}/withdraw/"
    api_client.force_authenticate(contributor)
    refused = api_client.post(url, {"note": "Misattributed."}, format="json")
    assert refused.status_code == 403 and model.objects.get(slug=slug).withdrawn_at is None
    api_client.force_authenticate(editor)
    no_note = api_client.post(url, {}, format="json")
    assert no_note.status_code == 400 and "note" in no_note.json()["errors"]
    done = api_client.post(url, {"note": "Misattributed."}, format="json")
    assert done.status_code == 200 and done.json()["withdrawal_note"] == "Misattributed."
    item = model.objects.get(slug=slug)
    assert item.withdrawn_at is not None and item.withdrawal_note == "Misattributed."
    assert api_client.post(url, {"note": "Again."}, format="json").status_code == 400


def test_the_withdraw_action_is_in_the_openapi_schema(api_client):
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("quotes", "claims", "commentary"):
        operation = schema["paths"][f"/api/v1/{path}/{{slug}}/withdraw/"]["post"]
        assert "Withdraw" in operation["summary"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["required"] == ["note"]


def _changelist(model):
    return f"/admin/dialogues/{model._meta.model_name}/"


@pytest.mark.parametrize(("model", "slug"), [(Quote, QUOTE), (Claim, CLAIM), (Commentary, COMMENTARY)])
def test_the_admin_refuses_to_delete_published_items(client, editor, article, model, slug):
    item = model.objects.get(slug=slug)
    client.force_login(editor)
    assert client.post(f"{_changelist(model)}{item.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        _changelist(model),
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
        follow=True,
    )
    assert model.objects.filter(pk=item.pk).exists()
    assert "withdraw it with a public note instead" in response.content.decode()


def test_the_admin_bulk_delete_still_deletes_drafts(client, editor, db):
    draft_quote = factories.QuoteFactory(coverage=factories.CoverageFactory(draft=True))
    assert not draft_quote.coverage.was_published
    client.force_login(editor)
    client.post(
        _changelist(Quote), {"action": "delete_selected", "_selected_action": [draft_quote.pk], "post": "yes"}
    )
    assert not Quote.objects.filter(pk=draft_quote.pk).exists()


@pytest.mark.parametrize(("model", "slug"), [(Quote, QUOTE), (Claim, CLAIM), (Commentary, COMMENTARY)])
def test_the_admin_withdraw_action_asks_for_a_note(client, editor, contributor, article, model, slug):
    item = model.objects.get(slug=slug)
    selected = {"action": "withdraw", "_selected_action": [item.pk]}
    client.force_login(contributor)
    response = client.post(_changelist(model), selected, follow=True)
    assert model.objects.get(pk=item.pk).withdrawn_at is None  # not an action Contributors have
    client.force_login(editor)
    form = client.post(_changelist(model), selected)
    assert form.status_code == 200 and 'name="note"' in form.content.decode()
    empty = client.post(_changelist(model), {**selected, "apply": "Withdraw", "note": ""})
    assert empty.status_code == 200 and model.objects.get(pk=item.pk).withdrawn_at is None
    response = client.post(
        _changelist(model), {**selected, "apply": "Withdraw", "note": "Misattributed."}, follow=True
    )
    assert f"1 {model._meta.verbose_name} withdrawn." in response.content.decode()
    item.refresh_from_db()
    assert item.withdrawn_at is not None and item.withdrawal_note == "Misattributed."


def test_a_cached_page_and_api_answer_gone_once_withdrawn(client, api_client, editor, article, settings):
    settings.PAGE_CACHE_ENABLED = True
    assert client.get(f"/quotes/{QUOTE}/").status_code == 200
    assert api_client.get(f"/api/v1/quotes/{QUOTE}/").status_code == 200
    _withdraw(Quote, QUOTE, editor, "Misattributed.")
    assert client.get(f"/quotes/{QUOTE}/").status_code == 410
    assert api_client.get(f"/api/v1/quotes/{QUOTE}/").status_code == 410


def test_a_correction_of_a_quote_in_the_article_shows_as_updated(client, editor, article):
    quote = Quote.objects.get(slug=QUOTE)
    correction = services.correction_add(subject=quote, note="Wording fixed.", by=editor)
    page = client.get(ARTICLE_URL).content.decode()
    assert f'class="updated" datetime="{local(correction.made_at).isoformat()}"' in page
    first = Coverage.objects.get(pk=article.pk).first_published
    assert f'class="published" datetime="{local(first).isoformat()}"' in page


def test_the_articles_structured_data_dates_follow_first_publication_and_visible_change(
    client, editor, article
):
    import json
    import re

    def jsonld():
        page = client.get(ARTICLE_URL).content.decode()
        return json.loads(
            re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
        )

    first = Coverage.objects.get(pk=article.pk).first_published
    assert jsonld()["datePublished"] == jsonld()["dateModified"] == first.isoformat()
    claim = _withdraw(Claim, CLAIM, editor, "Figure unsupported.")
    data = jsonld()
    assert data["datePublished"] == first.isoformat()
    assert data["dateModified"] == claim.withdrawn_at.isoformat()


def test_a_withdrawal_note_must_be_text(article, editor):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(editor)
    quote = article.quotes.first()
    response = client.post(f"/api/v1/quotes/{quote.slug}/withdraw/", {"note": 0}, format="json")
    assert response.status_code == 400 and "note" in response.json()["errors"]
    quote.refresh_from_db()
    assert quote.withdrawn_at is None


def test_a_withdrawn_featured_quote_leaves_the_front_page_for_everyone(client, editor, article):
    assert Quote.objects.get(slug=QUOTE).is_featured
    assert f"/quotes/{QUOTE}/" in client.get("/").content.decode()
    _withdraw(Quote, QUOTE, editor, "Misattributed.")
    assert f"/quotes/{QUOTE}/" not in client.get("/").content.decode()
    client.force_login(editor)  # a preview features it no more: its link answers 410
    assert f"/quotes/{QUOTE}/" not in client.get("/").content.decode()


def test_commentary_in_api_lists_stops_naming_a_withdrawn_quote(api_client, editor, article, settings):
    settings.PAGE_CACHE_ENABLED = False  # the items' own cache is what is under test
    commentary = next(c for c in article.commentaries.all() if c.quotes.exists())
    quote = commentary.quotes.first()

    def listed():
        results = api_client.get("/api/v1/commentary/", {"page_size": 100}).json()["results"]
        return next(item for item in results if item["slug"] == commentary.slug)["quotes"]

    assert quote.slug in listed()
    services.withdraw(item=quote, by=editor, note="Misattributed.")
    detail = api_client.get(f"/api/v1/commentary/{commentary.slug}/").json()["quotes"]
    assert quote.slug not in detail and listed() == detail


@pytest.mark.parametrize(("model", "slug", "path"), [API_ITEMS[0], API_ITEMS[2]])
def test_restoring_a_version_from_before_the_withdrawal_keeps_it_withdrawn(
    client, api_client, editor, article, model, slug, path
):
    """A withdrawn item is history, read-only: its History does not restore an older version
    (which would bring it back without a word), and it stays withdrawn."""
    from django.urls import reverse

    from tests.admin_forms import change_form_data

    item = model.objects.get(slug=slug)
    baseline = item.history.earliest()
    _withdraw(model, slug, editor, "Misattributed.")
    client.force_login(editor)
    url = reverse(
        f"admin:dialogues_{model._meta.model_name}_simple_history", args=[item.pk, baseline.history_id]
    )
    version = model.objects.get(pk=item.pk).version
    response = client.post(url, change_form_data(client.get(url)))
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.version == version
    assert item.withdrawn_at is not None and item.withdrawal_note == "Misattributed."
    assert api_client.get(f"/api/v1/{path}/{slug}/").status_code == 410


def test_withdrawn_commentary_leaves_the_article_and_joins_its_corrections(client, editor, article):
    commentary = Commentary.objects.get(slug=COMMENTARY)
    anchor = f'id="commentary-{COMMENTARY}"'
    assert anchor in client.get(ARTICLE_URL).content.decode()
    _withdraw(Commentary, COMMENTARY, editor, "The analysis misread the panel.")
    page = client.get(ARTICLE_URL).content.decode()
    assert commentary.title not in page and commentary.body[:40] not in page
    # Where it was, its note: a link to its anchor still lands on something.
    stub = page[page.index(anchor) :]
    stub = stub[: stub.index("</aside>")]
    assert "<strong>Withdrawn</strong>" in stub and "The analysis misread the panel." in stub
    corrections = page[page.index('id="corrections-heading"') :]
    assert "<strong>Commentary withdrawn.</strong> The analysis misread the panel." in corrections
    listed = client.get("/api/v1/commentary/").json()["results"]
    assert COMMENTARY not in {row["slug"] for row in listed} and listed
    assert all(row["withdrawn_at"] is None and row["withdrawal_note"] is None for row in listed)
    assert "misread" not in client.get("/search/", {"q": commentary.title}).content.decode()
    client.force_login(editor)  # staff previews keep it, marked
    preview = client.get(ARTICLE_URL).content.decode()
    assert anchor in preview and "<strong>Withdrawn</strong>" in preview


@pytest.mark.parametrize(("model", "slug", "path"), [API_ITEMS[0]])
def test_a_long_note_is_kept_whole_where_readers_see_it(api_client, editor, article, model, slug, path):
    """History's change reason holds 100 characters; the public note has no such limit."""
    note = "Misattributed: " + "the panel moderator, not the speaker, said this. " * 8
    api_client.force_authenticate(editor)
    response = api_client.post(f"/api/v1/{path}/{slug}/withdraw/", {"note": note}, format="json")
    assert response.status_code == 200, response.content[:300]
    item = model.objects.get(slug=slug)
    assert item.withdrawal_note == note.strip()
    assert item.history.latest().history_change_reason.startswith("Withdrawn: Misattributed")


def test_a_long_correction_note_saves_on_either_database(api_client, editor, article):
    note = "Quoted as said on stage; " * 10
    api_client.force_authenticate(editor)
    version = api_client.get(f"/api/v1/quotes/{QUOTE}/").json()["version"]
    response = api_client.patch(
        f"/api/v1/quotes/{QUOTE}/",
        {"text": "AI will be your digital partner.", "correction_note": note, "version": version},
        format="json",
    )
    assert response.status_code == 200, response.content[:300]
    assert response.json()["corrections"][-1]["note"] == note.strip()


# --- A withdrawn item's form is its history, read-only (issue #24) -----------------------------


@pytest.mark.parametrize(("model", "slug"), [(Quote, QUOTE), (Claim, CLAIM), (Commentary, COMMENTARY)])
def test_a_withdrawn_items_form_is_read_only_and_asks_for_no_note(client, editor, article, model, slug):
    from dialogues.newsroom import newsroom_time

    item = _withdraw(model, slug, editor, "Misattributed.")
    url = f"{_changelist(model)}{item.pk}/change/"
    client.force_login(editor)
    response = client.get(url)
    page = response.content.decode()
    assert response.context["has_change_permission"] is False  # a view, no Save
    assert "correction_note" not in page and "Correction note" not in page
    assert f"On {newsroom_time(item.withdrawn_at)}: Misattributed." in page
    assert "Withdrawn items are history" in page
    text = model.objects.get(pk=item.pk).version
    assert client.post(url, {"correction_note": "Tried anyway."}).status_code == 403
    assert model.objects.get(pk=item.pk).version == text


def test_the_schema_documents_the_410_shape(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/quotes/{slug}/", "/api/v1/claims/id/{id}/", "/api/v1/commentary/{slug}/"):
        gone = schema["paths"][path]["get"]["responses"]["410"]["content"]["application/json"]["schema"]
        assert gone["$ref"] == "#/components/schemas/Gone", path
    properties = schema["components"]["schemas"]["Gone"]["properties"]
    assert {"message", "status", "errors", "withdrawn_at", "withdrawal_note"} <= set(properties)


def test_coverage_taken_down_answers_410_with_its_note_and_a_draft_stays_404(
    client, api_client, editor, article
):
    """Unpublishing what readers saw takes it down: its URL says when and why (it was a 404,
    the required note shown nowhere). Coverage readers never saw is still a plain 404."""
    services.coverage_unpublish(coverage=article, by=editor, note="Taken down while we check a figure.")
    response = client.get(ARTICLE_URL)
    assert response.status_code == 410
    page = response.content.decode()
    assert "Taken down while we check a figure." in page and article.title not in page
    gone = api_client.get(f"/api/v1/coverage/{ARTICLE}/")
    assert gone.status_code == 410 and gone.json()["withdrawal_note"] == "Taken down while we check a figure."
    assert gone.json()["withdrawn_at"] and "withdrawn on" in gone.json()["message"]
    never_seen = factories.CoverageFactory(dialogue=article.dialogue, draft=True, title="Secret draft")
    assert client.get(never_seen.get_absolute_url()).status_code == 404
    assert api_client.get(f"/api/v1/coverage/{never_seen.slug}/").status_code == 404
    client.force_login(editor)
    assert client.get(ARTICLE_URL).status_code == 200  # staff preview it, to fix and publish again
    services.coverage_publish(coverage=article, by=editor, note="Back, with the figure checked.")
    assert client.get(ARTICLE_URL).status_code == 200
    client.logout()
    assert client.get(ARTICLE_URL).status_code == 200
