"""``POST /api/v1/imports/``: the import assistant for API clients (issue #25)."""

import pytest

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
    assert body["coverage"]["status"] == "draft" and body["coverage"]["title"] == "Chips and Robots"
    assert body["summary"]["quote"] == 1 and body["summary"]["figure"] == 1
    quote = next(p for p in body["proposals"] if p["kind"] == "quote")
    assert quote["data"]["text"] == "Every robot will need a brain"
    assert (
        quote["anchor"]["type"] == "TextQuoteSelector"
        and quote["anchor"]["exact"] == "Every robot will need a brain"
    )
    figure = next(p for p in body["proposals"] if p["kind"] == "figure")
    assert figure["data"] == {**figure["data"], "value": "30", "unit": "%"} and figure["parent"] is not None
    assert len(body["proposals"]) == ImportProposal.objects.count()
    assert Coverage.objects.get().status == "draft"


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
        ({"dialogue": "nope"}, "dialogue", "does not exist"),
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
