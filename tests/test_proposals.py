"""Proposals: a Contributor's change to what readers see, applied only when an Editor approves
it, and never over a change made after it was proposed."""

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.models import Proposal, Quote
from tests import factories


@pytest.fixture
def live_quote(two_speakers):
    return factories.QuoteFactory(speakers=[two_speakers[0]])


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
