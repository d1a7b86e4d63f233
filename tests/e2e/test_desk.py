"""The newsroom desk in a browser: a Contributor's proposal reaches the Editor's home and goes
live when approved; scheduled coverage shows under Scheduled in newsroom time; a draft submitted
from its form is published from the desk in one click."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from dialogues.models import Coverage, Proposal, Quote

# One test: the flush after a transactional test drops the roles the data migrations made.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def site(live_server, django_user_model):
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    for username, role in (("e2e-contributor", "Contributor"), ("e2e-editor", "Editor")):
        user = django_user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
    return live_server.url


def log_in(page, site, username):
    page.goto(site + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile("/admin/$"))


def test_the_desk_shows_the_work_and_scheduled_coverage_in_newsroom_time(page, site):
    a_contributors_proposal_reaches_the_desk_and_goes_live_when_approved(page, site)
    page.context.clear_cookies()
    an_editor_schedules_coverage_and_sees_it_under_scheduled_in_newsroom_time(page, site)
    page.context.clear_cookies()
    a_draft_submitted_from_its_form_is_published_from_the_desk(page, site)


def a_contributors_proposal_reaches_the_desk_and_goes_live_when_approved(page, site):
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    log_in(page, site, "e2e-contributor")
    page.goto(f"{site}/admin/dialogues/quote/{quote.pk}/change/")
    page.get_by_label("Words").fill("AI will become your “digital partner”.")
    page.get_by_label("Correction note").fill("Moved the full stop outside the quotation marks.")
    page.get_by_role("button", name="Save", exact=True).first.click()
    assert "sent to an Editor for review" in page.locator(".messagelist").inner_text()

    editor = page.context.browser.new_context().new_page()
    log_in(editor, site, "e2e-editor")
    in_review = editor.locator("section", has=editor.get_by_role("heading", name="In review"))
    row = in_review.get_by_role("row").filter(has_text="Quote:")
    expect(row).to_contain_text("e2e-contributor")
    # The desk uses the page's width: Django's dashboard keeps its content 600 px wide, where
    # "Submitted by" and a username wrapped a letter a line.
    editor.set_viewport_size({"width": 1366, "height": 900})
    assert in_review.locator("table").bounding_box()["width"] > 900
    header = in_review.get_by_role("columnheader", name="Submitted by")
    lines = "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
    assert header.evaluate(lines) == 1
    row.get_by_role("link", name="Open the proposal").click()
    expect(editor).to_have_url(re.compile(r"/admin/dialogues/proposal/\d+/change/$"))
    assert "AI will become your “digital partner”." in editor.locator("main").inner_text()
    editor.get_by_label("Decision").select_option("approve")
    editor.get_by_role("button", name="Save", exact=True).first.click()
    assert Proposal.objects.get().status == "approved"
    editor.goto(site + "/admin/")
    expect(editor.locator("section", has=editor.get_by_role("heading", name="In review"))).to_contain_text(
        "Nothing waits for review."
    )

    reader = page.context.browser.new_context().new_page()
    reader.goto(site + "/quotes/huang-ai-digital-partner/")
    main = reader.locator("main").inner_text()
    assert "AI will become your “digital partner”." in main
    assert "Moved the full stop outside the quotation marks." in main
    assert page.console_errors == []
    for other in (editor, reader):
        other.context.close()


def an_editor_schedules_coverage_and_sees_it_under_scheduled_in_newsroom_time(page, site):
    article = Coverage.objects.get()
    draft = Coverage.objects.create(
        title="A Second Look at the Chain Expo",
        slug="second-look",
        dialogue=article.dialogue,
        source_text="A Second Look at the Chain Expo\n\nMore to say.",
        status=Coverage.Status.DRAFT,
    )
    log_in(page, site, "e2e-editor")
    page.goto(f"{site}/admin/dialogues/coverage/{draft.pk}/change/")
    assert "Newsroom time: CST (Asia/Shanghai)" in page.locator("main").inner_text()
    page.get_by_label("Status").select_option("scheduled")
    page.locator("input[name=publish_at_0]").fill("2099-07-17")
    page.locator("input[name=publish_at_1]").fill("09:00:00")
    page.get_by_role("button", name="Save", exact=True).first.click()
    assert "Scheduled for 17 Jul 2099 09:00 CST" in page.locator(".messagelist").inner_text()
    expect(page.get_by_role("row").filter(has_text="A Second Look")).to_contain_text("Scheduled")

    page.goto(site + "/admin/")
    scheduled = page.locator("section", has=page.get_by_role("heading", name="Scheduled"))
    expect(scheduled.get_by_role("row").filter(has_text="A Second Look at the Chain Expo")).to_contain_text(
        "17 Jul 2099 09:00 CST"
    )
    # Readers do not see it before its time.
    reader = page.context.browser.new_context().new_page()
    assert reader.goto(site + "/coverage/second-look/").status == 404
    assert page.console_errors == []
    reader.context.close()


def a_draft_submitted_from_its_form_is_published_from_the_desk(page, site):
    article = Coverage.objects.get(slug="second-look")
    draft = Coverage.objects.create(
        title="Notes from the Expo Floor",
        slug="expo-floor",
        dialogue=article.dialogue,
        source_text="Notes from the Expo Floor\n\nWhat we saw.",
        status=Coverage.Status.DRAFT,
        created_by=User.objects.get(username="e2e-contributor"),
    )
    log_in(page, site, "e2e-contributor")
    page.goto(f"{site}/admin/dialogues/coverage/{draft.pk}/change/")
    page.get_by_role("button", name="Save and submit for review").first.click()
    expect(page).to_have_url(re.compile("/admin/$"))
    assert "saved and submitted" in page.locator(".messagelist").inner_text()

    editor = page.context.browser.new_context().new_page()
    log_in(editor, site, "e2e-editor")
    in_review = editor.locator("section", has=editor.get_by_role("heading", name="In review"))
    row = in_review.get_by_role("row").filter(has_text="Notes from the Expo Floor")
    expect(row).to_contain_text("e2e-contributor")
    row.get_by_role("button", name="Publish now").click()
    assert "readers see it now" in editor.locator(".messagelist").inner_text()

    reader = page.context.browser.new_context().new_page()
    assert reader.goto(site + "/coverage/expo-floor/").status == 200
    assert "Notes from the Expo Floor" in reader.locator("main").inner_text()
    assert page.console_errors == []
    for other in (editor, reader):
        other.context.close()
