"""Empty text is null in the API's JSON, and null sent back is empty text."""

import pytest

from dialogues.models import Claim, Quote

pytestmark = pytest.mark.django_db

QUOTE = "/api/v1/quotes/huang-ai-digital-partner/"


def test_empty_text_reads_as_null_in_details_lists_and_nested_objects(api_client, article, settings):
    settings.PAGE_CACHE_ENABLED = False
    quote = api_client.get(QUOTE).json()
    assert quote["original_text"] is None and quote["withdrawal_note"] is None
    assert quote["anchor"]["prefix"] is None
    assert quote["text"]  # text that is there stays text
    listed = api_client.get("/api/v1/claims/", {"page_size": 200}).json()["results"]
    assert not [(c["slug"], k) for c in listed for k, v in c.items() if v == ""]
    claim = api_client.get("/api/v1/claims/coreweave-market-value-tripled/").json()
    assert claim["check_note"] is None and claim["outcome"] is None
    assert all(figure["qualifier"] == "nearly" for figure in claim["figures"])


def test_null_sent_back_is_stored_as_empty_text_and_changes_nothing(api_client, editor, article):
    api_client.force_authenticate(editor)
    read = api_client.get(QUOTE).json()
    body = {"original_text": None, "original_language": None, "version": read["version"]}
    response = api_client.patch(QUOTE, body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == read["version"]
    assert Quote.objects.get(slug="huang-ai-digital-partner").original_text == ""


def test_null_clears_text(api_client, editor, article):
    api_client.force_authenticate(editor)
    url = "/api/v1/claims/coreweave-market-value-tripled/"
    first = {"check_note": "Checked.", "correction_note": "Added a check note.", "version": 1}
    assert api_client.patch(url, first, format="json").status_code == 200
    cleared = {"check_note": None, "correction_note": "Removed the check note.", "version": 2}
    response = api_client.patch(url, cleared, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["check_note"] is None
    assert Claim.objects.get(slug="coreweave-market-value-tripled").check_note == ""
