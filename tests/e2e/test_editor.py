import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from dialogues.models import Coverage, Quote

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
