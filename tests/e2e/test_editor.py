import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from dialogues.models import Claim, Coverage, Quote

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_login(live_server, django_user_model):
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    user = django_user_model.objects.create_user("e2e-editor", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return live_server.url, "e2e-editor", "a-long-test-password"


def test_editor_edits_a_quote_publishes_a_draft_and_sees_it_live(page, editor_login):
    site, username, password = editor_login
    article = Coverage.objects.get()
    draft = Coverage.objects.create(
        title="A Second Look at the Chain Expo",
        slug="second-look",
        dek="Draft coverage.",
        dialogue=article.dialogue,
        source_text="A Second Look at the Chain Expo\n\nMore to say.",
        status=Coverage.Status.DRAFT,
    )
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile("/admin/$"))

    # Edit a quote: published content asks for a public correction note.
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    page.goto(f"{site}/admin/dialogues/quote/{quote.pk}/change/")
    page.get_by_label("Words").fill("AI will become your “digital partner”.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    assert "correction note" in page.locator(".errorlist").first.inner_text()
    page.get_by_label("Correction note").fill("Moved the full stop outside the quotation marks.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page).to_have_url(re.compile("/admin/dialogues/quote/$"))
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    # Publish the draft with the admin action.
    assert page.context.request.get(site + "/coverage/second-look/").status == 200  # staff preview
    page.goto(f"{site}/admin/dialogues/coverage/")
    page.locator(f"input[name=_selected_action][value='{draft.pk}']").check()
    page.locator("select[name=action]").select_option("publish")
    page.get_by_role("button", name="Go").click()
    assert "1 coverage published" in page.locator(".messagelist").inner_text()

    # A reader (a fresh browser context, not logged in) now sees both changes.
    reader = page.context.browser.new_context().new_page()
    reader.goto(site + "/coverage/second-look/")
    assert reader.get_by_role("heading", level=1).inner_text() == "A Second Look at the Chain Expo"
    assert "Preview" not in reader.locator("main").inner_text()
    reader.goto(site + "/quotes/huang-ai-digital-partner/")
    main = reader.locator("main").inner_text()
    assert "AI will become your “digital partner”." in main
    assert "Moved the full stop outside the quotation marks." in main
    assert page.console_errors == []
    reader.context.close()


def log_in(page, site, username, password):
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile("/admin/$"))


def test_a_pasted_passage_with_curly_quotes_and_a_line_break_anchors(page, editor_login):
    site, username, password = editor_login
    log_in(page, site, username, password)
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    page.goto(f"{site}/admin/dialogues/quote/{quote.pk}/change/")
    # The article's text is beside the form, to copy the passage from.
    expect(page.get_by_role("region", name=re.compile("Text of"))).to_contain_text("digital partner")
    page.get_by_label("Passage (exact)").fill(
        "is far from being finalized.\nAs Huang Renxun said, AI will become your “digital partner.”"
    )
    page.get_by_label("Correction note").fill("The passage now includes the sentence before.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page).to_have_url(re.compile("/admin/dialogues/quote/$"))
    quote.refresh_from_db()
    assert quote.anchor_exact == (
        'is far from being finalized.\n\nAs Huang Renxun said, AI will become your "digital partner."'
    )
    assert page.console_errors == []


def test_a_typo_offers_the_closest_passage(page, editor_login):
    site, username, password = editor_login
    log_in(page, site, username, password)
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    version = quote.version
    page.goto(f"{site}/admin/dialogues/quote/{quote.pk}/change/")
    page.get_by_label("Passage (exact)").fill("As Huang Renxun said, AI will become your “digitl partner.”")
    page.get_by_role("button", name="Save", exact=True).first.click()
    error = page.locator(".errorlist").first.inner_text()
    assert "The closest passage, in section 02 Three Key Propositions" in error
    assert 'As Huang Renxun said, AI will become your "digital partner."' in error
    page.get_by_label("Use the closest passage").check()
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page).to_have_url(re.compile("/admin/dialogues/quote/$"))
    quote.refresh_from_db()
    assert quote.anchor_exact == 'As Huang Renxun said, AI will become your "digital partner."'
    assert quote.version == version + 1
    assert page.console_errors == []


def test_claim_form_shows_prediction_fields_only_for_predictions(page, editor_login):
    site, username, password = editor_login
    log_in(page, site, username, password)
    claim = Claim.objects.exclude(kind="prediction").first()
    page.goto(f"{site}/admin/dialogues/claim/{claim.pk}/change/")
    prediction = page.locator("fieldset.prediction-fields")
    expect(prediction).to_be_hidden()
    page.locator("#id_kind").select_option("prediction")
    expect(prediction).to_be_visible()
    expect(prediction.get_by_label("Resolve by")).to_be_visible()
    page.locator("#id_kind").select_option("fact")
    expect(prediction).to_be_hidden()
    assert page.console_errors == []
