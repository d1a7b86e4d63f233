"""The import assistant in a browser: paste an article, review the proposals by keyboard,
and read the review screen at phone width."""

import re
import threading

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from dialogues import admin_imports
from dialogues.models import ImportProposal, Quote
from tests.factories import DialogueFactory, SpeakerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTICLE = (
    "Robots on Stage\n\n"
    '"Every factory will teach its robots something new," Ada Lovelace said. '
    "Sales of robot arms grew by about 40% last year."
)


def test_editor_imports_and_accepts_a_quote_by_keyboard(page, live_server, django_user_model):
    dialogue = DialogueFactory(title="Robots dialogue", speakers=[SpeakerFactory(name="Ada Lovelace")])
    user = django_user_model.objects.create_user("importer", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("importer")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()

    page.goto(live_server.url + "/admin/dialogues/importproposal/add/")
    expect(page).to_have_url(re.compile("/importproposal/import/$"))
    page.get_by_label("Article").fill(ARTICLE)
    page.get_by_label("Dialogue").select_option(label=str(dialogue))
    page.get_by_role("button", name="Import as a draft").click()
    expect(page).to_have_url(re.compile("/importproposal/review/\\d+/$"))
    assert "Nothing is published" in page.locator(".messagelist").inner_text()

    # The marked passage links to its proposal; the proposal's Accept button works by keyboard.
    quote = ImportProposal.objects.get(kind="quote")
    mark = page.locator(f'a.import-mark[href="#proposal-{quote.pk}"]').first
    mark.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"#proposal-{quote.pk}$"))
    row = page.locator(f"#proposal-{quote.pk}")
    row.get_by_role("button", name="Accept").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("1 accepted")
    assert Quote.objects.get().text == "Every factory will teach its robots something new"
    assert page.console_errors == []

    # At 390 px the text and the proposals stack and nothing runs off the side.
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    overflow = page.evaluate(
        "() => [...document.querySelectorAll('.import-text, .import-proposals')]"
        ".map(e => e.getBoundingClientRect().right)"
    )
    assert overflow and max(overflow) <= 390, overflow


def _log_in_as_editor(page, live_server, django_user_model):
    user = django_user_model.objects.create_user("waiter", password="a-long-test-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("waiter")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Log in").click()


def test_the_page_shows_how_far_a_long_import_is(page, live_server, django_user_model, monkeypatch):
    """The import is held halfway on the server until the page has shown it: the bar's value
    comes from the status endpoint the page polls while its post is under way."""
    dialogue = DialogueFactory(title="Robots dialogue", speakers=[SpeakerFactory(name="Ada Lovelace")])
    halfway = threading.Event()
    real = admin_imports.import_submitted

    def held(*, by, submitted, progress=None):
        progress(0.5, "Halfway through the transcript…")
        halfway.wait(15)
        return real(by=by, submitted=submitted, progress=progress)

    monkeypatch.setattr(admin_imports, "import_submitted", held)
    _log_in_as_editor(page, live_server, django_user_model)
    page.goto(live_server.url + "/admin/dialogues/importproposal/import/")
    bar = page.locator("#import-progress-bar")
    expect(bar).to_be_hidden()
    page.get_by_label("Article").fill(ARTICLE)
    page.get_by_label("Dialogue").select_option(label=str(dialogue))
    # While the post is pending the page cannot be queried, but it can report: the test
    # watches the bar and the status line and logs what they show.
    page.evaluate(
        """() => {
          const bar = document.getElementById("import-progress-bar");
          const status = document.getElementById("import-progress");
          const report = () => console.log(`shown: ${bar.hidden ? "hidden" : bar.value} ${status.textContent}`);
          new MutationObserver(report).observe(bar, { attributes: true });
          new MutationObserver(report).observe(status, { childList: true, characterData: true, subtree: true });
        }"""
    )
    # Not waiting for the navigation the click starts: the page is watched while it is pending.
    page.get_by_role("button", name="Import as a draft").click(no_wait_after=True)
    try:
        page.wait_for_event(
            "console",
            lambda message: message.text == "shown: 50 Halfway through the transcript…",
            timeout=10_000,
        )
    finally:
        halfway.set()
    expect(page).to_have_url(re.compile("/importproposal/review/\\d+/$"))
    assert page.console_errors == []


def test_the_import_works_without_javascript(browser, live_server, django_user_model):
    dialogue = DialogueFactory(title="Robots dialogue", speakers=[SpeakerFactory(name="Ada Lovelace")])
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        _log_in_as_editor(page, live_server, django_user_model)
        page.goto(live_server.url + "/admin/dialogues/importproposal/import/")
        page.get_by_label("Article").fill(ARTICLE)
        page.get_by_label("Dialogue").select_option(label=str(dialogue))
        page.get_by_role("button", name="Import as a draft").click()
        expect(page).to_have_url(re.compile("/importproposal/review/\\d+/$"))
        assert ImportProposal.objects.filter(kind="quote").count() == 1
    finally:
        context.close()
