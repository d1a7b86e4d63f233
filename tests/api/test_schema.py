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


def test_info_version_is_semantic_even_through_the_versioned_url(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    assert re.fullmatch(r"\d+\.\d+\.\d+", schema["info"]["version"]), schema["info"]["version"]


def test_version_is_in_every_change_request_of_what_has_one(schema):
    from dialogues.models import Claim, Commentary, Coverage, Dialogue, Event, Quote, Speaker

    components = schema["components"]["schemas"]
    for model in (Claim, Commentary, Coverage, Dialogue, Event, Quote, Speaker):
        request = components[f"Patched{model.__name__}Request"]
        assert request["properties"]["version"]["type"] == "integer", model
        assert "readOnly" not in request["properties"]["version"]


def test_conflicts_are_documented_only_where_they_can_happen(schema):
    paths = schema["paths"]
    for resource in ("quotes", "claims", "coverage", "commentary", "speakers", "events", "dialogues"):
        patch = paths[f"/api/v1/{resource}/{{slug}}/"]["patch"]["responses"]
        assert {"409", "412"} <= set(patch), resource
    for resource in ("topics", "organizations"):  # no version: only an If-Match ETag can be stale
        patch = paths[f"/api/v1/{resource}/{{slug}}/"]["patch"]["responses"]
        assert "412" in patch and not {"409", "428"} & set(patch), resource
    # Every write to an item takes If-Match; a create has nothing to be stale.
    assert "412" in paths["/api/v1/quotes/{slug}/withdraw/"]["post"]["responses"]
    assert "412" in paths["/api/v1/coverage/{slug}/"]["delete"]["responses"]
    assert "412" not in paths["/api/v1/quotes/"]["post"]["responses"]
    assert "428" in paths["/api/v1/quotes/{slug}/"]["patch"]["responses"]
    assert "428" not in paths["/api/v1/speakers/{slug}/"]["patch"]["responses"]
    assert "409" not in paths["/api/v1/quotes/"]["post"]["responses"]
    assert "304" in paths["/api/v1/quotes/"]["get"]["responses"]


def test_csv_answers_are_described_as_csv(schema):
    for resource in ("quotes", "claims"):
        content = schema["paths"][f"/api/v1/{resource}/"]["get"]["responses"]["200"]["content"]
        assert content["text/csv"]["schema"]["type"] == "string"
        assert "$ref" in str(content["application/json"]["schema"])
    assert "text/csv" not in schema["paths"]["/api/v1/quotes/{slug}/"]["get"]["responses"]["200"]["content"]
    assert "`page` does not apply" in schema["paths"]["/api/v1/quotes/"]["get"]["description"]


def test_ordering_lists_its_public_values_per_list(schema):
    def values(path):
        [ordering] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "ordering"]
        assert ordering["style"] == "form" and ordering["explode"] is False
        assert set(ordering["example"]) <= set(ordering["schema"]["items"]["enum"])
        return ordering["schema"]["items"]["enum"]

    assert values("/api/v1/quotes/") == ["added", "-added", "held_on", "-held_on"]
    assert values("/api/v1/speakers/") == ["name", "-name"]
    assert set(values("/api/v1/claims/")) == {"added", "resolve_by", "checked_on"} | {
        f"-{name}" for name in ("added", "resolve_by", "checked_on")
    }
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["name"] == "ordering":
                assert not {"pk", "-pk"} & set(parameter["schema"]["items"]["enum"]), path
                assert "__" not in str(parameter["schema"]["items"]["enum"]), path


def test_operations_are_described_for_clients_not_developers(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            description = operation.get("description", "")
            assert len(description) > 40, (method, path)
            # Docstrings (reStructuredText's ``literals``) are written for this code's developers.
            assert "``" not in description, (method, path)


def test_quotes_claims_and_speakers_have_examples_with_every_field(schema, api_client, article):
    paths = schema["paths"]
    for resource, slug in (
        ("quotes", "huang-ai-digital-partner"),
        ("claims", "coreweave-market-value-tripled"),
        ("speakers", "huang-renxun"),
    ):
        detail = api_client.get(f"/api/v1/{resource}/{slug}/").json()
        [example] = paths[f"/api/v1/{resource}/{{slug}}/"]["get"]["responses"]["200"]["content"][
            "application/json"
        ]["examples"].values()
        assert set(example["value"]) == set(detail), resource
        assert example["value"]["slug"] == slug
        [listed] = paths[f"/api/v1/{resource}/"]["get"]["responses"]["200"]["content"]["application/json"][
            "examples"
        ].values()
        assert set(listed["value"]["results"][0]) == set(
            api_client.get(f"/api/v1/{resource}/", {"page_size": 1}).json()["results"][0]
        )
        patch = paths[f"/api/v1/{resource}/{{slug}}/"]["patch"]
        [change] = patch["requestBody"]["content"]["application/json"]["examples"].values()
        assert change["value"]["version"] == 1


# What only developers of this code write: reST literals, Python names, notes to ourselves.
CODE_COMMENT_MARKERS = ("``", "self.", "TODO", "XXX", "full_clean", "queryset", "(see ")


def test_every_operation_and_shape_is_described_for_clients(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            description = operation.get("description", "")
            assert len(description) >= 60, (method, path, description)
            assert not any(marker in description for marker in CODE_COMMENT_MARKERS), (method, path)
            assert " a e" not in description and " a o" not in description, (method, path, description)
            if "{slug}" in path:
                assert "by its slug" in description or method != "get", (path, description)
            if "{id}" in path and method == "get":
                assert "by its id" in description, (path, description)
    for name, component in schema["components"]["schemas"].items():
        description = component.get("description", "")
        assert not any(marker in description for marker in CODE_COMMENT_MARKERS), (name, description)


def test_descriptions_claim_only_what_the_operation_does(schema, api_client, article):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            description = operation["description"]
            parameters = {p["name"]: p for p in operation.get("parameters", [])}
            for name, parameter in parameters.items():
                assert parameter.get("description"), (method, path, name)
            if "page" in parameters:
                # Sorting and CSV are promised where the parameters for them exist.
                assert ("sort" in description) == ("ordering" in parameters), path
                formats = parameters.get("format", {}).get("schema", {}).get("enum", [])
                assert ("format=csv" in description) == ("csv" in formats), path
            elif method == "get" and not path.endswith("}/"):
                assert "page_size" not in description, path
    assert "slug" not in schema["paths"]["/api/v1/fact-sources/{id}/"]["get"]["description"]
    feed = " ".join(schema["paths"]["/api/v1/changes/"]["get"]["description"].split())
    assert "cursor" in feed and "fact sources" in feed
    # What the page and ordering parameters say, they do.
    last = api_client.get("/api/v1/claims/", {"page": "last", "page_size": 3}).json()
    assert last["next"] is None and last["results"]
    by_added = api_client.get("/api/v1/claims/", {"ordering": "-added", "page_size": 200}).json()["results"]
    assert [claim["id"] for claim in by_added] == sorted((claim["id"] for claim in by_added), reverse=True)
    # The speaker filter's example slug is a speaker's slug.
    quotes = schema["paths"]["/api/v1/quotes/"]["get"]["parameters"]
    [speaker] = [p for p in quotes if p["name"] == "speaker"]
    for example in re.findall(r"`([a-z0-9-]+)`", speaker["description"]):
        assert api_client.get("/api/v1/quotes/", {"speaker": example}).status_code == 200, example


def test_operations_and_models_are_named_for_what_they_are(schema):
    """What a generated client's functions and classes are called: an action is not a
    "…_withdraw_create", a request body not an "ImportRequestRequest", a page of claims not a
    "PaginatedClaimListList"."""
    operation_ids = [
        operation["operationId"]
        for operations in schema["paths"].values()
        for operation in operations.values()
    ]
    assert "quotes_withdraw" in operation_ids and "coverage_id_publish" in operation_ids
    assert [o for o in operation_ids if o.endswith("_create") and o.count("_") > 1] == [], operation_ids
    names = set(schema["components"]["schemas"])
    assert {"ImportRequest", "PaginatedClaimSummaryList"} <= names
    assert [n for n in names if re.search(r"(Request){2}|(List){2}", n)] == []


def test_request_bodies_say_unknown_fields_are_refused(schema):
    components = schema["components"]["schemas"]
    for name in ("QuoteRequest", "PatchedQuoteRequest", "WithdrawRequest", "ImportRequest", "TopicRequest"):
        assert components[name]["additionalProperties"] is False, name
    assert "additionalProperties" not in components["Quote"]  # answers may grow new fields
