"""Who may see and do what: every role against every surface, for content in every state.

Roles: anonymous, a logged-in reader, Contributor, Editor, Managing editor, superuser. States: published, draft,
in review and scheduled. Readers see published content only; staff preview everything on the
pages, search and API; feeds and the sitemap are public artefacts and never carry unpublished
content, whoever asks."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from dialogues.models import Coverage, Quote
from tests import factories

ROLES = ["anonymous", "reader", "contributor", "editor", "managing_editor", "superuser"]
STAFF = {"contributor", "editor", "managing_editor", "superuser"}
STATES = ["published", "draft", "in_review", "scheduled"]


@pytest.fixture
def world(two_speakers):
    """One coverage with a quote and a claim in each state, each carrying a tell-tale word."""
    ada, _ = two_speakers
    made = {}
    for state in STATES:
        traits = {} if state == "published" else {state: True}
        coverage = factories.CoverageFactory(
            title=f"Matrix{state} coverage",
            slug=f"matrix-{state}",
            dialogue=factories.DialogueFactory(speakers=[ada], slug=f"matrix-dialogue-{state}"),
            **traits,
        )
        quote = factories.QuoteFactory(
            coverage=coverage, speakers=[ada], text=f"Matrix{state} quote words.", slug=f"q-{state}"
        )
        claim = factories.ClaimFactory(
            coverage=coverage, statement=f"Matrix{state} claim.", slug=f"c-{state}"
        )
        made[state] = (coverage, quote, claim)
    return made


@pytest.fixture
def as_role(request, client, api_client, django_user_model):
    """``as_role(name)`` → (page client, API client) logged in as that role."""

    def login(role):
        if role == "anonymous":
            return client, api_client
        user = request.getfixturevalue(role)
        client.force_login(user)
        api_client.force_authenticate(user)
        return client, api_client

    return login


def _sees(role, state, surface):
    if state == "published":
        return True
    if surface in ("feed", "sitemap"):
        return False
    return role in STAFF


READ_SURFACES = [
    "page",
    "quote page",
    "claim page",
    "list",
    "home",
    "feed",
    "sitemap",
    "search",
    "jsonld",
    "api detail",
    "api list",
    "csv",
]


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(world, as_role, role):
    pages, api = as_role(role)
    failures = []
    for state, (coverage, quote, claim) in world.items():
        word = f"Matrix{state}"
        seen = {
            "page": pages.get(coverage.get_absolute_url()).status_code == 200,
            "quote page": pages.get(quote.get_absolute_url()).status_code == 200,
            "claim page": pages.get(claim.get_absolute_url()).status_code == 200,
            "list": quote.text in pages.get("/quotes/").content.decode(),
            "home": coverage.title in pages.get("/").content.decode(),
            "feed": word in pages.get("/feeds/coverage.rss").content.decode()
            or word in pages.get("/feeds/speakers/ada.rss").content.decode(),
            "sitemap": coverage.slug in pages.get("/sitemap.xml").content.decode(),
            # The search page repeats the query: look for the results themselves.
            "search": quote.text in pages.get("/search/", {"q": word}).content.decode(),
            "jsonld": _jsonld_names(pages, coverage) == {f"{word} coverage"},
            "api detail": api.get(f"/api/v1/quotes/{quote.slug}/").status_code == 200
            and api.get(f"/api/v1/coverage/{coverage.slug}/").status_code == 200,
            "api list": quote.slug in [q["slug"] for q in api.get("/api/v1/quotes/").json()["results"]],
            "csv": word in api.get("/api/v1/claims/", {"format": "csv"}).content.decode(),
        }
        for surface in READ_SURFACES:
            if seen[surface] != _sees(role, state, surface):
                failures.append(f"{role} {'sees' if seen[surface] else 'misses'} {state} on {surface}")
    assert failures == []


def _jsonld_names(pages, coverage):
    response = pages.get(coverage.get_absolute_url())
    if response.status_code != 200:
        return set()
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return {json.loads(block).get("headline") for block in blocks} - {None}


def test_preview_pages_are_marked_as_previews_for_staff(world, client, contributor):
    client.force_login(contributor)
    draft_page = client.get(world["draft"][0].get_absolute_url()).content.decode()
    live_page = client.get(world["published"][0].get_absolute_url()).content.decode()
    assert "Preview" in draft_page and "Only staff can see this page" in draft_page
    assert "Only staff can see this page" not in live_page


# --- Admin ------------------------------------------------------------------------------------

ADMIN_EXPECTED = {
    # role: (admin index, change a draft quote, publish coverage, delete a quote)
    # Once its coverage is published the quote is withdrawn, never deleted, whoever asks.
    "anonymous": (False, False, False, False),
    "reader": (False, False, False, False),
    "contributor": (True, True, False, False),
    "editor": (True, True, True, False),
    "managing_editor": (True, True, True, False),
    "superuser": (True, True, True, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(world, as_role, role):
    pages, _ = as_role(role)
    draft, quote, _ = world["draft"]
    index = pages.get("/admin/")
    change = pages.get(f"/admin/dialogues/quote/{quote.pk}/change/")
    pages.post(
        "/admin/dialogues/coverage/",
        {"action": "publish", "_selected_action": [draft.pk], "index": 0},
    )
    published = Coverage.objects.get(pk=draft.pk).status == "published"
    delete = pages.post(f"/admin/dialogues/quote/{quote.pk}/delete/", {"post": "yes"})
    deleted = not Quote.objects.filter(pk=quote.pk).exists()
    got = (index.status_code == 200, change.status_code == 200, published, deleted)
    assert got == ADMIN_EXPECTED[role]
    if role in ("anonymous", "reader"):
        assert index.status_code == 302 and "/admin/login/" in index["Location"]
    if role in STAFF:
        assert delete.status_code == 403


USERS_EXPECTED = {
    # role: (users on the admin home, user list, add a user, token list)
    # Only Managing editors (and operators) manage users; tokens stay with the operators.
    "anonymous": (False, 302, 302, 302),
    "reader": (False, 302, 302, 302),
    "contributor": (False, 403, 403, 403),
    "editor": (False, 403, 403, 403),
    "managing_editor": (True, 200, 200, 403),
    "superuser": (True, 200, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_users_and_tokens_matrix(world, as_role, role):
    pages, _ = as_role(role)
    home = pages.get("/admin/")
    on_home = home.status_code == 200 and 'href="/admin/auth/user/"' in home.content.decode()
    got = (
        on_home,
        pages.get("/admin/auth/user/").status_code,
        pages.get("/admin/auth/user/add/").status_code,
        pages.get("/admin/authtoken/tokenproxy/").status_code,
    )
    assert got == USERS_EXPECTED[role]


# --- API writes -------------------------------------------------------------------------------

API_EXPECTED = {
    # role: (create in a draft, change published content, publish, delete)
    "anonymous": (401, 401, 401, 401),
    "reader": (403, 403, 403, 403),
    # Featuring is an Editor's: a Contributor sending it gets a field error, not a proposal.
    "contributor": (201, 400, 403, 403),
    # The quote's coverage is published just before: withdrawn, never deleted (403).
    "editor": (201, 200, 200, 403),
    "managing_editor": (201, 200, 200, 403),
    "superuser": (201, 200, 200, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_api_write_matrix(world, as_role, role):
    _, api = as_role(role)
    draft, draft_quote, _ = world["draft"]
    live, live_quote, _ = world["published"]
    create = api.post(
        "/api/v1/quotes/",
        {
            "slug": "matrix-new",
            "text": "New words.",
            "kind": "reported",
            "speakers": ["ada"],
            "dialogue": draft.dialogue.slug,
            "coverage": draft.slug,
            "anchor": {
                "exact": draft_quote.anchor_exact,
                "prefix": draft_quote.anchor_prefix,
                "suffix": draft_quote.anchor_suffix,
            },
        },
        format="json",
    )
    change = api.patch(
        f"/api/v1/quotes/{live_quote.slug}/",
        {"is_featured": True, "correction_note": "Featured.", "version": live_quote.current_version()},
        format="json",
    )
    publish = api.post(f"/api/v1/coverage/{draft.slug}/publish/", {}, format="json")
    delete = api.delete(f"/api/v1/quotes/{draft_quote.slug}/")
    got = (create.status_code, change.status_code, publish.status_code, delete.status_code)
    assert got == API_EXPECTED[role], [r.content[:200] for r in (create, change, publish, delete)]
    assert Quote.objects.filter(slug="matrix-new").exists() == (create.status_code == 201)
    assert Quote.objects.filter(slug=draft_quote.slug).exists() == (delete.status_code != 204)
    assert (Coverage.objects.get(pk=draft.pk).status == "published") == (publish.status_code == 200)


def test_scheduled_content_goes_live_for_readers_exactly_at_its_time(world, client):
    from freezegun import freeze_time

    scheduled, quote, _ = world["scheduled"]
    assert client.get(quote.get_absolute_url()).status_code == 404
    with freeze_time(scheduled.publish_at + datetime.timedelta(seconds=1)):
        assert client.get(quote.get_absolute_url()).status_code == 200
        assert scheduled.slug in client.get("/sitemap.xml").content.decode()
    assert scheduled.publish_at > timezone.now()
