"""``POST /api/v1/imports/``: the import assistant for API clients (issue #25)."""

import pytest
from django.urls import reverse

from dialogues.models import Coverage, ImportProposal
from tests.factories import DialogueFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/"
TEXT = (
    "Chips and Robots\n\n"
    '"Every robot will need a brain," Ada Lovelace said. The market for robot arms grew by 30% last year.'
)


@pytest.fixture
def dialogue(db):
    return DialogueFactory(
        slug="chips-and-robots", speakers=[SpeakerFactory(name="Ada Lovelace", slug="ada")]
    )


@pytest.mark.parametrize("role", ["editor", "contributor"])
def test_editors_and_contributors_import_a_draft_with_its_proposals(
    api_client, request, dialogue, role, django_assert_max_num_queries
):
    api_client.force_authenticate(request.getfixturevalue(role))
    with django_assert_max_num_queries(40):
        response = api_client.post(
            URL,
            {"text": TEXT, "dialogue": "chips-and-robots", "original_published_on": "2025-05-01"},
            format="json",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    coverage = Coverage.objects.get()
    assert body["coverage"]["status"] == "draft" and body["coverage"]["title"] == "Chips and Robots"
    assert body["coverage"]["id"] == coverage.pk and body["coverage"]["review_url"] == reverse(
        "admin:dialogues_import_review", args=[coverage.pk]
    )
    assert body["summary"]["quote"] == 1 and body["summary"]["figure"] == 1
    assert "proposals" not in body  # a long transcript's would be megabytes: they are paged
    listed = api_client.get(body["proposals_url"]).json()
    assert listed["count"] == ImportProposal.objects.count() == len(listed["results"])
    quote = next(p for p in listed["results"] if p["kind"] == "quote")
    assert quote["data"]["text"] == "Every robot will need a brain"
    assert (
        quote["anchor"]["type"] == "TextQuoteSelector"
        and quote["anchor"]["exact"] == "Every robot will need a brain"
    )
    figure = next(p for p in listed["results"] if p["kind"] == "figure")
    assert figure["data"] == {**figure["data"], "value": "30", "unit": "%"} and figure["parent"] is not None
    assert coverage.status == "draft"


def test_proposals_are_listed_a_page_at_a_time_to_those_who_may_review_them(
    api_client, editor, contributor, django_user_model, dialogue
):
    api_client.force_authenticate(contributor)
    body = api_client.post(URL, {"text": TEXT, "dialogue": "chips-and-robots"}, format="json").json()
    first = api_client.get(body["proposals_url"], {"page_size": 1}).json()
    assert len(first["results"]) == 1 and first["next"] and first["count"] > 1
    other = django_user_model.objects.create_user("other", is_staff=True)
    other.groups.add(*contributor.groups.all())
    api_client.force_authenticate(other)
    assert api_client.get(body["proposals_url"]).status_code == 403
    api_client.force_authenticate(editor)
    assert api_client.get(body["proposals_url"]).status_code == 200
    assert api_client.get("/api/v1/imports/999999/proposals/").status_code == 404


def test_anonymous_clients_and_readers_may_not_import(api_client, reader, dialogue):
    assert (
        api_client.post(URL, {"text": TEXT, "dialogue": "chips-and-robots"}, format="json").status_code == 401
    )
    api_client.force_authenticate(reader)
    assert (
        api_client.post(URL, {"text": TEXT, "dialogue": "chips-and-robots"}, format="json").status_code == 403
    )
    assert Coverage.objects.count() == 0


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"text": "  "}, "text", "empty"),
        ({"text": "\x01\x02" * 20}, "text", "binary"),
        ({"dialogue": "nope"}, "dialogue", "No dialogue with slug “nope”."),
        ({"text": 123}, "text", "Not a valid string."),
        ({"title": ["A"]}, "title", "Not a valid string."),
        ({"original_url": "nope"}, "original_url", "valid URL"),
        ({"language": "English!"}, "language", "BCP 47"),
    ],
)
def test_bad_input_is_a_400_with_field_messages(api_client, editor, dialogue, payload, field, message):
    api_client.force_authenticate(editor)
    response = api_client.post(URL, {"text": TEXT, "dialogue": "chips-and-robots", **payload}, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert Coverage.objects.count() == 0


def test_the_schema_documents_the_import_endpoint(api_client):
    schema = api_client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/imports/"]["post"]
    assert "201" in operation["responses"]
    assert "ImportRequest" in str(operation["requestBody"])
    assert "ImportRequestRequest" not in schema["components"]["schemas"]
    assert "proposals_url" in schema["components"]["schemas"]["ImportResponse"]["properties"]
    assert "/api/v1/imports/{coverage_id}/proposals/" in schema["paths"]


def test_proposals_of_an_import_that_does_not_exist_are_a_404_the_schema_allows(api_client, editor, db):
    """The fuzzer's find: the list's 404 was documented as always naming `last_page`, which a
    coverage id that names nothing has not."""
    from drf_spectacular.generators import SchemaGenerator

    api_client.force_authenticate(editor)
    response = api_client.get("/api/v1/imports/999999/proposals/")
    assert response.status_code == 404 and set(response.json()) == {"message", "status", "errors"}
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "last_page" not in schema["components"]["schemas"]["PastTheLastPage"].get("required", [])
