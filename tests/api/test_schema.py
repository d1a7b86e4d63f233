import re

import pytest
import yaml
from django.core.management import call_command

from dialogues.api.urls import router

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(tmp_path):
    path = tmp_path / "schema.yaml"
    # --validate checks the document against the OpenAPI 3 meta-schema; --fail-on-warn turns
    # any unresolvable serializer field or filter into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema_validates_and_covers_every_route(schema):
    documented = set(schema["paths"])
    routed = set()
    for url in router.urls:
        pattern = str(url.pattern)
        if "format" in pattern or pattern in ("^$", "^\\.(?P<format>[a-z0-9]+)/?$"):
            continue
        path = "/api/v1/" + re.sub(r"\(\?P<(\w+)>[^)]+\)", r"{\1}", pattern.lstrip("^").rstrip("$"))
        routed.add(path)
    routed.discard("/api/v1/")
    assert routed <= documented, routed - documented


def test_every_operation_documents_the_error_statuses(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "429", "503"} <= codes, (method, path)
            if method == "delete":
                assert "409" in codes
            if method in ("post", "patch"):
                assert "413" in codes


def test_filters_are_documented_with_descriptions(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/quotes/"]["get"]["parameters"]}
    assert {
        "speaker",
        "dialogue",
        "event",
        "topic",
        "kind",
        "date_after",
        "date_before",
        "search",
        "ordering",
    } <= set(parameters)
    assert "Jensen Huang" in str(parameters["speaker"])
    claim_parameters = {p["name"] for p in schema["paths"]["/api/v1/claims/"]["get"]["parameters"]}
    assert {
        "status",
        "kind",
        "claimant",
        "topic",
        "resolve_by_after",
        "resolve_by_before",
    } <= claim_parameters


def test_docs_are_served_from_our_own_static_files(client):
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        page = client.get(url).content.decode()
        assert "cdn" not in page.lower() and "unpkg" not in page.lower() and "jsdelivr" not in page.lower()
        assert "/static/drf_spectacular_sidecar/" in page


def test_every_query_parameter_has_an_example(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    assert "example" in parameter or "examples" in parameter, (
                        method,
                        path,
                        parameter["name"],
                    )
