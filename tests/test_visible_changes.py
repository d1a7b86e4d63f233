"""Every change to published content is visible: versions checked atomically and required,
corrections noted (or marked typo fixes), restores held to the same rule, corrections kept,
published items withdrawn rather than deleted, anchors kept whole."""

import threading

import pytest
from django.db import connection

from dialogues.models import Claim, Quote
from tests.conftest import ARTICLE

QUOTE_URL = "/api/v1/quotes/huang-ai-digital-partner/"
CLAIM_URL = "/api/v1/claims/coreweave-market-value-tripled/"


# --- Versions ---------------------------------------------------------------------------------


def test_writes_to_published_content_must_name_their_version(api_client, editor, article):
    api_client.force_authenticate(editor)
    missing = api_client.patch(CLAIM_URL, {"check_note": "First."}, format="json")
    assert missing.status_code == 428 and "version" in missing.json()["message"]
    assert Claim.objects.get(slug="coreweave-market-value-tripled").check_note != "First."
    version = api_client.get(CLAIM_URL).json()["version"]
    ok = api_client.patch(
        CLAIM_URL,
        {"check_note": "First.", "correction_note": "Added a note."},
        format="json",
        HTTP_IF_MATCH=f'"{version}"',
    )
    assert ok.status_code == 200 and ok.json()["version"] == version + 1
    stale = api_client.patch(
        CLAIM_URL,
        {"check_note": "Second.", "correction_note": "Again."},
        format="json",
        HTTP_IF_MATCH=f'"{version}"',
    )
    assert stale.status_code == 412
    stale = api_client.patch(
        CLAIM_URL, {"check_note": "Second.", "correction_note": "Again.", "version": version}, format="json"
    )
    assert stale.status_code == 409
    assert Claim.objects.get(slug="coreweave-market-value-tripled").check_note == "First."
    bad = api_client.patch(CLAIM_URL, {"check_note": "x", "version": "2"}, format="json")
    assert bad.status_code == 400 and "version" in bad.json()["errors"]


def test_drafts_may_be_written_without_a_version(api_client, editor, two_speakers):
    from tests import factories

    draft = factories.CoverageFactory(draft=True, slug="a-draft")
    api_client.force_authenticate(editor)
    response = api_client.patch(f"/api/v1/coverage/{draft.slug}/", {"dek": "New dek."}, format="json")
    assert response.status_code == 200


def test_a_stale_version_loses_at_save_time_even_after_passing_the_early_check(article):
    from dialogues.models.base import EditConflict

    first, second = (Quote.objects.get(slug="huang-ai-digital-partner") for _ in range(2))
    first.expected_version = second.expected_version = first.version
    first.text = "First."
    first.save()
    second.text = "Second."
    with pytest.raises(EditConflict):
        second.save()
    assert Quote.objects.get(pk=first.pk).text == "First."


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a database server")
def test_exactly_one_of_twelve_concurrent_patches_from_one_version_wins():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from dialogues.permissions import EDITOR
    from tests.conftest import _user

    call_command("loaddata", "chain_expo_2025", verbosity=0)
    editor = _user(get_user_model(), "racer", group=EDITOR, is_staff=True)
    version = Quote.objects.get(slug="huang-ai-digital-partner").version
    barrier = threading.Barrier(12)
    statuses = []

    def patch(n):
        client = APIClient()
        client.force_authenticate(editor)
        barrier.wait()
        try:
            response = client.patch(
                QUOTE_URL,
                {"text": f"Wording {n}.", "correction_note": f"Edit {n}.", "version": version},
                format="json",
            )
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=patch, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [409] * 11
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    assert quote.version == version + 1 and quote.corrections.count() == 1


# --- Corrections are append-only ------------------------------------------------------------


def _a_correction(article, editor):
    from dialogues import services

    return services.correction_add(subject=article, note="Fixed the date.", by=editor)


def test_nobody_edits_or_deletes_a_correction_in_the_admin(client, superuser, editor, article):
    correction = _a_correction(article, editor)
    client.force_login(superuser)
    change_url = f"/admin/dialogues/correction/{correction.pk}/change/"
    page = client.get(change_url)
    assert page.status_code == 200 and 'name="note"' not in page.content.decode()  # read-only view
    assert client.post(change_url, {"note": "Rewritten."}).status_code == 403
    assert (
        client.post(f"/admin/dialogues/correction/{correction.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    client.post(
        "/admin/dialogues/correction/",
        {"action": "delete_selected", "_selected_action": [correction.pk], "post": "yes"},
    )
    correction.refresh_from_db()
    assert correction.note == "Fixed the date."


def test_a_saved_correction_cannot_be_rewritten_or_deleted_in_code(article, editor):
    from django.core.exceptions import ValidationError

    correction = _a_correction(article, editor)
    correction.note = "Rewritten."
    with pytest.raises(ValidationError):
        correction.save()
    with pytest.raises(ValidationError):
        correction.delete()
    correction.refresh_from_db()
    assert correction.note == "Fixed the date."


def test_the_api_offers_no_way_to_change_a_correction(api_client, editor, article):
    _a_correction(article, editor)
    api_client.force_authenticate(editor)
    version = api_client.get(f"/api/v1/coverage/{ARTICLE}/").json()["version"]
    response = api_client.patch(
        f"/api/v1/coverage/{ARTICLE}/", {"corrections": [], "version": version}, format="json"
    )
    # Read-only: what is sent for it is ignored, the notes stay as they were.
    assert response.status_code == 200 and response.json()["corrections"][0]["note"] == "Fixed the date."
    assert api_client.get("/api/v1/corrections/").status_code == 404
    assert [c["note"] for c in api_client.get(f"/api/v1/coverage/{ARTICLE}/").json()["corrections"]] == [
        "Fixed the date."
    ]
