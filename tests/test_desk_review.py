"""What an outside tester found missing on the desk (issue #24): deciding from the desk, what a
Contributor is shown, what was sent back to them, readable restores and dead ends."""

import re

import pytest
from django.urls import reverse

from dialogues import services
from dialogues.models import Coverage, Proposal, Quote
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

HOME = "/admin/"
REVIEW = "/admin/desk/review/"


def section(page, heading):
    match = re.search(rf">{re.escape(heading)}</h2>(.*?)</section>", page, re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def waiting(contributor, two_speakers):
    """Coverage a Contributor submitted and their proposal on a published quote."""
    ada, _ = two_speakers
    live = factories.CoverageFactory(
        title="Live coverage", dialogue=factories.DialogueFactory(speakers=[ada])
    )
    quote = factories.QuoteFactory(coverage=live, speakers=[ada])
    submitted = factories.CoverageFactory(title="Submitted coverage", draft=True, created_by=contributor)
    services.coverage_submit_for_review(coverage=submitted, by=contributor)
    proposal = services.propose_change(
        by=contributor, target=quote, values={"text": "Better words."}, correction_note="Reworded."
    )
    return {"submitted": submitted, "proposal": proposal, "quote": quote}


# --- 1. One-click review from the desk -----------------------------------------------------


def test_the_desk_offers_an_editor_the_decision_on_each_row(client, editor, waiting):
    client.force_login(editor)
    review = section(client.get(HOME).content.decode(), "In review")
    assert review.count('action="/admin/desk/review/"') == 2
    assert 'name="kind" value="coverage"' in review and 'name="kind" value="proposal"' in review
    assert ">Publish now</button>" in review and ">Approve</button>" in review
    assert review.count(">Send back with the note</button>") == 2
    assert ">Open the coverage form</a>" in review and ">Open the proposal</a>" in review


def test_an_editor_publishes_and_approves_from_the_desk(client, editor, waiting):
    client.force_login(editor)
    submitted, proposal = waiting["submitted"], waiting["proposal"]
    response = client.post(
        REVIEW, {"kind": "coverage", "pk": submitted.pk, "decision": "approve", "note": ""}, follow=True
    )
    assert messages_of(response) == ["Published “Submitted coverage”: readers see it now."]
    submitted.refresh_from_db()
    assert submitted.is_published
    response = client.post(
        REVIEW, {"kind": "proposal", "pk": proposal.pk, "decision": "approve"}, follow=True
    )
    assert messages_of(response) == ["Approved: Quote: The future is open."]
    assert Quote.objects.get(pk=waiting["quote"].pk).text == "Better words."
    assert "Nothing waits for review." in section(response.content.decode(), "In review")


def test_an_editor_sends_back_from_the_desk_with_a_note(client, editor, waiting):
    client.force_login(editor)
    submitted, proposal = waiting["submitted"], waiting["proposal"]
    client.post(
        REVIEW, {"kind": "coverage", "pk": submitted.pk, "decision": "send_back", "note": "Cite the source."}
    )
    submitted.refresh_from_db()
    assert submitted.status == Coverage.Status.DRAFT and submitted.review_note == "Cite the source."
    client.post(REVIEW, {"kind": "proposal", "pk": proposal.pk, "decision": "send_back", "note": "Too long."})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SENT_BACK and proposal.review_note == "Too long."


def test_sending_back_from_the_desk_without_a_note_is_one_error(client, editor, waiting):
    client.force_login(editor)
    for kind, item, error in (
        ("coverage", waiting["submitted"], "Say why it goes back, in a note to its author."),
        ("proposal", waiting["proposal"], "Say why the proposal goes back, in a note to its author."),
    ):
        response = client.post(
            REVIEW, {"kind": kind, "pk": item.pk, "decision": "send_back", "note": "  "}, follow=True
        )
        assert messages_of(response) == [error]
    assert Coverage.objects.get(pk=waiting["submitted"].pk).status == Coverage.Status.IN_REVIEW
    assert Proposal.objects.get(pk=waiting["proposal"].pk).status == Proposal.Status.PENDING


def test_a_contributor_cannot_decide_from_the_desk(client, contributor, waiting):
    client.force_login(contributor)
    review = section(client.get(HOME).content.decode(), "In review")
    assert "desk/review" not in review and "Publish now" not in review
    response = client.post(
        REVIEW, {"kind": "coverage", "pk": waiting["submitted"].pk, "decision": "approve"}, follow=True
    )
    assert messages_of(response) == [
        "Only editors can publish: submit it for review and an Editor publishes it."
    ]
    assert Coverage.objects.get(pk=waiting["submitted"].pk).status == Coverage.Status.IN_REVIEW
    assert client.get(REVIEW).status_code == 405


def test_sending_back_on_the_proposal_form_without_a_note_is_one_form_error(client, editor, waiting):
    client.force_login(editor)
    url = reverse("admin:dialogues_proposal_change", args=[waiting["proposal"].pk])
    response = client.post(url, {"correction_note": "Reworded.", "review_note": "", "decision": "send_back"})
    assert response.status_code == 200  # the form again, nothing saved
    assert response.context["adminform"].form.errors == {
        "review_note": ["Say why the proposal goes back, in a note to its author."]
    }
    assert messages_of(response) == []
    assert Proposal.objects.get(pk=waiting["proposal"].pk).status == Proposal.Status.PENDING


# --- 3. What was sent back is on its author's desk ------------------------------------------


def test_what_was_sent_back_is_on_the_contributors_desk_with_the_note(client, contributor, editor, waiting):
    services.coverage_send_back(coverage=waiting["submitted"], by=editor, note="Cite the source.")
    services.send_back_proposal(proposal=waiting["proposal"], by=editor, note="Too long.")
    client.force_login(contributor)
    sent = section(client.get(HOME).content.decode(), "Sent back to you")
    assert "Coverage: Submitted coverage" in sent and "Cite the source." in sent
    assert "Quote: The future is open." in sent and "Too long." in sent
    coverage_form = reverse("admin:dialogues_coverage_change", args=[waiting["submitted"].pk])
    quote_form = reverse("admin:dialogues_quote_change", args=[waiting["quote"].pk])
    assert f'href="{coverage_form}">Fix the draft</a>' in sent
    assert f'href="{quote_form}">Open it to propose again</a>' in sent
    # Submitted again, the draft leaves the section; the note is answered.
    services.coverage_submit_for_review(coverage=waiting["submitted"], by=contributor)
    sent = section(client.get(HOME).content.decode(), "Sent back to you")
    assert "Submitted coverage" not in sent and "Too long." in sent
    # Nobody else's desk shows it.
    client.force_login(editor)
    assert "Sent back to you" not in client.get(HOME).content.decode()


# --- 2. Contributors are not shown what only Editors may use --------------------------------


def actions_offered(client, model):
    response = client.get(reverse(f"admin:dialogues_{model}_changelist"))
    return [name for name, _ in response.context["action_form"].fields["action"].choices if name]


def test_a_contributor_is_offered_only_what_they_may_do(client, contributor, editor, two_speakers):
    ada, _ = two_speakers
    draft = factories.CoverageFactory(draft=True, created_by=contributor)
    quote = factories.QuoteFactory(coverage=draft, speakers=[ada])
    claim = factories.ClaimFactory(coverage=draft)
    client.force_login(contributor)
    assert actions_offered(client, "coverage") == ["submit_for_review"]
    assert actions_offered(client, "quote") == ["submit_for_review", "set_topic"]
    assert actions_offered(client, "claim") == ["submit_for_review", "set_topic"]
    for item in (draft, quote, claim):
        response = client.get(reverse(f"admin:dialogues_{item._meta.model_name}_change", args=[item.pk]))
        page = response.content.decode()
        assert "typo_fix" not in response.context["adminform"].form.fields and 'name="typo_fix"' not in page
        assert "Unschedule" not in page
    coverage_form = client.get(reverse("admin:dialogues_coverage_change", args=[draft.pk]))
    assert {"status", "publish_at"} <= set(coverage_form.context["adminform"].readonly_fields)
    # Editors still have them all.
    client.force_login(editor)
    assert actions_offered(client, "quote") == [
        "submit_for_review",
        "approve",
        "set_topic",
        "withdraw",
        "delete_selected",
    ]
    assert {"publish", "unschedule", "unpublish"} <= set(actions_offered(client, "coverage"))
    response = client.get(reverse("admin:dialogues_quote_change", args=[quote.pk]))
    assert 'name="typo_fix"' in response.content.decode()


def test_a_contributors_typo_fix_is_still_refused(client, contributor, editor, article):
    quote = article.quotes.first()
    url = reverse("admin:dialogues_quote_change", args=[quote.pk])
    client.force_login(editor)
    data = change_form_data(client.get(url), text=quote.text + " Changed.", typo_fix="on")
    client.force_login(contributor)
    response = client.post(url, data)
    # Posted anyway, the box is ignored: a Contributor's change to live content waits for an
    # Editor and needs its correction note.
    assert Quote.objects.get(pk=quote.pk).text == quote.text
    assert response.status_code == 200 and "correction note" in response.content.decode()


# --- 4. Restore and history name related objects ---------------------------------------------


def test_restore_names_speakers_and_labels_fields(client, editor, two_speakers):
    ada, grace = two_speakers
    draft = factories.CoverageFactory(draft=True, dialogue=factories.DialogueFactory(speakers=[ada, grace]))
    quote = factories.QuoteFactory(coverage=draft, dialogue=draft.dialogue, speakers=[ada])
    first = quote.history.latest()
    url = reverse("admin:dialogues_quote_change", args=[quote.pk])
    client.force_login(editor)
    data = change_form_data(client.get(url), speakers=[str(ada.pk), str(grace.pk)])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    restore = reverse("admin:dialogues_quote_simple_history", args=[quote.pk, first.history_id])
    page = client.get(restore).content.decode()
    changes = page[page.index("What restoring this version changes") :]
    row = re.search(r'<tr><th scope="row">Speakers</th><td>(.*?)</td><td>(.*?)</td></tr>', changes)
    assert row, changes[:600]
    assert set(row.group(1).split(", ")) == {ada.name, grace.name} and row.group(2) == ada.name
    history = client.get(reverse("admin:dialogues_quote_history", args=[quote.pk])).content.decode()
    assert ada.name in history and f"[{ada.pk}" not in history


# --- 5. Refusals on live coverage say what to do, and where ---------------------------------


def test_bulk_unpublish_and_delete_of_live_coverage_say_where_to_go(client, editor, two_speakers):
    live = factories.CoverageFactory(title="Live coverage")
    draft = factories.CoverageFactory(title="Old draft", draft=True)
    changelist = reverse("admin:dialogues_coverage_changelist")
    form = reverse("admin:dialogues_coverage_change", args=[live.pk])
    client.force_login(editor)
    response = client.post(changelist, {"action": "unpublish", "_selected_action": [live.pk]}, follow=True)
    [message] = messages_of(response)
    assert (
        "only with a public correction note" in message and f'<a href="{form}">Open its form</a>' in message
    )
    assert f'<a href="{form}">Open its form</a>' in response.content.decode()  # a link, not escaped text
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [live.pk, draft.pk], "post": "yes"},
        follow=True,
    )
    [left] = [m for m in messages_of(response) if "not deleted" in m]
    assert "was left as it is" in left and f'href="{form}"' in left
    assert "unpublished instead" not in left  # it was not: it is still published
    assert Coverage.objects.filter(pk=live.pk, status="published").exists()
    assert not Coverage.objects.filter(pk=draft.pk).exists()


# --- 6. Every time on a form says its zone --------------------------------------------------


def test_read_only_times_carry_the_newsroom_zone(client, editor, contributor, waiting):
    from django.conf import settings

    from dialogues.newsroom import newsroom_time

    coverage = waiting["submitted"]
    client.force_login(editor)
    page = client.get(reverse("admin:dialogues_coverage_change", args=[coverage.pk])).content.decode()
    created = newsroom_time(coverage.created_at)
    assert created.endswith(" CST") and f'<div class="readonly">{created}</div>' in page
    proposal = waiting["proposal"]
    services.send_back_proposal(proposal=proposal, by=editor, note="Too long.")
    page = client.get(reverse("admin:dialogues_proposal_change", args=[proposal.pk])).content.decode()
    proposal.refresh_from_db()
    assert f'<div class="readonly">{newsroom_time(proposal.reviewed_at)}</div>' in page
    # The editable publish time's label wraps on a phone instead of running off it.
    css = (settings.BASE_DIR / "static/css/desk.css").read_text()
    rule = re.search(r"\.publish-zone \{(.*?)\}", css, re.S).group(1)
    assert "nowrap" not in rule and "overflow-wrap: anywhere" in rule


# --- 7. Slugs: from Chinese-only text, and as long as a long title ---------------------------


def test_a_chinese_only_quote_gets_a_slug_of_its_own(client, editor, two_speakers):
    ada, _ = two_speakers
    draft = factories.CoverageFactory(
        draft=True,
        dialogue=factories.DialogueFactory(speakers=[ada]),
        source_text="她说：人工智能将成为你的数字伙伴。又说：开放是未来。",
    )
    client.force_login(editor)
    add = reverse("admin:dialogues_quote_add")
    slugs = []
    for text in ("人工智能将成为你的数字伙伴。", "开放是未来。"):
        data = change_form_data(
            client.get(add),
            text=text,
            slug="",
            kind="paraphrase",
            speakers=[str(ada.pk)],
            coverage=str(draft.pk),
        )
        data.update({"dialogue": str(draft.dialogue.pk), "anchor_exact": text})
        data.pop("topics", None)
        response = client.post(add, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        slugs.append(Quote.objects.get(text=text).slug)
    assert all(re.fullmatch(r"ada-speaker-[0-9a-f]{8}", slug) for slug in slugs) and slugs[0] != slugs[1]
    assert Quote.short_slug("开放").startswith("quote-")


def test_a_long_coverage_title_is_a_form_error_or_a_slug_not_a_500(client, editor, two_speakers):
    client.force_login(editor)
    add = reverse("admin:dialogues_coverage_add")
    dialogue = factories.DialogueFactory()
    title = ("A very long headline about artificial intelligence " * 5)[:120]
    data = change_form_data(
        client.get(add), title=title, slug=("a-" * 80)[:150], dialogue=str(dialogue.pk), status="draft"
    )
    data.update({"source_text": "The article.", "language": "en"})
    data.pop("topics", None)
    response = client.post(add, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["slug"] == [
        "Ensure this value has at most 120 characters (it has 150)."
    ]
    # Left empty, it is made from the title: short, cut where a word ends.
    data["slug"] = ""
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert (
        Coverage.objects.get(title=title).slug == "a-very-long-headline-about-artificial-intelligence-a-very"
    )
    # A Chinese title too.
    data.update({"title": "人工智能大会", "slug": ""})
    assert client.post(add, data).status_code == 302
    assert re.fullmatch(r"coverage-[0-9a-f]{8}", Coverage.objects.get(title="人工智能大会").slug)


def test_an_editor_sends_coverage_back_from_its_form(client, editor, contributor, waiting):
    coverage = waiting["submitted"]
    form = reverse("admin:dialogues_coverage_change", args=[coverage.pk])
    send_back = reverse("admin:dialogues_coverage_send_back", args=[coverage.pk])
    client.force_login(contributor)
    assert send_back not in client.get(form).content.decode()
    client.force_login(editor)
    assert f'action="{send_back}"' in client.get(form).content.decode()
    response = client.post(send_back, {"note": ""}, follow=True)
    assert messages_of(response) == ["Say why it goes back, in a note to its author."]
    response = client.post(send_back, {"note": "Add the sources."}, follow=True)
    assert messages_of(response) == ["“Submitted coverage” went back to its author with your note."]
    coverage.refresh_from_db()
    assert coverage.status == Coverage.Status.DRAFT and coverage.review_note == "Add the sources."


# --- Proposals read as people write them (issue #24) ------------------------------------------


def test_a_decided_proposal_says_who_decided_when_and_why(client, editor, waiting):
    from dialogues.newsroom import newsroom_time

    proposal = waiting["proposal"]
    assert str(proposal) == "Proposal: Quote: The future is open."
    services.send_back_proposal(proposal=proposal, by=editor, note="Too long.")
    proposal.refresh_from_db()
    client.force_login(editor)
    page = client.get(reverse("admin:dialogues_proposal_change", args=[proposal.pk])).content.decode()
    assert "<h2>Proposal: Quote: The future is open.</h2>" in page
    assert f"Sent back by editor on {newsroom_time(proposal.reviewed_at)}: Too long." in page
    assert "None" not in re.sub(r"<[^>]+>", " ", page)  # no empty decision box printed as "None"


def test_deciding_on_the_proposal_form_says_what_was_decided(client, editor, waiting):
    client.force_login(editor)
    url = reverse("admin:dialogues_proposal_change", args=[waiting["proposal"].pk])
    data = {"correction_note": "Reworded.", "review_note": "", "decision": "approve"}
    response = client.post(url, data, follow=True)
    assert messages_of(response) == ["Approved: Quote: The future is open."]


def test_messages_built_from_pieces_end_with_one_full_stop(client, contributor, editor, coverage):
    from dialogues.labels import sentence

    assert sentence("Approved: Claim: Revenue grew.") == "Approved: Claim: Revenue grew."
    assert sentence("Approved: Quote: It is near") == "Approved: Quote: It is near."
    assert sentence("Approved: Claim: A statement cut short…") == "Approved: Claim: A statement cut short…"
    claim = factories.ClaimFactory(coverage=coverage, statement="Revenue grew.")
    proposal = services.propose_change(
        by=contributor, target=claim, values={"statement": "Revenue grew fast."}, correction_note="Faster."
    )
    client.force_login(editor)
    response = client.post(
        REVIEW, {"kind": "proposal", "pk": proposal.pk, "decision": "approve"}, follow=True
    )
    assert messages_of(response) == ["Approved: Claim: Revenue grew."]


# --- A draft is submitted from its own form (issue #24) ----------------------------------------


def test_a_contributor_submits_their_draft_from_its_form(client, contributor, editor, two_speakers):
    draft = factories.CoverageFactory(title="My draft", draft=True, created_by=contributor)
    url = reverse("admin:dialogues_coverage_change", args=[draft.pk])
    client.force_login(contributor)
    response = client.get(url)
    button = '<input type="submit" value="Save and submit for review" name="_submit_for_review">'
    assert response.content.decode().count(button) == 2  # above and below the form
    data = change_form_data(response, title="My draft, finished", _submit_for_review="1")
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert messages_of(response) == [
        "“My draft, finished” is saved and submitted: it waits on an Editor's desk."
    ]
    draft.refresh_from_db()
    assert draft.status == Coverage.Status.IN_REVIEW and draft.title == "My draft, finished"
    # In review, it is no longer offered; an Editor finds it on the desk.
    assert button not in client.get(url).content.decode()
    client.force_login(editor)
    assert "Coverage: My draft, finished" in section(client.get(HOME).content.decode(), "In review")


def test_the_submit_button_is_only_for_drafts_one_may_write(client, contributor, editor, two_speakers):
    theirs = factories.CoverageFactory(draft=True, created_by=editor)
    live = factories.CoverageFactory()
    client.force_login(contributor)
    for coverage in (theirs, live):
        page = client.get(reverse("admin:dialogues_coverage_change", args=[coverage.pk])).content.decode()
        assert "_submit_for_review" not in page


# --- What a Contributor is told names something they can do (issue #24) ------------------------

# Steps only an Editor takes, which a message to a Contributor names only as an Editor's.
EDITORS_STEPS = re.compile(r"\b(unpublish|withdraw|approve|send (it )?back|schedule)\w*", re.I)


def names_only_what_they_can_do(message):
    """No Editor's step offered as theirs: any such step is one to ask an Editor for."""
    for match in EDITORS_STEPS.finditer(message):
        before = message[: match.start()]
        if not re.search(r"(ask an Editor to|Only editors (can |may )?)\s*$", before, re.I):
            return False
    return bool(re.search(r"ask an Editor|on its form|submit it|leave it out|waits? on an Editor", message))


def test_messages_to_a_contributor_name_what_they_can_do(client, api_client, contributor, two_speakers):
    ada, _ = two_speakers
    live = factories.CoverageFactory(title="Live", dialogue=factories.DialogueFactory(speakers=[ada]))
    quote = factories.QuoteFactory(coverage=live, speakers=[ada])
    said = []
    client.force_login(contributor)
    for model, pk in (("coverage", live.pk), ("quote", quote.pk)):
        response = client.post(
            reverse(f"admin:dialogues_{model}_changelist"),
            {"action": "submit_for_review", "_selected_action": [pk]},
            follow=True,
        )
        said += messages_of(response)
    api_client.force_authenticate(contributor)
    said.append(api_client.delete(f"/api/v1/quotes/{quote.slug}/").json()["message"])
    for step in ("publish", "unpublish"):
        said.append(api_client.post(f"/api/v1/coverage/{live.slug}/{step}/").json()["message"])
    patch = api_client.patch(
        f"/api/v1/quotes/{quote.slug}/", {"is_featured": True, "version": quote.version}, format="json"
    )
    said += patch.json()["errors"]["is_featured"]
    assert len(said) == 6, said
    for message in said:
        assert names_only_what_they_can_do(message), message
    assert not any("unpublish it first" in message for message in said)


def test_in_review_lists_proposals_for_claims_entities_and_new_items(client, contributor, editor, waiting):
    quote = waiting["quote"]
    claim = factories.ClaimFactory(coverage=quote.coverage, statement="Revenue tripled.")
    org = factories.OrganizationFactory(name="Acme Compute", description="Old.")
    services.propose_change(
        by=contributor, target=claim, values={"statement": "Revenue doubled."}, correction_note="Fixed."
    )
    on_org = services.propose_change(by=contributor, target=org, values={"description": "New."})
    services.propose_change(
        by=contributor, model=Quote, values={"text": "A new quote.", "coverage": quote.coverage}
    )
    client.force_login(editor)
    review = section(client.get(HOME).content.decode(), "In review")
    for title in ("Claim: Revenue tripled.", "Organization: Acme Compute", "New quote"):
        assert f'<th scope="row">{title}</th>' in review
    assert review.count(">Approve</button>") == 4  # and the quote's, from the fixture
    response = client.post(REVIEW, {"kind": "proposal", "pk": on_org.pk, "decision": "approve"}, follow=True)
    assert messages_of(response) == ["Approved: Organization: Acme Compute."]
    org.refresh_from_db()
    assert org.description == "New."


def test_a_contributors_correction_note_help_names_no_typo_fix(client, contributor, editor, waiting):
    url = reverse("admin:dialogues_quote_change", args=[waiting["quote"].pk])
    client.force_login(contributor)
    help_text = client.get(url).context["adminform"].form.fields["correction_note"].help_text
    assert "typo fix" not in help_text and "an Editor approves your change" in help_text
    client.force_login(editor)
    assert "typo fix" in client.get(url).context["adminform"].form.fields["correction_note"].help_text


# --- What the second tester found (issue #24) ---------------------------------------------------


def test_a_heading_not_in_the_text_is_refused_on_the_drafts_first_save(client, contributor, two_speakers):
    """Headings were checked only once the coverage had an id: the first save took any heading,
    and the next save (or "Save and submit for review") then failed on it."""
    client.force_login(contributor)
    add = reverse("admin:dialogues_coverage_add")
    data = change_form_data(client.get(add), title="My draft", dialogue=str(factories.DialogueFactory().pk))
    data.update({"source_text": "Intro.\n01 Open models\nBody.", "language": "en"})
    data.pop("topics", None)
    data.update(
        {
            "sections-TOTAL_FORMS": "1",
            "sections-0-number": "1",
            "sections-0-title": "02 Closed models",
            "sections-0-subtitle": "",
        }
    )
    response = client.post(add, data)
    assert response.status_code == 200
    section_errors = response.context["inline_admin_formsets"][0].formset.errors
    assert section_errors == [
        {"title": ["The heading must occur exactly once in the source text (found 0 times)."]}
    ]
    assert not Coverage.objects.filter(title="My draft").exists()
    data["sections-0-title"] = "01 Open models"
    assert client.post(add, data).status_code == 302
    assert Coverage.objects.get(title="My draft").sections.get().title == "01 Open models"
