"""Browser tests of the quote and claim forms: pasted passages anchor, typos offer the closest
passage, the claim form shows prediction fields only for predictions."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from dialogues.models import Claim, Quote

# Each test starts from the migrated database (the roles' groups included), not a flushed one.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def editor_login(live_server, django_user_model):
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    user = django_user_model.objects.create_user("e2e-editor", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return live_server.url, "e2e-editor", "a-long-test-password"


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
    page.get_by_label("Passage (exact)").fill("AI will become your “digitl partner.”")
    page.get_by_role("button", name="Save", exact=True).first.click()
    error = page.locator(".errorlist").first.inner_text()
    assert "The closest passage, in section 02 Three Key Propositions" in error
    assert 'AI will become your "digital partner."' in error
    page.get_by_label("Use the closest passage").check()
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page).to_have_url(re.compile("/admin/dialogues/quote/$"))
    quote.refresh_from_db()
    assert quote.anchor_exact == 'AI will become your "digital partner."'
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
