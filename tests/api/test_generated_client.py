"""A contract test: a client generated from our own schema (openapi-python-client, as API
clients build theirs) reads every list and object and writes through it, against a live server.
If the generator cannot read the schema, or a response does not parse into the models the
schema promises, the schema is wrong, not the client. Generation is local: no network."""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
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
        # A list's items may be a slimmer model ("ClaimList") than the object ("Claim").
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
