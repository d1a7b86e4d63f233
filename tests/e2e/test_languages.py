"""The reader's languages in a browser: switching by keyboard, and arriving in Chinese."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import ARTICLE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    return live_server.url


def tab_to(page, selector, limit=60):
    """Press Tab until the element ``selector`` names has the focus, as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} never took the focus")


def test_the_keyboard_switches_an_article_to_chinese_and_back(page, site):
    page.goto(f"{site}/coverage/{ARTICLE}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    tab_to(page, ".language-switch a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/zh-hans/coverage/{ARTICLE}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_attribute("lang", "en")  # the same article, as written
    expect(page.locator("#introduction-notes")).to_have_text("导语注释")

    tab_to(page, ".language-switch a")
    expect(page.locator(":focus")).to_have_text("English")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/coverage/{ARTICLE}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.console_errors == []


def test_a_browser_set_to_chinese_arrives_in_chinese_and_may_choose_english(browser, site):
    chinese = browser.new_context(locale="zh-CN")  # Accept-Language: zh-CN
    page = chinese.new_page()
    page.goto(site + "/")
    page.wait_for_url(f"{site}/zh-hans/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.locator(".language-switch a").click()
    page.wait_for_url(f"{site}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # a choice, not sent back
    page.goto(site + "/")  # typed again later: the choice is remembered
    expect(page.locator("html")).to_have_attribute("lang", "en")
    chinese.close()

    english = browser.new_context(locale="en-GB")
    page = english.new_page()
    page.goto(site + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    english.close()
