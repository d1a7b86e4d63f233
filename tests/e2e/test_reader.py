import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from dialogues.models import Quote

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    return live_server.url


def test_reader_follows_coverage_speaker_topic_and_searches(page, site):
    page.goto(site + "/")
    assert "Dialogue Desk" in page.title()
    page.get_by_role("link", name=re.compile("Three Overlooked Key Insights")).first.click()
    expect(page).to_have_url(re.compile("/coverage/"))
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith("Huang Renxun and Wang Jian's Dialogue")
    )
    # Every quote of the article is marked in the text and numbered where it ends.
    quotes = Quote.objects.filter(coverage__slug="huang-renxun-wang-jian-three-overlooked-insights").count()
    assert quotes >= 3 and page.locator("a.ref-quote").count() == quotes
    assert page.locator(".article-part mark.mark-quote").count() >= quotes
    assert page.locator("aside.commentary").count() == 10

    page.get_by_role("link", name="Huang Renxun", exact=True).first.click()
    expect(page).to_have_url(re.compile("/speakers/huang-renxun/"))
    assert "Jensen Huang" in page.locator("main").inner_text()

    page.get_by_role("link", name="AI and humans", exact=True).first.click()
    expect(page).to_have_url(re.compile("/topics/ai-and-humans/"))
    # One column: only Huang Renxun is quoted on it (the article never quotes Wang Jian).
    assert page.locator(".side-by-side .column").count() == 1

    page.get_by_label("Search", exact=True).fill("Jensen Huang")
    page.get_by_label("Search", exact=True).press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Jensen"))
    assert page.get_by_role("link", name="Huang Renxun").count() >= 1
    assert page.console_errors == []


def test_every_page_is_keyboard_reachable_and_fits_a_phone(browser, site):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    for path in [
        "/",
        "/coverage/huang-renxun-wang-jian-three-overlooked-insights/",
        "/speakers/huang-renxun/",
        "/topics/open-source/",
        "/quotes/huang-ai-digital-partner/",
        "/claims/",
        "/predictions/",
        "/search/?q=open",
    ]:
        page.goto(site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link", path
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main", path
        # Headings go down one level at a time.
        levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4')].map(h => +h.tagName[1])")
        assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), path
        # The header's links are targets a thumb can hit: 24 px tall at least.
        heights = page.evaluate(
            "[...document.querySelectorAll('.site-header nav a')].map(a => a.getBoundingClientRect().height)"
        )
        assert heights and min(heights) >= 24, (path, heights)
    assert errors == []
    context.close()


def test_focus_is_visible(page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_api_docs_render_under_the_content_security_policy(page, site):
    """Swagger UI and Redoc come from our own static files and run without inline script."""
    page.goto(site + "/api/v1/docs/")
    expect(page.get_by_text("/api/v1/quotes/").first).to_be_visible(timeout=15000)
    page.goto(site + "/api/v1/redoc/")
    expect(page.get_by_role("heading", name=re.compile("Dialogue Desk API"))).to_be_visible(timeout=15000)
    # Redoc's footer asks for a logo from cdn.redoc.ly: the policy refuses it, as it should. What
    # must never be refused is our own code: no inline script, no eval.
    refused = [e for e in page.console_errors if "Content Security Policy" in e]
    assert all(re.search(r"Loading the image 'https://", e) for e in refused), refused
