"""A contract test: a client generated from our own schema (openapi-python-client, as API
clients build theirs) reads every list and object and writes through it, against a live server.
If the generator cannot read the schema, or a response does not parse into the models the
schema promises, the schema is wrong, not the client. Generation is local: no network."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from tests.conftest import ARTICLE

# Run as a module of this interpreter: no reliance on a console script's shebang or on PATH.
GENERATOR = [sys.executable, "-m", "openapi_python_client"]
PACKAGE = "dialogue_desk_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The client package generated from ``manage.py spectacular``, imported."""
    root = tmp_path_factory.mktemp("client")
    schema = root / "schema.yaml"
    call_command("spectacular", "--file", str(schema))
    config = root / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run on the generated code
    result = subprocess.run(
        [*GENERATOR, "generate", "--path", str(schema), "--output-path", str(root / PACKAGE)]
        + ["--meta", "none", "--config", str(config), "--fail-on-warning"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def published(transactional_db):
    call_command("loaddata", "chain_expo_2025", verbosity=0)


def api(generated, resource, operation):
    return importlib.import_module(f"{PACKAGE}.api.{resource}.{resource}_{operation}")


# Every resource the API lists, as the generator names its module, and what its items are
# looked up by.
READABLE = {
    "topics": "slug",
    "organizations": "slug",
    "speakers": "slug",
    "events": "slug",
    "dialogues": "slug",
    "coverage": "slug",
    "quotes": "slug",
    "claims": "slug",
    "commentary": "slug",
    "fact_sources": "id",
}


def test_every_read_operation_parses_into_the_schemas_models(generated, published, live_server):
    models = importlib.import_module(f"{PACKAGE}.models")
    client = generated.Client(base_url=live_server.url, raise_on_unexpected_status=True)
    modules = {p.name for p in Path(generated.__file__).parent.joinpath("api").iterdir() if p.is_dir()}
    assert set(READABLE) | {"changes", "imports"} <= modules
    for resource, key in READABLE.items():
        page = api(generated, resource, "list").sync(client=client)
        assert type(page).__name__.startswith("Paginated"), (resource, page)
        assert page.count >= len(page.results) > 0, resource
        first = page.results[0]
        one = api(generated, resource, "retrieve").sync(getattr(first, key), client=client)
        # A list's items may be a slimmer model ("ClaimSummary") than the object ("Claim").
        assert type(first).__name__.startswith(type(one).__name__), (resource, one)
        assert getattr(one, key) == getattr(first, key)

    quote = api(generated, "quotes", "retrieve").sync("huang-ai-digital-partner", client=client)
    assert isinstance(quote, models.Quote)
    assert "digital partner" in quote.text and quote.speakers == ["huang-renxun"]
    assert quote.html_url.endswith("/quotes/huang-ai-digital-partner/") and quote.version >= 1
    claims = api(generated, "claims", "list").sync(client=client, speaker="Jensen Huang")
    assert claims.results and all("huang-renxun" in c.speakers for c in claims.results)
    claim = api(generated, "claims", "retrieve").sync("coreweave-market-value-tripled", client=client)
    assert claim.status.value == "unverified" and claim.figures
    coverage = api(generated, "coverage", "retrieve").sync(ARTICLE, client=client)
    assert coverage.sections and coverage.title
    changes = api(generated, "changes", "list").sync(client=client)
    assert changes.results and changes.results[0].resource


def test_a_write_and_a_refusal_parse_too(generated, published, live_server, django_user_model):
    from rest_framework.authtoken.models import Token

    # A superuser: the live server's database is flushed after each test, the roles with it.
    root = django_user_model.objects.create_user(username="client-root", is_staff=True, is_superuser=True)
    token = Token.objects.create(user=root)
    models = importlib.import_module(f"{PACKAGE}.models")
    client = generated.AuthenticatedClient(base_url=live_server.url, token=token.key, prefix="Token")
    update = api(generated, "quotes", "partial_update")
    before = api(generated, "quotes", "retrieve").sync("huang-ai-digital-partner", client=client)

    changed = update.sync(
        "huang-ai-digital-partner",
        client=client,
        body=models.PatchedQuoteRequest(is_featured=not before.is_featured, version=before.version),
    )
    assert isinstance(changed, models.Quote), changed
    assert changed.is_featured is not before.is_featured and changed.version == before.version + 1

    refused = update.sync_detailed(
        "huang-ai-digital-partner",
        client=client,
        body=models.PatchedQuoteRequest(text="", version=changed.version),
    )
    assert refused.status_code == 400
    assert isinstance(refused.parsed, models.Error)
    assert "text" in refused.parsed.errors.to_dict()


def schema_operations(generated):
    """Every operationId in the schema the client was generated from."""
    schema = yaml.safe_load((Path(generated.__file__).parent.parent / "schema.yaml").read_text())
    return {operation["operationId"] for path in schema["paths"].values() for operation in path.values()}


class Caller:
    """Calls operations through the generated client, checking each answer's status and that it
    parsed into the model the schema promises, and records which operations were called."""

    def __init__(self, generated, client):
        self.generated, self.client, self.called = generated, client, set()
        self.models = importlib.import_module(f"{PACKAGE}.models")

    def __call__(self, resource, operation, *args, expect, **kwargs):
        status, model = expect
        response = api(self.generated, resource, operation).sync_detailed(*args, client=self.client, **kwargs)
        self.called.add(f"{resource}_{operation}")
        assert response.status_code == status, (
            resource,
            operation,
            response.status_code,
            response.content[:800],
        )
        if model is None:
            assert response.parsed is None, (resource, operation, response.parsed)
        else:
            model = getattr(self.models, model)
            assert isinstance(response.parsed, model), (resource, operation, response.parsed)
        return response.parsed


def test_every_operation_in_the_schema_as_an_editor(generated, published, live_server, editor):
    """Every operation the schema has, called through the generated client as an Editor: creates,
    changes, deletes and actions by slug and by id, imports, the changes feed and fact sources,
    each answer parsed into its model. An operation added to the schema and not called here
    fails the last assertion: the contract covers all of it or says which is missing."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=editor)
    client = generated.AuthenticatedClient(base_url=live_server.url, token=token.key, prefix="Token")
    call = Caller(generated, client)
    m = call.models
    deleted = (204, None)

    def ok_as(name):
        return (200, name)

    # Entities: two made, one changed by slug and by id, one deleted by each URL.
    dialogue_slug = "huang-renxun-wang-jian-chain-expo-2025"
    entities = {
        "topics": ("Topic", lambda n: m.TopicRequest(slug=f"topic-{n}", name=f"Topic {n}"), "name"),
        "organizations": (
            "Organization",
            lambda n: m.OrganizationRequest(
                slug=f"org-{n}", name=f"Org {n}", kind=m.OrganizationKindEnum.COMPANY
            ),
            "name",
        ),
        "speakers": ("Speaker", lambda n: m.SpeakerRequest(slug=f"speaker-{n}", name=f"Speaker {n}"), "name"),
        "events": (
            "Event",
            lambda n: m.EventRequest(slug=f"event-{n}", name=f"Event {n}", year=2026, organizer="ccpit"),
            "name",
        ),
        "dialogues": (
            "Dialogue",
            lambda n: m.DialogueRequest(
                slug=f"dialogue-{n}", title=f"Dialogue {n}", event="chain-expo-2025", topics=["open-source"]
            ),
            "title",
        ),
    }
    for resource, (model, request, text_field) in entities.items():
        first = call(resource, "create", body=request(1), expect=(201, model))
        second = call(resource, "create", body=request(2), expect=(201, model))
        call(resource, "list", expect=ok_as(f"Paginated{model}List"))
        call(resource, "retrieve", first.slug, expect=ok_as(model))
        one = call(resource, "id_retrieve", first.id, expect=ok_as(model))
        patched = getattr(m, f"Patched{model}Request")
        versioned = {"version": one.version} if hasattr(one, "version") else {}
        changed = call(
            resource,
            "partial_update",
            first.slug,
            body=patched(**{text_field: "Changed once"}, **versioned),
            expect=ok_as(model),
        )
        versioned = {"version": changed.version} if hasattr(changed, "version") else {}
        call(
            resource,
            "id_partial_update",
            first.id,
            body=patched(**{text_field: "Changed twice"}, **versioned),
            expect=ok_as(model),
        )
        call(resource, "destroy", first.slug, expect=deleted)
        call(resource, "id_destroy", second.id, expect=deleted)

    # Coverage: a draft with a quote, a claim and commentary, published and unpublished by slug
    # and by id, its items changed, withdrawn and deleted.
    text = (
        "Chips and Robots\n\nEvery robot will need a brain, Huang said.\n\n"
        "The market for robot arms grew by 30% last year.\n\nOpen models win in the end."
    )
    draft = call(
        "coverage",
        "create",
        body=m.CoverageRequest(slug="robots", title="Robots", dialogue=dialogue_slug, source_text=text),
        expect=(201, "Coverage"),
    )
    call("coverage", "list", expect=ok_as("PaginatedCoverageList"))
    call("coverage", "retrieve", draft.slug, expect=ok_as("Coverage"))
    draft = call("coverage", "id_retrieve", draft.id, expect=ok_as("Coverage"))
    draft = call(
        "coverage",
        "partial_update",
        draft.slug,
        body=m.PatchedCoverageRequest(dek="What robots need.", version=draft.version),
        expect=ok_as("Coverage"),
    )
    draft = call(
        "coverage",
        "id_partial_update",
        draft.id,
        body=m.PatchedCoverageRequest(author="Desk", version=draft.version),
        expect=ok_as("Coverage"),
    )
    anchor = m.AnchorRequest
    statements = {
        "quotes": (
            "Quote",
            lambda n: m.QuoteRequest(
                slug=f"robot-brain-{n}",
                text="Every robot will need a brain",
                kind=m.QuoteKindEnum.PARAPHRASE,
                speakers=["huang-renxun"],
                dialogue=dialogue_slug,
                coverage=draft.slug,
                anchor=anchor(exact="Every robot will need a brain"),
            ),
            lambda v: m.PatchedQuoteRequest(is_featured=True, version=v),
        ),
        "claims": (
            "Claim",
            lambda n: m.ClaimRequest(
                slug=f"robot-arms-{n}",
                statement="The market for robot arms grew by 30% last year.",
                kind=m.ClaimKindEnum.FACT,
                attribution=m.AttributionEnum.PUBLICATION,
                dialogue=dialogue_slug,
                coverage=draft.slug,
                anchor=anchor(exact="The market for robot arms grew by 30% last year."),
            ),
            lambda v: m.PatchedClaimRequest(check_note="Asked the analysts.", version=v),
        ),
        "commentary": (
            "Commentary",
            lambda n: m.CommentaryRequest(
                slug=f"open-models-{n}", coverage=draft.slug, title="Open models", body="They win."
            ),
            lambda v: m.PatchedCommentaryRequest(body="They win, *eventually*.", version=v),
        ),
    }
    kept = {}
    listed_as = {"Claim": "ClaimSummary"}  # a slimmer model in lists
    for resource, (model, request, change) in statements.items():
        items = [call(resource, "create", body=request(n), expect=(201, model)) for n in (1, 2, 3, 4)]
        listed = call(
            resource, "list", page_size=200, expect=ok_as(f"Paginated{listed_as.get(model, model)}List")
        )
        assert {item.slug for item in items} <= {item.slug for item in listed.results}
        call(resource, "retrieve", items[0].slug, expect=ok_as(model))
        one = call(resource, "id_retrieve", items[0].id, expect=ok_as(model))
        one = call(resource, "partial_update", one.slug, body=change(one.version), expect=ok_as(model))
        call(resource, "id_partial_update", one.id, body=change(one.version), expect=ok_as(model))
        call(resource, "destroy", items[2].slug, expect=deleted)
        call(resource, "id_destroy", items[3].id, expect=deleted)
        kept[resource] = items[:2]

    # Handed to the desk (no body), by slug and again by id: still in review.
    assert call("coverage", "submit", draft.slug, expect=ok_as("Coverage")).status.value == "in_review"
    assert call("coverage", "id_submit", draft.id, expect=ok_as("Coverage")).status.value == "in_review"
    step = m.CoverageStepRequest
    live = call("coverage", "publish", draft.slug, body=step(), expect=ok_as("Coverage"))
    assert live.status.value == "published"
    note = step(correction_note="Taken down to check a figure.")
    call("coverage", "unpublish", draft.slug, body=note, expect=ok_as("Coverage"))
    again = step(correction_note="Back, the figure checked.")
    assert (
        call("coverage", "id_publish", draft.id, body=again, expect=ok_as("Coverage")).status.value
        == "published"
    )
    for resource, (model, _request, _change) in statements.items():
        first, second = kept[resource]
        why = m.WithdrawRequest(note="Not what was said.")
        withdrawn = call(resource, "withdraw", first.slug, body=why, expect=ok_as(model))
        assert withdrawn.withdrawn_at and withdrawn.withdrawal_note == why.note
        call(resource, "id_withdraw", second.id, body=why, expect=ok_as(model))
        # A withdrawn item answers 410, in the schema's Gone model, by slug and by id alike.
        refused = api(generated, resource, "retrieve").sync_detailed(
            first.slug, client=generated.Client(live_server.url)
        )
        assert refused.status_code == 410 and isinstance(refused.parsed, m.Gone), refused.content
    call("coverage", "id_unpublish", draft.id, body=note, expect=ok_as("Coverage"))
    spares = [
        call(
            "coverage",
            "create",
            body=m.CoverageRequest(
                slug=f"robots-{n}", title="Robots", dialogue=dialogue_slug, source_text=text
            ),
            expect=(201, "Coverage"),
        )
        for n in (2, 3)
    ]
    call("coverage", "destroy", spares[0].slug, expect=deleted)
    call("coverage", "id_destroy", spares[1].id, expect=deleted)
    # Imports, the changes feed and fact sources.
    imported = call(
        "imports",
        "create",
        body=m.ImportRequest(text=text, dialogue=dialogue_slug),
        expect=(201, "ImportResponse"),
    )
    assert imported.coverage.status == "draft" and imported.summary.claim >= 1
    proposals = call(
        "imports", "proposals_list", imported.coverage.id, expect=ok_as("PaginatedImportProposalList")
    )
    assert proposals.count == len(proposals.results) >= 1
    changes = call("changes", "list", expect=ok_as("ChangePage"))
    assert changes.results and {change.resource.value for change in changes.results} <= set(READABLE) | {
        "fact-sources"
    }
    sources = call("fact_sources", "list", expect=ok_as("PaginatedFactSourceList"))
    call("fact_sources", "retrieve", sources.results[0].id, expect=ok_as("FactSource"))

    # CSV: the generated client reads JSON answers only, so the export goes through its HTTP
    # client (authentication included) and is checked as the file it is.
    for resource in ("quotes", "claims"):
        export = client.get_httpx_client().get(f"/api/v1/{resource}/", params={"format": "csv"})
        assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
        assert export.text.startswith("\ufeffid,"), export.text[:80]

    operations = schema_operations(generated)
    assert len(operations) > 80 and call.called <= operations
    assert operations - call.called == set(), "operations never called"
