"""The quote and claim forms (issue #24): anchoring that forgives what editors paste, forms that
explain themselves, bulk actions through the services, history and corrections by subject."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from dialogues import services
from dialogues.models import Claim, Correction, Coverage, Proposal, Quote
from tests import factories
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db

SOURCE = (
    "A Test Article\n\n"
    "Intro paragraph about the dialogue.\n\n"
    "01\n\nFirst Section\n\n"
    'Ada Speaker said AI will become your "digital partner." It is near.\n\n'
    "Bo Speaker said the future is closed.\n\n"
    "02\n\nSecond Section\n\n"
    "Bo Speaker said 「开放」 matters—and it does.\n\n"
    "Revenue grew to US$5 billion last year."
)


@pytest.fixture
def quoted(two_speakers):
    dialogue = factories.DialogueFactory(speakers=two_speakers)
    coverage = factories.CoverageFactory(dialogue=dialogue, source_text=SOURCE)
    factories.SectionFactory(coverage=coverage, number=1, title="First Section")
    factories.SectionFactory(coverage=coverage, number=2, title="Second Section")
    return coverage


def add_url(model):
    return reverse(f"admin:dialogues_{model._meta.model_name}_add")


def change_url(obj):
    return reverse(f"admin:dialogues_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model):
    return reverse(f"admin:dialogues_{model._meta.model_name}_changelist")


def new_quote_data(client, coverage, speaker, **changes):
    data = change_form_data(client.get(add_url(Quote)))
    data.pop("topics", None)
    data.update(
        text="AI will become your digital partner, and it is near, a long way from anything we know today",
        kind="paraphrase",
        speakers=[str(speaker.pk)],
        dialogue=str(coverage.dialogue_id),
        coverage=str(coverage.pk),
        original_language="",
    )
    data.update(changes)
    return data


def test_a_pasted_passage_with_curly_quotes_and_a_line_break_anchors_as_the_source_has_it(
    client, editor, quoted, two_speakers
):
    client.force_login(editor)
    pasted = "AI will become your “digital partner.”  It is near.\r\nBo Speaker said"
    response = client.post(
        add_url(Quote), new_quote_data(client, quoted, two_speakers[0], anchor_exact=pasted)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote = Quote.objects.get()
    assert quote.anchor_exact == 'AI will become your "digital partner." It is near.\n\nBo Speaker said'
    assert quote.anchor_prefix.endswith("Ada Speaker said ")
    assert quote.section.number == 1  # left empty: filled from where the passage sits
    # The slug, left empty, is short, cut where a word ends, and unique.
    assert quote.slug == "ai-will-become-your-digital-partner-and-it-is-near-a-long"
    assert len(quote.slug) <= 60
    response = client.post(
        add_url(Quote),
        new_quote_data(client, quoted, two_speakers[1], anchor_exact="「开放」 matters–and it does"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    second = Quote.objects.exclude(pk=quote.pk).get()
    assert second.anchor_exact == "「开放」 matters—and it does"
    assert second.section.number == 2
    assert second.slug == "ai-will-become-your-digital-partner-and-it-is-near-a-long-2"


def test_a_typo_offers_the_closest_passage_and_its_section_to_pick(client, editor, quoted, two_speakers):
    client.force_login(editor)
    data = new_quote_data(
        client, quoted, two_speakers[0], anchor_exact="Revenue grew to US$5 bilion last year."
    )
    response = client.post(add_url(Quote), data)
    assert response.status_code == 200
    error = str(response.context["adminform"].form.errors["anchor_exact"])
    assert "does not occur" in error
    assert "in section 02 Second Section" in error
    assert "“Revenue grew to US$5 billion last year.”" in error
    page = response.content.decode()
    assert 'type="checkbox" name="use_closest_passage"' in page
    assert not Quote.objects.exists()

    data["use_closest_passage"] = "on"
    response = client.post(add_url(Quote), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote = Quote.objects.get()
    assert quote.anchor_exact == "Revenue grew to US$5 billion last year."
    assert quote.section.number == 2


def test_no_near_miss_offers_nothing(client, editor, quoted, two_speakers):
    client.force_login(editor)
    data = new_quote_data(client, quoted, two_speakers[0], anchor_exact="Something nobody said at all, ever.")
    response = client.post(add_url(Quote), data)
    error = str(response.context["adminform"].form.errors["anchor_exact"])
    assert "does not occur" in error and "closest" not in error
    assert 'type="checkbox" name="use_closest_passage"' not in response.content.decode()


def test_pasting_the_stored_passage_with_other_quotes_is_no_visible_change(
    client, editor, quoted, two_speakers
):
    quote = factories.QuoteFactory(
        coverage=quoted, speakers=[two_speakers[0]], anchor_exact='your "digital partner."'
    )
    client.force_login(editor)
    data = change_form_data(
        client.get(change_url(quote)), anchor_exact="your “digital partner.”", is_featured="on"
    )
    response = client.post(change_url(quote), data)  # published, yet no correction note asked
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote.refresh_from_db()
    assert quote.anchor_exact == 'your "digital partner."' and quote.is_featured
    assert not Correction.objects.exists()


def test_the_quote_form_shows_the_article_text_to_select_from(client, editor, quoted, two_speakers):
    quote = factories.QuoteFactory(coverage=quoted, speakers=[two_speakers[0]], anchor_exact="It is near.")
    client.force_login(editor)
    page = client.get(change_url(quote)).content.decode()
    assert 'class="article-text" id="article-text" role="region"' in page
    assert "Bo Speaker said 「开放」 matters—and it does." in page
    assert "js/admin-forms.js" in page and finders.find("js/admin-forms.js")


def test_the_quote_add_form_opened_for_a_coverage_shows_its_text(client, contributor, quoted):
    """The desk's "add quote" links pass ?coverage=<id>: the article is known before any save."""
    client.force_login(contributor)
    page = client.get(add_url(Quote), {"coverage": quoted.pk}).content.decode()
    assert 'class="article-text" id="article-text" role="region"' in page
    assert "Bo Speaker said 「开放」 matters—and it does." in page
    assert "Shown here once saved with a coverage" not in page
    # Without one, or with one that does not exist, the form says where to find the text.
    for query in ({}, {"coverage": "999999"}):
        page = client.get(add_url(Quote), query).content.decode()
        assert "Shown here once saved with a coverage" in page and 'id="article-text"' not in page


def test_quote_and_claim_lists_show_where_each_stands_for_readers(
    client, contributor, editor, two_speakers, django_assert_num_queries
):
    dialogue = factories.DialogueFactory(speakers=two_speakers)
    states = {
        "Draft": factories.CoverageFactory(dialogue=dialogue, draft=True, created_by=contributor),
        "In review": factories.CoverageFactory(dialogue=dialogue, in_review=True),
        "Scheduled": factories.CoverageFactory(dialogue=dialogue, scheduled=True),
        "Published": factories.CoverageFactory(dialogue=dialogue),
    }
    for label, coverage in states.items():
        factories.QuoteFactory(coverage=coverage, text=f"Quote in {label}", speakers=[two_speakers[0]])
        factories.ClaimFactory(coverage=coverage, statement=f"Claim in {label}")
    withdrawn = factories.QuoteFactory(
        coverage=states["Published"], text="Quote withdrawn", speakers=[two_speakers[0]]
    )
    services.withdraw(item=withdrawn, by=editor, note="Misattributed.")
    for user in (contributor, editor):
        client.force_login(user)
        for model in (Quote, Claim):
            url = reverse(f"admin:dialogues_{model._meta.model_name}_changelist")
            client.get(url)  # the first read fills per-user caches: the count is the list's own
            with django_assert_num_queries(LIST_QUERIES[model]):
                response = client.get(url)
            cl = response.context["cl"]
            states_shown = {
                getattr(obj, "text", None) or obj.statement: cl.model_admin.state(obj)
                for obj in cl.result_list
            }
            for label in states:
                assert f">{label}</strong>" in states_shown[f"{model.__name__} in {label}"]
            if model is Quote:
                assert ">Withdrawn</strong>" in states_shown["Quote withdrawn"]
            assert 'class="column-state"' in response.content.decode()


# The changelists' queries, the state column's coverage included (``list_select_related``).
LIST_QUERIES = {Quote: 12, Claim: 11}


def test_claim_form_explains_kinds_and_statuses_and_marks_the_prediction_fields(client, editor, quoted):
    claim = factories.ClaimFactory(coverage=quoted)
    client.force_login(editor)
    response = client.get(change_url(claim))
    page = response.content.decode()
    for choices in (Claim.Kind, Claim.Status):
        for choice in choices:
            assert f"<strong>{choice.label}</strong>: {choice.help}" in page
    assert "prediction-fields" in page and "Only for claims of the kind “Prediction”." in page
    with open(finders.find("js/admin-forms.js")) as file:
        script = file.read()
    assert "fieldset.prediction-fields" in script and '"prediction"' in script


def test_language_fields_offer_languages_by_name_and_store_the_tag(client, editor, quoted, two_speakers):
    quote = factories.QuoteFactory(coverage=quoted, speakers=[two_speakers[0]], anchor_exact="It is near.")
    client.force_login(editor)
    response = client.get(change_url(quote))
    page = response.content.decode()
    assert '<select name="original_language"' in page
    assert '<option value="zh-Hans">Chinese (Simplified) (zh-Hans)</option>' in page
    data = change_form_data(
        response, original_text="它很近。", original_language="zh-Hans", correction_note="Added the original."
    )
    assert client.post(change_url(quote), data).status_code == 302
    quote.refresh_from_db()
    assert quote.original_language == "zh-Hans"
    # A stored tag the list lacks is still offered, so saving keeps it.
    Quote.objects.filter(pk=quote.pk).update(original_language="zh-Hans-CN")
    assert (
        '<option value="zh-Hans-CN" selected>zh-Hans-CN</option>'
        in client.get(change_url(quote)).content.decode()
    )


def test_history_gives_the_correction_note_as_the_reason(client, editor, quoted, two_speakers):
    quote = factories.QuoteFactory(coverage=quoted, speakers=[two_speakers[0]], anchor_exact="It is near.")
    client.force_login(editor)
    data = change_form_data(
        client.get(change_url(quote)), text="It is near, he said.", correction_note="Fixed the words."
    )
    assert client.post(change_url(quote), data).status_code == 302
    assert quote.history.latest().history_change_reason == "Fixed the words."
    data = change_form_data(client.get(change_url(quote)), is_featured="on")  # no visible change
    assert client.post(change_url(quote), data).status_code == 302
    page = client.get(reverse("admin:dialogues_quote_history", args=[quote.pk])).content.decode()
    assert "Fixed the words." in page
    assert "<td>\n          None\n        </td>" not in page
    assert "<strong>Words:</strong>" in page  # field names as their labels


def test_corrections_are_listed_by_their_subject(client, editor, quoted, two_speakers):
    quote = factories.QuoteFactory(
        coverage=quoted,
        speakers=[two_speakers[0]],
        text="AI will become your digital partner",
        anchor_exact="It is near.",
    )
    client.force_login(editor)
    data = change_form_data(
        client.get(change_url(quote)), text="AI will be your digital partner", correction_note="Words."
    )
    assert client.post(change_url(quote), data).status_code == 302
    page = client.get(changelist_url(Correction)).content.decode()
    assert f'<a href="{change_url(quote)}">Quote: AI will be your digital partner</a>' in page
    assert "quote #" not in page


def test_a_refused_save_keeps_the_saved_wording_in_the_heading(client, editor, quoted, two_speakers):
    quote = factories.QuoteFactory(
        coverage=quoted, speakers=[two_speakers[0]], text="Saved words", anchor_exact="It is near."
    )
    client.force_login(editor)
    data = change_form_data(client.get(change_url(quote)), text="Typed words")  # no correction note
    response = client.post(change_url(quote), data)
    assert response.status_code == 200
    assert response.context["subtitle"] == "Saved words"
    assert "<h2>Saved words</h2>" in response.content.decode()
    assert (
        'value="Typed words"' in response.content.decode()
        or "Typed words</textarea>" in response.content.decode()
    )


def proposal_for(contributor, quote, **values):
    from dialogues import services

    return services.propose_change(by=contributor, values=values, target=quote)


def test_bulk_approve_goes_through_the_services(client, editor, contributor, quoted, two_speakers):
    quote = factories.QuoteFactory(coverage=quoted, speakers=[two_speakers[0]], anchor_exact="It is near.")
    proposal = proposal_for(contributor, quote, is_featured=True)

    client.force_login(contributor)
    response = client.post(
        changelist_url(Quote), {"action": "approve", "_selected_action": [quote.pk]}, follow=True
    )
    # Not offered to a Contributor, and refused when posted anyway.
    assert "No action selected." in response.content.decode()
    proposal.refresh_from_db()
    quote.refresh_from_db()
    assert proposal.status == Proposal.Status.PENDING and not quote.is_featured

    client.force_login(editor)
    response = client.post(
        changelist_url(Quote), {"action": "approve", "_selected_action": [quote.pk]}, follow=True
    )
    assert "1 proposal approved." in response.content.decode()
    proposal.refresh_from_db()
    quote.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED and quote.is_featured


def test_bulk_set_topic_writes_or_proposes_as_the_form_would(
    client, editor, contributor, quoted, two_speakers
):
    quote = factories.QuoteFactory(coverage=quoted, speakers=[two_speakers[0]], anchor_exact="It is near.")
    claim = factories.ClaimFactory(coverage=quoted)
    topic = factories.TopicFactory(name="Robots")
    client.force_login(editor)
    page = client.post(changelist_url(Quote), {"action": "set_topic", "_selected_action": [quote.pk]})
    assert page.status_code == 200 and "File quotes under a topic" in page.content.decode()
    version = quote.version
    response = client.post(
        changelist_url(Quote),
        {"action": "set_topic", "_selected_action": [quote.pk], "topic": topic.pk, "apply": "1"},
        follow=True,
    )
    assert "1 quote filed under “Robots”." in response.content.decode()
    quote.refresh_from_db()
    assert list(quote.topics.all()) == [topic] and quote.version == version + 1

    client.force_login(contributor)  # published: a Contributor's change waits for an Editor
    response = client.post(
        changelist_url(Claim),
        {"action": "set_topic", "_selected_action": [claim.pk], "topic": topic.pk, "apply": "1"},
        follow=True,
    )
    assert "1 claim sent to an Editor for review" in response.content.decode()
    assert not claim.topics.exists()
    assert Proposal.objects.pending().about([claim]).get().changes == {"topics": [topic.pk]}


def test_bulk_submit_for_review_submits_their_draft_coverage(client, contributor, two_speakers):
    draft = factories.CoverageFactory(
        draft=True, created_by=contributor, dialogue=factories.DialogueFactory(speakers=two_speakers)
    )
    quote = factories.QuoteFactory(coverage=draft, speakers=[two_speakers[0]])
    client.force_login(contributor)
    response = client.post(
        changelist_url(Quote), {"action": "submit_for_review", "_selected_action": [quote.pk]}, follow=True
    )
    assert "1 coverage submitted for review." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Coverage.Status.IN_REVIEW


def test_staff_see_an_edit_link_that_readers_and_the_page_cache_never_get(
    client, editor, quoted, two_speakers, settings
):
    settings.PAGE_CACHE_ENABLED = True
    quote = factories.QuoteFactory(coverage=quoted, speakers=[two_speakers[0]], anchor_exact="It is near.")
    edit = f'<a href="{change_url(quote)}">Edit this quote in the admin</a>'
    client.force_login(editor)
    assert edit in client.get(quote.get_absolute_url()).content.decode()
    speaker = two_speakers[0]
    assert (
        f'<a href="{change_url(speaker)}">Edit this speaker'
        in client.get(speaker.get_absolute_url()).content.decode()
    )
    assert (
        f'<a href="{change_url(quoted)}">Edit this coverage'
        in client.get(quoted.get_absolute_url()).content.decode()
    )
    client.logout()
    for _ in range(2):  # rendered, then served from the page cache
        page = client.get(quote.get_absolute_url()).content.decode()
        assert "Edit this" not in page and "/admin/" not in page


def test_staff_preview_of_an_entity_readers_do_not_see_has_the_banner(client, editor, two_speakers):
    loner = factories.SpeakerFactory(name="Not Yet Public")
    client.force_login(editor)
    page = client.get(loner.get_absolute_url()).content.decode()
    assert "Preview</strong> — not public" in page


def test_restore_shows_what_it_would_change_before_saving(client, editor, quoted, two_speakers):
    quote = factories.QuoteFactory(
        coverage=quoted, speakers=[two_speakers[0]], text="First words", anchor_exact="It is near."
    )
    first = quote.history.latest()
    client.force_login(editor)
    data = change_form_data(client.get(change_url(quote)), text="Second words", correction_note="Reworded.")
    assert client.post(change_url(quote), data).status_code == 302
    url = reverse("admin:dialogues_quote_simple_history", args=[quote.pk, first.history_id])
    page = client.get(url).content.decode()
    assert "What restoring this version changes" in page
    assert '<tr><th scope="row">Words</th><td>Second words</td><td>First words</td></tr>' in page
    quote.refresh_from_db()
    assert quote.text == "Second words"  # shown, not saved


def test_a_miss_is_told_once(client, editor, quoted, two_speakers):
    """The form's anchor check and the model's own (kept for the API and commands) must not both
    print the same refusal."""
    client.force_login(editor)
    data = new_quote_data(
        client, quoted, two_speakers[0], anchor_exact="Revenue grew to US$5 bilion last year."
    )
    errors = client.post(add_url(Quote), data).context["adminform"].form.errors
    assert len(errors["anchor_exact"]) == 1, errors
    assert str(errors).count("does not occur") == 1


def test_a_passage_picked_elsewhere_moves_the_section_with_it(client, editor, quoted, two_speakers):
    client.force_login(editor)
    data = new_quote_data(
        client, quoted, two_speakers[1], anchor_exact="Bo Speaker said the future is closed."
    )
    assert client.post(add_url(Quote), data).status_code == 302
    quote = Quote.objects.get()
    assert quote.section.number == 1
    data = change_form_data(client.get(change_url(quote)))
    data.update(
        anchor_exact="Revenue grew to US$5 billion last year.", correction_note="Anchored where it was said."
    )
    response = client.post(change_url(quote), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote.refresh_from_db()
    assert quote.section.number == 2  # "Use selection" changed the passage, not the section
    # A section the editor chose in the same save is theirs to choose (and checked).
    data = change_form_data(client.get(change_url(quote)))
    first = quoted.sections.get(number=1)
    data.update(
        anchor_exact="Bo Speaker said the future is closed.", section=str(first.pk), correction_note="Back."
    )
    response = client.post(change_url(quote), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote.refresh_from_db()
    assert quote.section.number == 1
