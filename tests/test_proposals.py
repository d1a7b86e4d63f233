"""Proposals: a Contributor's change to what readers see, applied only when an Editor approves
it, and never over a change made after it was proposed."""

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.models import Proposal, Quote
from tests import factories


@pytest.fixture
def live_quote(coverage, two_speakers):
    return factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]])


def _edit(quote, text, editor):
    quote = Quote.objects.get(pk=quote.pk)
    quote.text = text
    quote._history_user = editor
    quote.save()


def test_a_proposal_records_what_it_was_made_on(contributor, live_quote):
    proposal = services.propose_change(by=contributor, target=live_quote, values={"text": "Better."})
    assert proposal.base_version == live_quote.version
    assert proposal.base_values == {"text": "The future is open."}


def test_approving_over_a_later_edit_is_refused_and_stays_pending(contributor, editor, live_quote):
    proposal = services.propose_change(
        by=contributor, target=live_quote, values={"text": "Better."}, correction_note="Reworded."
    )
    _edit(live_quote, "An Editor's fix.", editor)
    with pytest.raises(services.StaleProposal, match="changed since this was proposed"):
        services.approve_proposal(proposal=proposal, by=editor)
    proposal.refresh_from_db()
    live_quote.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
    assert live_quote.text == "An Editor's fix." and not live_quote.corrections.exists()


def test_approving_one_of_two_proposals_makes_the_other_stale(contributor, editor, live_quote):
    first = services.propose_change(
        by=contributor, target=live_quote, values={"text": "One."}, correction_note="1"
    )
    second = services.propose_change(
        by=contributor, target=live_quote, values={"text": "Two."}, correction_note="2"
    )
    services.approve_proposal(proposal=first, by=editor)
    with pytest.raises(services.StaleProposal):
        services.approve_proposal(proposal=second, by=editor)
    assert Quote.objects.get(pk=live_quote.pk).text == "One."


def test_unversioned_targets_compare_the_proposed_fields(contributor, editor, db):
    """An organization has no version: a later change to what the proposal changes blocks it, a
    change to another field does not."""
    org = factories.OrganizationFactory(description="Old.")
    proposal = services.propose_change(by=contributor, target=org, values={"description": "New."})
    org.website = "https://example.com/"
    org.save()
    services.approve_proposal(proposal=proposal, by=editor)
    org.refresh_from_db()
    assert org.description == "New." and org.website == "https://example.com/"

    proposal = services.propose_change(by=contributor, target=org, values={"description": "Newer."})
    org.description = "An Editor's."
    org.save()
    with pytest.raises(services.StaleProposal, match="description changed"):
        services.approve_proposal(proposal=proposal, by=editor)
    org.refresh_from_db()
    assert org.description == "An Editor's."


def test_the_admin_says_so_on_the_form_and_in_the_bulk_action(client, contributor, editor, live_quote):
    proposal = services.propose_change(
        by=contributor, target=live_quote, values={"text": "Better."}, correction_note="Reworded."
    )
    _edit(live_quote, "An Editor's fix.", editor)
    client.force_login(editor)
    url = reverse("admin:dialogues_proposal_change", args=[proposal.pk])
    page = client.get(url).content.decode()
    assert "was changed since this was proposed" in page and "An Editor&#x27;s fix." in page
    data = {"correction_note": "Reworded.", "review_note": "", "decision": "approve"}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the reason
    assert "was changed since this was proposed" in str(response.context["adminform"].form.errors)
    changelist = reverse("admin:dialogues_proposal_changelist")
    response = client.post(changelist, {"action": "approve", "_selected_action": [proposal.pk]}, follow=True)
    assert "was changed since this was proposed" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
    assert Quote.objects.get(pk=live_quote.pk).text == "An Editor's fix."
    # Sending it back still works, with a note for its author.
    data["decision"], data["review_note"] = "send_back", "Overtaken by an edit; propose again."
    client.post(url, data)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SENT_BACK


# --- Rows typed into a form's inlines (a claim's figures) are part of the proposal.


def _claim_add_data(coverage):
    return {
        "statement": "Revenue grew to US$5 billion.",
        "slug": "new-claim",
        "kind": "figure",
        "attribution": "publication",
        "status": "unverified",
        "dialogue": coverage.dialogue_id,
        "coverage": coverage.pk,
        "anchor_exact": "Revenue grew to US$5 billion last year.",
        "figures-INITIAL_FORMS": "0",
        "figures-MIN_NUM_FORMS": "0",
        "figures-MAX_NUM_FORMS": "1000",
    }


def test_a_new_claim_keeps_its_figures_in_the_proposal_until_approved(client, contributor, editor, coverage):
    """Typed figures used to be dropped silently when the claim became a proposal."""
    client.force_login(contributor)
    data = _claim_add_data(coverage)
    data.update(
        {
            "figures-TOTAL_FORMS": "2",
            "figures-0-label": "Revenue",
            "figures-0-value": "5",
            "figures-0-unit": "USD",
            "figures-0-qualifier": "about",
            "figures-1-label": "Growth",
            "figures-1-value": "12.5",
            "figures-1-unit": "%",
            "figures-1-qualifier": "exact",
        }
    )
    response = client.post(reverse("admin:dialogues_claim_add"), data, follow=True)
    assert "sent to an Editor for review" in response.content.decode()
    from dialogues.models import Claim, ClaimFigure

    assert not Claim.objects.filter(slug="new-claim").exists() and not ClaimFigure.objects.exists()
    proposal = Proposal.objects.get()
    assert [(row["id"], row["values"]["label"]) for row in proposal.rows] == [
        (None, "Revenue"),
        (None, "Growth"),
    ]

    client.force_login(editor)
    page = client.get(reverse("admin:dialogues_proposal_change", args=[proposal.pk])).content.decode()
    assert "new claim figure" in page and "Growth" in page
    services.approve_proposal(proposal=proposal, by=editor)
    claim = Claim.objects.get(slug="new-claim")
    assert [(f.label, str(f.value), f.unit, f.qualifier) for f in claim.figures.all()] == [
        ("Revenue", "5.0000", "USD", "about"),
        ("Growth", "12.5000", "%", "exact"),
    ]


@pytest.fixture
def live_claim(coverage):
    from dialogues.models import ClaimFigure

    claim = factories.ClaimFactory(coverage=coverage)
    ClaimFigure.objects.create(claim=claim, label="Revenue", value=5, unit="USD")
    return claim


def _propose_figures(client, contributor, claim):
    from tests.admin_forms import change_form_data

    client.force_login(contributor)
    url = reverse("admin:dialogues_claim_change", args=[claim.pk])
    response = client.get(url)
    formset = response.context["inline_admin_formsets"][0].formset
    assert not formset.can_delete  # Contributors never delete what readers see
    data = change_form_data(response)
    data.update(
        {
            "figures-0-value": "6",
            "figures-TOTAL_FORMS": "2",
            "figures-1-label": "Margin",
            "figures-1-value": "40",
            "figures-1-unit": "%",
            "figures-1-qualifier": "exact",
            # Readers saw the claim's figures: changing them needs its correction note.
            "correction_note": "Revenue was 6, and the margin is added.",
        }
    )
    client.post(url, data)
    return Proposal.objects.get(object_id=claim.pk)


def test_changed_and_new_figures_of_a_live_claim_wait_for_approval(client, contributor, editor, live_claim):
    proposal = _propose_figures(client, contributor, live_claim)
    assert [(f.label, f.value) for f in live_claim.figures.all()] == [("Revenue", 5)]
    changed, new = proposal.rows
    assert (changed["values"], changed["was"]) == ({"value": "6"}, {"value": "5.0000"})
    assert new["id"] is None and new["values"]["label"] == "Margin"
    services.approve_proposal(proposal=proposal, by=editor)
    assert [(f.label, f.value) for f in live_claim.figures.all()] == [("Revenue", 6), ("Margin", 40)]


def test_a_figure_changed_after_the_proposal_makes_it_stale(client, contributor, editor, live_claim):
    proposal = _propose_figures(client, contributor, live_claim)
    live_claim.figures.filter(label="Revenue").update(value=7)
    with pytest.raises(services.StaleProposal, match=r"Claim figure “Revenue: US\$7” was changed"):
        services.approve_proposal(proposal=proposal, by=editor)
    assert [(f.label, f.value) for f in live_claim.figures.all()] == [("Revenue", 7)]


def test_a_row_that_no_longer_fits_is_refused_by_name_and_nothing_is_written(
    client, contributor, editor, live_claim
):
    from dialogues.models import ClaimFigure

    proposal = _propose_figures(client, contributor, live_claim)
    ClaimFigure.objects.create(claim=live_claim, label="Margin", value=1, unit="%")
    with pytest.raises(Exception, match="Claim figure “Margin: 40%”"):
        services.approve_proposal(proposal=proposal, by=editor)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING
    assert live_claim.figures.get(label="Revenue").value == 5


def test_restoring_an_old_version_of_live_content_is_a_proposal(client, contributor, editor, live_quote):
    from tests.admin_forms import change_form_data

    _edit(live_quote, "An Editor's wording.", editor)
    first = live_quote.history.earliest()
    client.force_login(contributor)
    url = reverse("admin:dialogues_quote_simple_history", args=[live_quote.pk, first.history_id])
    data = change_form_data(client.get(url), correction_note="Back to the original.")
    response = client.post(url, data, follow=True)
    assert "sent to an Editor for review" in response.content.decode()
    assert Quote.objects.get(pk=live_quote.pk).text == "An Editor's wording."
    assert Proposal.objects.get().changes["text"] == "The future is open."


def test_proposed_relations_through_the_api_wait_and_apply(api_client, contributor, editor, live_quote):
    """Related objects (a topic list, a coverage) are kept as ids, once: they were a 500."""
    topic = factories.TopicFactory()
    draft = factories.CoverageFactory(
        dialogue=live_quote.coverage.dialogue, draft=True, created_by=contributor
    )
    own_quote = factories.QuoteFactory(coverage=draft, anchor_exact=live_quote.anchor_exact)
    api_client.force_authenticate(contributor)
    response = api_client.patch(
        f"/api/v1/quotes/{live_quote.slug}/",
        {"topics": [topic.slug], "version": live_quote.version, "correction_note": "Topic added."},
        format="json",
    )
    assert response.status_code == 202, response.content[:300]
    moved = api_client.patch(
        f"/api/v1/quotes/{own_quote.slug}/",
        {"coverage": live_quote.coverage.slug, "version": own_quote.version},
        format="json",
    )
    assert moved.status_code == 202, moved.content[:300]
    assert not live_quote.topics.exists()
    assert Quote.objects.get(pk=own_quote.pk).coverage_id == draft.pk
    for proposal in Proposal.objects.filter(status=Proposal.Status.PENDING).order_by("pk"):
        services.approve_proposal(proposal=proposal, by=editor)
    assert list(live_quote.topics.all()) == [topic]
    assert Quote.objects.get(pk=own_quote.pk).coverage_id == live_quote.coverage_id


# --- Several proposals approved at once (issue #24) ------------------------------------------


@pytest.mark.parametrize("listed", ["quote", "proposal"])
def test_bulk_approve_applies_the_first_and_leaves_the_overtaken_for_review(
    client, contributor, editor, live_quote, listed
):
    first = services.propose_change(
        by=contributor, target=live_quote, values={"text": "One."}, correction_note="1"
    )
    second = services.propose_change(
        by=contributor, target=live_quote, values={"text": "Two."}, correction_note="2"
    )
    client.force_login(editor)
    selected = [live_quote.pk] if listed == "quote" else [second.pk, first.pk]
    response = client.post(
        reverse(f"admin:dialogues_{listed}_changelist"),
        {"action": "approve", "_selected_action": selected},
        follow=True,
    )
    assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    # The one made first is applied; the other would undo it, so it waits, named with a link.
    assert (first.status, second.status) == (Proposal.Status.APPROVED, Proposal.Status.PENDING)
    assert Quote.objects.get(pk=live_quote.pk).text == "One."
    said = [str(m) for m in response.context["messages"]]
    assert said[-1] == "1 proposal approved."
    stale = reverse("admin:dialogues_proposal_change", args=[second.pk])
    assert said[0].startswith(
        f'Needs your review, not approved: <a href="{stale}">Quote: The future is open.</a> '
        "The quote was changed since this was proposed"
    )
