"""Every change to published content is visible: versions checked atomically and required,
corrections noted (or marked typo fixes), restores held to the same rule, corrections kept,
published items withdrawn rather than deleted, anchors kept whole."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from dialogues import services
from dialogues.models import Claim, Quote
from tests import factories
from tests.admin_forms import change_form_data
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
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command
    from rest_framework.test import APIClient

    from dialogues.permissions import EDITOR
    from tests.conftest import _user

    call_command("loaddata", "chain_expo_2025", verbosity=0)
    # A transactional test before this one may have flushed the groups migration 0002 made.
    group, _ = Group.objects.get_or_create(name=EDITOR)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="dialogues"))
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


# --- One rule for what needs a correction note ------------------------------------------------


def _version(api_client, url):
    return api_client.get(url).json()["version"]


@pytest.mark.parametrize(
    ("url", "change"),
    [
        (CLAIM_URL, {"check_note": "Checked again."}),
        (CLAIM_URL, {"checked_on": "2025-08-01"}),
        ("/api/v1/claims/physical-ai-is-the-next-wave/", {"resolution_criteria": "Something else."}),
        ("/api/v1/claims/physical-ai-is-the-next-wave/", {"resolve_by": "2031-12-31"}),
        (f"/api/v1/coverage/{ARTICLE}/", {"author": "Someone Else"}),
        (f"/api/v1/coverage/{ARTICLE}/", {"source_publication": "Another Paper"}),
        (f"/api/v1/coverage/{ARTICLE}/", {"status": "draft"}),
    ],
)
def test_every_visible_change_in_the_api_needs_a_note(api_client, editor, article, url, change):
    api_client.force_authenticate(editor)
    assert api_client.get(url).status_code == 200
    response = api_client.patch(url, {**change, "version": _version(api_client, url)}, format="json")
    assert response.status_code == 400 and "correction_note" in response.json()["errors"], response.json()
    noted = {**change, "version": _version(api_client, url), "correction_note": "Fixed."}
    assert api_client.patch(url, noted, format="json").status_code == 200


def test_commentary_body_and_title_need_a_note(api_client, editor, article):
    from dialogues.models import Commentary

    commentary = Commentary.objects.filter(coverage=article).first()
    url = f"/api/v1/commentary/{commentary.slug}/"
    api_client.force_authenticate(editor)
    for change in ({"body": "Reworded."}, {"title": "Retitled"}):
        response = api_client.patch(url, {**change, "version": _version(api_client, url)}, format="json")
        assert response.status_code == 400 and "correction_note" in response.json()["errors"]
    response = api_client.patch(
        url,
        {"body": "Reworded.", "correction_note": "Reworded.", "version": _version(api_client, url)},
        format="json",
    )
    assert response.status_code == 200 and commentary.corrections.count() == 1


def test_rescheduling_does_not_hide_a_silent_reword(api_client, editor, article):
    """Move publish_at to the future, reword, move it back: each step needs a note."""
    api_client.force_authenticate(editor)
    url = f"/api/v1/coverage/{ARTICLE}/"
    later = {"publish_at": "2999-01-01T00:00:00Z", "version": _version(api_client, url)}
    assert api_client.patch(url, later, format="json").status_code == 400
    later["correction_note"] = "Taken down for a fix."
    assert api_client.patch(url, later, format="json").status_code == 200
    reword = {"title": "A new title", "version": _version(api_client, url)}
    assert api_client.patch(url, reword, format="json").status_code == 400  # readers saw it before


def test_status_round_trip_needs_notes_and_keeps_the_first_publication(api_client, editor, article):
    from dialogues.models import Coverage

    api_client.force_authenticate(editor)
    url = f"/api/v1/coverage/{ARTICLE}/"
    first = Coverage.objects.get(slug=ARTICLE).first_published
    for status in ("draft", "published"):
        response = api_client.patch(
            url, {"status": status, "version": _version(api_client, url)}, format="json"
        )
        assert response.status_code == 400 and "correction_note" in response.json()["errors"]
        noted = {"status": status, "version": _version(api_client, url), "correction_note": f"Now {status}."}
        assert api_client.patch(url, noted, format="json").status_code == 200
    assert (
        api_client.post(f"{url}publish/", {"correction_note": "Published again."}, format="json").status_code
        == 200
    )
    coverage = Coverage.objects.get(slug=ARTICLE)
    assert coverage.first_published_at == first and coverage.publish_at > first
    assert coverage.corrections.count() == 3


def test_an_editor_may_mark_a_typo_fix_a_contributor_may_not(api_client, editor, contributor, article):
    api_client.force_authenticate(editor)
    change = {
        "text": "AI will be your digital partner",
        "typo_fix": True,
        "correction_note": "dropped a stop",
    }
    response = api_client.patch(
        QUOTE_URL, {**change, "version": _version(api_client, QUOTE_URL)}, format="json"
    )
    assert response.status_code == 200 and response.json()["corrections"] == []
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    assert quote.history.first().history_change_reason == "Typo fix: dropped a stop"

    from django.core.exceptions import ValidationError

    from dialogues import services

    with pytest.raises(ValidationError) as error:
        services.visible_change(instance=quote, changed_fields=["text"], typo_fix=True, by=contributor)
    assert "typo_fix" in error.value.message_dict


# --- History restore follows the same rule ---------------------------------------------------


def test_restoring_published_content_from_history_needs_a_note(client, editor, coverage, two_speakers):
    from django.urls import reverse

    from dialogues import services
    from tests import factories
    from tests.test_admin import change_form_data

    quote = factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]], text="First wording.")
    quote.text = "Second wording."
    quote.save()
    services.correction_add(subject=quote, note="Reworded.", by=editor)
    client.force_login(editor)
    original = quote.history.last()
    revert_url = reverse("admin:dialogues_quote_simple_history", args=[quote.pk, original.history_id])
    response = client.post(revert_url, change_form_data(client.get(revert_url)))
    assert response.status_code == 200 and "correction_note" in response.context["adminform"].form.errors
    assert Quote.objects.get(pk=quote.pk).text == "Second wording."

    data = change_form_data(client.get(revert_url), correction_note="Restored the original wording.")
    assert client.post(revert_url, data).status_code == 302
    quote.refresh_from_db()
    assert quote.text == "First wording."
    assert [c.note for c in quote.corrections.all()] == ["Reworded.", "Restored the original wording."]

    second = quote.history.filter(text="Second wording.").first()
    typo_url = reverse("admin:dialogues_quote_simple_history", args=[quote.pk, second.history_id])
    assert client.post(typo_url, change_form_data(client.get(typo_url), typo_fix="on")).status_code == 302
    assert Quote.objects.get(pk=quote.pk).text == "Second wording." and quote.corrections.count() == 2
    assert quote.history.first().history_change_reason.startswith("Typo fix")


# --- Anchors never break silently ------------------------------------------------------------


def test_a_source_text_edit_that_breaks_anchors_is_refused(api_client, editor, article):
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    url = f"/api/v1/coverage/{ARTICLE}/"
    api_client.force_authenticate(editor)
    cut = article.source_text.replace(quote.anchor_exact, "")
    response = api_client.patch(
        url,
        {"source_text": cut, "correction_note": "Cut.", "version": _version(api_client, url)},
        format="json",
    )
    assert response.status_code == 400
    assert "Quote: AI will become your “digital partner.”" in str(response.json()["errors"]["source_text"])
    assert quote.anchor_exact in type(article).objects.get(pk=article.pk).source_text
    assert api_client.get(f"/quotes/{quote.slug}/").status_code == 200


def test_saving_just_published_coverage_unchanged_needs_no_note(client, editor, coverage):
    """Published by the service, then saved unchanged in the admin: the form posts its publish
    time to the second, which must not read as a change readers need a note for."""
    draft = factories.CoverageFactory(dialogue=coverage.dialogue, draft=True)
    services.coverage_publish(coverage=draft, by=editor)
    client.force_login(editor)
    url = reverse("admin:dialogues_coverage_change", args=[draft.pk])
    response = client.post(url, change_form_data(client.get(url)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not draft.corrections.exists()


def test_corrections_filter_by_the_kinds_corrected_only(client, editor, article):
    services.correction_add(subject=Quote.objects.first(), note="A word was wrong.", by=editor)
    services.correction_add(subject=Claim.objects.first(), note="A figure was wrong.", by=editor)
    client.force_login(editor)
    page = client.get("/admin/dialogues/correction/").content.decode()
    filters = page[page.index('id="changelist-filter"') :]
    assert ">Quote</a>" in filters and ">Claim</a>" in filters
    assert "session" not in filters and "permission" not in filters and "webhook" not in filters
    quote_kind = re.search(r'href="\?subject=(\d+)">Quote<', filters).group(1)
    listed = client.get("/admin/dialogues/correction/", {"subject": quote_kind}).content.decode()
    assert "A word was wrong." in listed and "A figure was wrong." not in listed
    assert client.get("/admin/dialogues/correction/", {"subject": "x"}).status_code == 200


# --- Found by an outside tester: paths that changed what readers saw with no note -------------


def test_a_note_with_no_visible_change_publishes_nothing_and_keeps_the_version(api_client, editor, article):
    api_client.force_authenticate(editor)
    version = _version(api_client, QUOTE_URL)
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    same_text = {"text": quote.text, "version": version, "correction_note": "Nothing changed."}
    for change in ({"version": version, "correction_note": "Nothing changed."}, same_text):
        response = api_client.patch(QUOTE_URL, change, format="json")
        assert response.status_code == 200 and response.json()["version"] == version
    assert not quote.corrections.exists()


def test_published_coverage_is_never_dated_before_readers_first_saw_it(api_client, editor, article):
    from django.core.exceptions import ValidationError

    api_client.force_authenticate(editor)
    url = f"/api/v1/coverage/{ARTICLE}/"
    first = article.first_published
    backdated = {"publish_at": "2020-01-01T00:00:00Z", "version": _version(api_client, url)}
    for extra in ({"typo_fix": True}, {"correction_note": "Backdated."}):
        response = api_client.patch(url, {**backdated, **extra}, format="json")
        assert response.status_code == 400 and "cannot be earlier" in str(
            response.json()["errors"]["publish_at"]
        )
    with pytest.raises(ValidationError, match="cannot be earlier"):
        services.coverage_publish(
            coverage=article, by=editor, at=first.replace(year=2020), note="Published again, earlier."
        )
    article.refresh_from_db()
    assert article.publish_at == first and not article.corrections.exists()


def test_a_section_readers_saw_changes_only_with_the_coverage_note(client, editor, article):
    section = article.sections.get(number=2)
    client.force_login(editor)
    url = reverse("admin:dialogues_section_change", args=[section.pk])
    response = client.post(url, change_form_data(client.get(url), number="7"))
    assert response.status_code == 200
    assert len(response.context["adminform"].form.errors["correction_note"]) == 1  # once, not twice
    assert type(section).objects.get(pk=section.pk).number == 2
    response = client.post(url, change_form_data(client.get(url), number="7", correction_note="Renumbered."))
    assert response.status_code == 302
    assert type(section).objects.get(pk=section.pk).number == 7
    assert [c.note for c in article.corrections.all()] == ["Renumbered."]

    # The same rows on the coverage's own form (an inline) take its note too.
    url = reverse("admin:dialogues_coverage_change", args=[article.pk])
    data = change_form_data(client.get(url))
    prefix = next(
        key for key, value in data.items() if key.endswith("-id") and str(value) == str(section.pk)
    )[:-3]
    data[f"{prefix}-subtitle"] = "A subtitle readers would see"
    response = client.post(url, data)
    assert response.status_code == 200 and "correction note" in str(response.context["errors"])
    assert type(section).objects.get(pk=section.pk).subtitle == ""


def test_what_readers_saw_is_not_deleted_through_a_section_evidence_or_topic(
    api_client, client, editor, article
):
    from dialogues.models import EvidenceSource, Section, Topic

    claim = Claim.objects.filter(coverage=article, evidence__isnull=False).first()
    evidence = claim.evidence.first()
    topic = Topic.objects.filter(claims__coverage=article).first()
    section = article.sections.first()
    api_client.force_authenticate(editor)
    response = api_client.delete(f"/api/v1/topics/{topic.slug}/")
    assert (
        response.status_code == 403
        and "Readers of published coverage see this topic" in response.json()["message"]
    )
    client.force_login(editor)
    for obj in (section, evidence, topic):
        name = obj._meta.model_name
        client.post(reverse(f"admin:dialogues_{name}_delete", args=[obj.pk]), {"post": "yes"})
        changelist = reverse(f"admin:dialogues_{name}_changelist")
        client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert Section.objects.filter(pk=section.pk).exists() and Topic.objects.filter(pk=topic.pk).exists()
    assert EvidenceSource.objects.filter(pk=evidence.pk).exists() and evidence in claim.evidence.all()
    unused = EvidenceSource.objects.create(title="Cited by nothing", slug="cited-by-nothing")
    assert (
        api_client.delete(
            f"/api/v1/topics/{Topic.objects.create(name='Unused', slug='unused').slug}/"
        ).status_code
        == 204
    )
    client.post(reverse("admin:dialogues_evidencesource_delete", args=[unused.pk]), {"post": "yes"})
    assert not EvidenceSource.objects.filter(pk=unused.pk).exists()


def test_a_contributor_change_to_coverage_taken_down_is_still_a_proposal(
    api_client, editor, contributor, article
):
    services.coverage_unpublish(coverage=article, by=editor, note="Taken down for checks.")
    api_client.force_authenticate(contributor)
    change = {
        "text": "Reworded while down.",
        "version": _version(api_client, QUOTE_URL),
        "correction_note": "Mine.",
    }
    response = api_client.patch(QUOTE_URL, change, format="json")
    assert response.status_code == 202, response.json()
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    assert quote.text != "Reworded while down." and not quote.corrections.exists()


def test_refusals_say_why_for_coverage_and_for_withdrawn_items(api_client, editor, article):
    api_client.force_authenticate(editor)
    response = api_client.delete(f"/api/v1/coverage/{ARTICLE}/")
    assert response.status_code == 403 and "unpublishes it" in response.json()["message"]
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    services.withdraw(item=quote, by=editor, note="Withdrawn: misheard.")
    quote.refresh_from_db()
    response = api_client.patch(QUOTE_URL, {"text": "Again.", "version": quote.version}, format="json")
    assert response.status_code == 403 and "withdrawn" in response.json()["message"]


def test_a_published_quotes_form_saved_unchanged_changes_nothing(client, editor, contributor, article):
    """The article's quotes were loaded with no text before and after their passage; the form
    filled those in, so saving it unchanged filed a Contributor's proposal of them."""
    from dialogues.models import Proposal

    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    assert (quote.anchor_prefix, quote.anchor_suffix) == ("", "")  # as loaded
    url = reverse("admin:dialogues_quote_change", args=[quote.pk])
    for user in (contributor, editor):
        client.force_login(user)
        response = client.post(url, change_form_data(client.get(url)))
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert not Proposal.objects.exists(), user
    saved = Quote.objects.get(pk=quote.pk)
    assert (saved.anchor_prefix, saved.anchor_suffix) == ("", "")
