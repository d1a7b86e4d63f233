"""One meaning per name across the API: the same filter parameters on quotes and claims, and
the same answer to a slug or name that names nothing the reader may see."""

import pytest
from django.core.management import call_command

from tests import factories

NOT_A_CHOICE = ["Select a valid choice. That choice is not one of the available choices."]

# Every filter that names something, on every list that has it.
NAMING_FILTERS = [
    ("quotes", "speaker"),
    ("quotes", "dialogue"),
    ("quotes", "event"),
    ("quotes", "topic"),
    ("claims", "speaker"),
    ("claims", "claimant"),
    ("claims", "topic"),
    ("coverage", "topic"),
    ("commentary", "coverage"),
    ("commentary", "topic"),
    ("fact-sources", "subject_type"),
]


def slugs(response):
    assert response.status_code == 200, response.content
    return sorted(item["slug"] for item in response.json()["results"])


def test_claims_filter_by_speaker_as_quotes_do(api_client, article):
    by_speaker = slugs(api_client.get("/api/v1/claims/", {"speaker": "Jensen Huang", "page_size": 200}))
    by_slug = slugs(api_client.get("/api/v1/claims/", {"speaker": "huang-renxun", "page_size": 200}))
    by_claimant = slugs(api_client.get("/api/v1/claims/", {"claimant": "jensen HUANG", "page_size": 200}))
    assert by_speaker == by_slug == by_claimant and len(by_speaker) >= 2
    for slug in by_speaker:
        claim = api_client.get(f"/api/v1/claims/{slug}/").json()
        assert "huang-renxun" in claim["speakers"]
    # `claimant` still also means the publication's own claims; `speaker` names speakers only.
    own = api_client.get("/api/v1/claims/", {"claimant": "publication", "page_size": 200}).json()
    assert own["count"] > 0 and {c["attribution"] for c in own["results"]} == {"publication"}
    assert api_client.get("/api/v1/claims/", {"speaker": "publication"}).json()["errors"] == {
        "speaker": NOT_A_CHOICE
    }


@pytest.mark.parametrize(("resource", "param"), NAMING_FILTERS)
def test_an_unknown_name_is_the_same_400_in_every_filter(api_client, article, resource, param):
    response = api_client.get(f"/api/v1/{resource}/", {param: "no-such-thing"})
    assert response.status_code == 400
    assert response.json()["errors"] == {param: NOT_A_CHOICE}


def test_a_speaker_only_drafts_name_is_as_unknown_as_a_name_nobody_has(api_client, editor, two_speakers):
    secret = factories.SpeakerFactory(name="Secret Source", slug="secret-source")
    draft = factories.CoverageFactory(draft=True)
    factories.QuoteFactory(coverage=draft, speakers=[secret], slug="draft-words")
    for resource, param in (("quotes", "speaker"), ("claims", "speaker"), ("claims", "claimant")):
        for name in ("secret-source", "Secret Source"):
            hidden = api_client.get(f"/api/v1/{resource}/", {param: name})
            unknown = api_client.get(f"/api/v1/{resource}/", {param: "nobody-at-all"})
            assert hidden.status_code == unknown.status_code == 400
            assert hidden.json() == unknown.json()
    api_client.force_authenticate(editor)
    assert slugs(api_client.get("/api/v1/quotes/", {"speaker": "Secret Source"})) == ["draft-words"]


def test_quotes_and_claims_document_speaker_alike(tmp_path):
    import yaml

    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    paths = yaml.safe_load(path.read_text())["paths"]

    def parameter(resource, name):
        (found,) = [p for p in paths[f"/api/v1/{resource}/"]["get"]["parameters"] if p["name"] == name]
        return found

    assert parameter("quotes", "speaker")["description"] == parameter("claims", "speaker")["description"]
    assert "name variant" in parameter("claims", "speaker")["description"]
    assert "publication" in parameter("claims", "claimant")["description"]


# Every resource with a page on the site links to it, in lists and single objects alike.
PAGED_RESOURCES = ["topics", "speakers", "events", "dialogues", "coverage", "quotes", "claims", "commentary"]


@pytest.mark.parametrize("resource", PAGED_RESOURCES)
def test_html_url_is_the_public_page_in_lists_and_details(api_client, client, article, resource):
    listed = api_client.get(f"/api/v1/{resource}/", {"page_size": 3}).json()["results"]
    assert listed
    for item in listed:
        detail = api_client.get(item["url"]).json()
        assert item["html_url"] == detail["html_url"]
        assert item["html_url"].startswith("http://testserver/") and "/api/" not in item["html_url"]
        page, _, anchor = item["html_url"].removeprefix("http://testserver").partition("#")
        response = client.get(page)
        assert response.status_code == 200, item["html_url"]
        if anchor:  # commentary: its place in the article
            assert f'id="{anchor}"' in response.content.decode()


def test_what_has_no_page_has_a_null_html_url(api_client, article):
    organizations = api_client.get("/api/v1/organizations/").json()["results"]
    assert organizations and all("html_url" in o and o["html_url"] is None for o in organizations)
    one = api_client.get(organizations[0]["url"]).json()
    assert "html_url" in one and one["html_url"] is None


@pytest.mark.parametrize("resource", [*PAGED_RESOURCES, "organizations"])
def test_what_is_versioned_shows_its_version(api_client, article, resource):
    from dialogues.api.urls import router
    from dialogues.models.base import VersionedModel

    (viewset,) = [v for prefix, v, _ in router.registry if prefix == resource]
    versioned = issubclass(viewset.queryset.model, VersionedModel)
    item = api_client.get(f"/api/v1/{resource}/").json()["results"][0]
    detail = api_client.get(item["url"]).json()
    if versioned:
        assert (
            item["version"]
            == detail["version"]
            == viewset.queryset.model.objects.get(slug=item["slug"]).version
        )
    else:  # topics and organizations keep no version: a change to them is not checked for conflicts
        assert "version" not in item and "version" not in detail


@pytest.mark.parametrize(
    ("resource", "slug"),
    [
        ("topics", "open-source"),  # the example shows a topic with its Chinese alias
        ("organizations", "alibaba-cloud"),
        ("events", "chain-expo-2025"),
        ("dialogues", "huang-renxun-wang-jian-chain-expo-2025"),
        ("commentary", "the-signal-from-parameters-to-the-physical-world"),
    ],
)
def test_every_operation_of_a_resource_has_examples_clients_can_send(
    tmp_path, api_client, article, resource, slug
):
    import yaml

    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(path))
    schema = yaml.safe_load(path.read_text())

    def examples(operation, part):
        content = (
            operation["requestBody"]
            if part == "request"
            else operation["responses"][next(iter(operation["responses"]))]
        )["content"]["application/json"]
        return [example["value"] for example in content["examples"].values()]

    detail = api_client.get(f"/api/v1/{resource}/{slug}/").json()
    listed = api_client.get(f"/api/v1/{resource}/", {"page_size": 1}).json()
    one = schema["paths"][f"/api/v1/{resource}/{{slug}}/"]
    many = schema["paths"][f"/api/v1/{resource}/"]
    [read] = examples(one["get"], "response")
    assert set(read) == set(detail) and read["slug"] == slug
    [page] = examples(many["get"], "response")
    assert set(page) == set(listed) and set(page["results"][0]) == set(listed["results"][0])
    for operation in (many["post"], one["patch"]):
        [sent] = examples(operation, "request")
        component = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
        assert sent and set(sent) <= set(schema["components"]["schemas"][component]["properties"]), component


def test_fact_sources_filter_by_a_kind_that_exists(api_client, article):
    event = api_client.get("/api/v1/fact-sources/", {"subject_type": "dialogues.event"}).json()
    assert event["count"] >= 1 and {s["subject_type"] for s in event["results"]} == {"dialogues.event"}
