"""Search in a browser: a speaker's alias finds what he said, a typo gets a working "did you
mean", and every badge leads to what it means."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    return live_server.url


def search_for(page, words):
    box = page.get_by_role("searchbox")
    expect(box).to_have_count(1)  # one search box on the page, whichever it is
    box.fill(words)
    box.press("Enter")


@pytest.mark.parametrize("alias", ["Jensen Huang", "黄仁勋"])
def test_an_alias_finds_the_article_his_quotes_and_claims(page, site, alias):
    page.goto(site + "/")
    search_for(page, alias)
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    main = page.locator("main")
    for heading in ("Speakers", "Coverage", "Quotes", "Claims"):
        expect(main.get_by_role("heading", name=heading, level=2)).to_be_visible()
    coverage = main.get_by_role("region", name="Coverage")
    expect(coverage.get_by_role("heading", name=re.compile("Three Overlooked Key Insights"))).to_be_visible()
    expect(coverage.locator(".search-passage mark").first).to_be_visible()
    quotes = main.get_by_role("region", name="Quotes")
    expect(quotes.get_by_role("link", name=re.compile("digital partner"))).to_be_visible()
    assert page.console_errors == []


def test_a_typo_offers_did_you_mean_and_the_link_works(page, site):
    page.goto(site + "/search/")
    search_for(page, "Jensen Haung")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Nothing found for “Jensen Haung”. Did you mean")
    status.get_by_role("link", name="Jensen Huang", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search/\?q=Jensen%20Huang$"))
    expect(page.get_by_role("status")).to_contain_text("Results for “Jensen Huang”")
    expect(page.locator("main").get_by_role("link", name="Huang Renxun", exact=True).first).to_be_visible()

    search_for(page, "coreweeve")
    page.get_by_role("status").get_by_role("link", name="CoreWeave", exact=True).click()
    expect(page.locator("main")).to_contain_text("CoreWeave")
    assert page.console_errors == []


def test_a_status_badge_leads_to_its_meaning(page, site):
    page.goto(site + "/claims/?status=supported")
    page.locator("main a.badge.status-supported").first.click()
    expect(page).to_have_url(re.compile(r"/methodology/#claim-status-supported$"))
    expect(page.locator("#claim-status-supported")).to_be_in_viewport()
    expect(page.locator("#claim-status-supported + dd")).to_contain_text("Evidence")


def test_search_and_methodology_fit_a_phone_with_headings_in_order(browser, site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    for path in ("/search/?q=Jensen+Huang", "/search/?q=NVDIA", "/search/?q=nvidia", "/methodology/"):
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, path
        levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4')].map(h => +h.tagName[1])")
        assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), path
    # The methodology page's entries are reachable from its own contents, by keyboard.
    page.get_by_role("navigation", name="On this page").get_by_role("link", name="Quote kind").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#quote-kind$"))
    context.close()
