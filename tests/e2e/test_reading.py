"""Reading in a browser (issue 23): notes and their marks, the highlight toggle, print, dark
mode checked by axe in both colour schemes, and the phone-width tables and filters.

axe-core comes from the pinned ``axe-playwright-python`` package (its bundled axe.min.js,
injected by Playwright): nothing is fetched from a CDN."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from dialogues.models import Coverage, Quote

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTICLE = "/coverage/huang-renxun-wang-jian-three-overlooked-insights/"
TRANSPARENT = "rgba(0, 0, 0, 0)"


@pytest.fixture
def site(live_server):
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    return live_server.url


def new_page(browser, *, width=1280, scheme="light"):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    return context, context.new_page()


def style(page, selector, prop, pseudo=None):
    return page.eval_on_selector(
        selector, "(el, [prop, pseudo]) => getComputedStyle(el, pseudo)[prop]", [prop, pseudo]
    )


def test_a_mark_leads_to_its_note_under_its_section_and_back(page, site):
    # A quote with no section set: its note still sits under section 02, where it is said.
    Quote.objects.filter(slug="huang-ai-digital-partner").update(section=None)
    page.goto(site + ARTICLE)
    ref = page.locator("#ref-quote-huang-ai-digital-partner")
    box = ref.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # a tap target
    ref.click()
    expect(page).to_have_url(re.compile("#quote-huang-ai-digital-partner$"))
    note = page.locator("#section-2 .notes #quote-huang-ai-digital-partner")
    expect(note).to_be_in_viewport()
    back = note.locator(".backref")
    assert back.bounding_box()["height"] >= 24
    back.click()
    expect(page).to_have_url(re.compile("#ref-quote-huang-ai-digital-partner$"))
    expect(ref).to_be_in_viewport()
    # Notes of each part are in text order.
    for part in page.locator(".article-part").all():
        numbers = [int(n) for n in part.locator(".backref").all_inner_texts() for n in re.findall(r"\d+", n)]
        assert numbers == sorted(numbers)
    assert page.console_errors == []


def test_marks_are_light_until_the_reader_shows_them_without_javascript(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + ARTICLE)
    claim_mark = ".article-part mark.mark-claim"
    quote_mark = ".article-part mark.mark-quote:not(.mark-claim)"
    assert style(page, claim_mark, "backgroundColor") == TRANSPARENT
    assert style(page, quote_mark, "backgroundColor") == TRANSPARENT
    assert "underline" in style(page, quote_mark, "textDecorationLine")  # light, yet visible
    toggle = page.get_by_label(re.compile("Highlight quoted speech and claims"))
    toggle.focus()
    page.keyboard.press("Space")  # by keyboard, with JavaScript off
    expect(toggle).to_be_checked()
    assert style(page, claim_mark, "backgroundColor") == "rgb(220, 236, 255)"
    assert style(page, quote_mark, "backgroundColor") == "rgb(255, 242, 179)"
    context.close()


def test_the_article_prints_as_an_article(page, site):
    Coverage.objects.update(source_publication="Example Daily", original_url="https://example.com/original")
    page.goto(site + ARTICLE)
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-search", ".site-footer", ".legend"):
        assert style(page, hidden, "display") == "none", hidden
    # Marks print as bracketed footnote numbers, without colour; the notes stay under sections.
    assert style(page, ".ref", "content", "::before") == '"["'
    assert style(page, ".article-part mark.mark-claim", "backgroundColor") == TRANSPARENT
    assert page.locator(".notes .note").first.is_visible()
    # A link's address is printed after it.
    after = style(page, ".byline a", "content", "::after")
    assert "https://example.com/original" in after
    assert style(page, ".ref", "content", "::after") == '"]"'
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    # Every page says where it came from; a statement's passage is underlined, not shaded, even
    # when the screen is dark.
    assert style(page, ".printed-from", "display") == "block"
    page.emulate_media(media="print", color_scheme="dark")
    page.goto(site + "/claims/coreweave-market-value-tripled/")
    assert style(page, ".passage mark", "backgroundColor") == TRANSPARENT
    assert style(page, ".passage mark", "color") == "rgb(0, 0, 0)"


AXE_PAGES = [
    ARTICLE,
    "/",
    "/claims/",
    "/claims/coreweave-market-value-tripled/",
    "/quotes/huang-ai-digital-partner/",
    "/speakers/huang-renxun/",
    "/topics/ai-and-humans/",
    "/quotes/",
    "/predictions/",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_in_either_colour_scheme(browser, site, scheme, tmp_path):
    context, page = new_page(browser, scheme=scheme)
    axe = Axe()
    page.goto(site + ARTICLE)
    background = style(page, "body", "backgroundColor")
    assert background == ("rgb(22, 23, 26)" if scheme == "dark" else "rgb(253, 252, 249)")
    page.check("#show-marks")  # the highlighted text's contrast is checked too
    shot = tmp_path / f"article-{scheme}.png"
    page.screenshot(path=shot, full_page=False)
    assert shot.stat().st_size > 10_000
    found = {}
    for path in AXE_PAGES:
        if path != ARTICLE:
            page.goto(site + path)
        violations = axe.run(page).response["violations"]
        if violations:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert found == {}
    context.close()


def test_phone_width_tables_scroll_with_a_hint_and_filters_fit(browser, site):
    context, page = new_page(browser, width=390)
    page.goto(site + "/predictions/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    expect(page.locator(".scroll-hint")).to_be_visible()
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollWidth - el.clientWidth") > 100  # it scrolls
    wrap.focus()  # a region reachable by keyboard, scrolled with the arrow keys
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Scrolling is smooth, so it may take a few frames (polled here: the page's CSP forbids
    # the eval that wait_for_function's string predicates use).
    for _ in range(40):
        if wrap.evaluate("el => el.scrollLeft") > 0:
            break
        page.wait_for_timeout(50)
    assert wrap.evaluate("el => el.scrollLeft") > 0

    page.goto(site + "/quotes/")
    speaker = page.get_by_label("Speaker")
    fits = speaker.evaluate(
        """el => {
            const s = getComputedStyle(el);
            const ctx = document.createElement('canvas').getContext('2d');
            ctx.font = `${s.fontSize} ${s.fontFamily}`;
            const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
            return ctx.measureText(el.placeholder).width <= room;
        }"""
    )
    assert fits
    # The labels line up: every field starts at the same left edge, one under the other.
    lefts = {
        round(box["x"])
        for box in (f.bounding_box() for f in page.locator(".filters input, .filters select").all())
    }
    assert len(lefts) == 1
    # Quote text on a card looks like the link it is.
    assert "underline" in style(page, ".quote-card blockquote a", "textDecorationLine")
    context.close()
