"""The article and the pages around it read well (issue 23): notes where their passage is,
ways between a mark and its note, corrections and the byline on the article, numbers as a
reader writes them, and the small things readers noticed."""

import datetime
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.html import escape

from dialogues import services
from dialogues.models import Claim, ClaimFigure, Coverage, Quote, Section
from dialogues.readable import readable_number
from tests import factories

pytestmark = pytest.mark.django_db

COVERAGE_URL = "/coverage/huang-renxun-wang-jian-three-overlooked-insights/"


def parts_of(page):
    """The article's parts (introduction, then each section) as HTML, in page order."""
    article = page[page.index('<article class="coverage">') :]
    return article.split('<section class="article-part"')[1:]


def note_numbers(part):
    return [int(n) for n in re.findall(r'<a class="backref" href="#ref-[^"]+"[^>]*>(\d+)<', part)]


@pytest.fixture
def notes_world(coverage):
    """Two quotes in section 1 (the first filed under section 2 by mistake, the second with no
    section) and a claim with no section whose passage is in section 2."""
    ada, bo = coverage.dialogue.speakers.order_by("slug")
    second = Section.objects.get(coverage=coverage, number=2)
    misfiled = factories.QuoteFactory(
        coverage=coverage, speakers=[ada], slug="misfiled", text="Open, said Ada.", section=second
    )
    unsectioned = factories.QuoteFactory(
        coverage=coverage,
        speakers=[bo],
        slug="unsectioned",
        text="The future is open, we think.",
        anchor_exact="The future is open.",
    )
    claim = factories.ClaimFactory(coverage=coverage, slug="revenue")
    return misfiled, unsectioned, claim


def test_notes_sit_under_the_section_of_their_passage_in_text_order(client, notes_world, coverage):
    misfiled, unsectioned, claim = notes_world
    page = client.get(coverage.get_absolute_url()).content.decode()
    intro, first, second = parts_of(page)
    assert note_numbers(intro) == []
    # Where the passage is, whatever the item's section says; numbered as in the text.
    assert note_numbers(first) == [1, 2]
    assert first.index('id="quote-misfiled"') < first.index('id="quote-unsectioned"')
    assert note_numbers(second) == [3]
    assert 'id="claim-revenue"' in second
    assert "Notes to section 01</h3>" in first and "Notes to section 02</h3>" in second


def test_each_mark_links_to_its_note_and_each_note_back_to_its_place(client, notes_world, coverage):
    page = client.get(coverage.get_absolute_url()).content.decode()
    for slug, css, number in (("misfiled", "quote", 1), ("unsectioned", "quote", 2), ("revenue", "claim", 3)):
        ref = re.search(
            rf'<a class="ref ref-{css}" id="ref-{css}-{slug}" href="#{css}-{slug}"[^>]*>(\d+)</a>', page
        )
        assert ref and int(ref.group(1)) == number, slug
        assert f'id="{css}-{slug}"' in page  # the note the mark's number leads to
        assert f'href="#ref-{css}-{slug}" aria-label="Note {number}: back to its place in the text"' in page


def test_the_numbers_in_the_text_run_in_order_even_where_passages_nest(client, article):
    """Claim "ecosystem closed loops" holds the Apple claim inside its passage: each number is
    printed where its passage ends, so the inner one is numbered first (it read 36, 38, 37)."""
    page = client.get(COVERAGE_URL).content.decode()
    in_text = [int(n) for n in re.findall(r'<a class="ref ref-\w+" id="ref-[^"]+"[^>]*>(\d+)</a>', page)]
    assert in_text == sorted(in_text) and len(in_text) == len(set(in_text))
    apple = re.search(r'id="ref-claim-apple-users-stay-for-ecosystem"[^>]*>(\d+)<', page)
    loops = re.search(r'id="ref-claim-ecosystem-closed-loops-decide-competition"[^>]*>(\d+)<', page)
    assert int(apple.group(1)) + 1 == int(loops.group(1))


def test_on_the_article_every_note_is_under_the_part_holding_its_mark(client, article):
    # A quote with no section set goes where its passage is (it used to fall to the introduction).
    Quote.objects.filter(slug="huang-ai-digital-partner").update(section=None)
    page = client.get(COVERAGE_URL).content.decode()
    parts = parts_of(page)
    numbers = []
    for part in parts:
        for ref_id in re.findall(r'<a class="backref" href="#(ref-[^"]+)"', part):
            assert f'id="{ref_id}"' in part, ref_id  # its mark is in the same part
        assert note_numbers(part) == sorted(note_numbers(part))
        numbers += note_numbers(part)
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) == Quote.objects.count() + Claim.objects.count()
    assert 'id="quote-huang-ai-digital-partner"' in parts[2]  # section 02, where it is said


def test_marks_are_light_with_a_toggle_that_needs_no_javascript(client, article):
    page = client.get(COVERAGE_URL).content.decode()
    assert '<input type="checkbox" id="show-marks" class="show-marks"><label for="show-marks">' in page
    assert "<script" not in page.replace('<script type="application/ld+json">', "")
    rules = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert ".article-part mark { background: none; }" in rules
    assert (
        ":root:has(#show-marks:checked) .article-part mark.mark-quote { background: var(--quote); }" in rules
    )


def test_corrections_of_quotes_and_claims_show_on_the_article(client, article, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as uncorrected:
        client.get(COVERAGE_URL)
    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    claim = Claim.objects.get(slug="coreweave-market-value-tripled")
    services.correction_add(subject=quote, note="The quote is reported speech, not verbatim.", by=editor)
    services.correction_add(subject=claim, note="The market value was US$73 billion, not 75.", by=editor)
    cache.clear()
    with CaptureQueriesContext(connection) as corrected:
        page = client.get(COVERAGE_URL).content.decode()
    # One query more, for the corrections of the items, and only when an item has any.
    assert len(corrected.captured_queries) == len(uncorrected.captured_queries) + 1
    log = page[page.index('id="corrections-heading"') :]
    # Named by number (its note in the text) and by its words, so the log reads on its own.
    words = escape(Quote.objects.get(slug="huang-ai-digital-partner").text)
    assert (
        f'<a href="#quote-huang-ai-digital-partner">Quote 51</a> <q>{words}</q> corrected: '
        "The quote is reported speech" in log
    )
    assert '<a href="#claim-coreweave-market-value-tripled">Claim 55</a> <q>' in log
    assert "</q> corrected: The market value" in log
    note = page[page.index('id="quote-huang-ai-digital-partner"') :]
    assert re.match(
        r'.*?<p class="note-corrected">Corrected <time[^>]*>[^<]+</time>: <a href="#corrections-heading">',
        note,
        re.S,
    )
    assert "Updated <time" in page


def test_withdrawals_show_on_the_article(client, article, editor):
    claim = Claim.objects.get(slug="coreweave-market-value-tripled")
    services.withdraw(item=claim, by=editor, note="The figure could not be confirmed.")
    page = client.get(COVERAGE_URL).content.decode()
    assert "<strong>Claim withdrawn.</strong> The figure could not be confirmed." in page
    assert 'id="claim-coreweave-market-value-tripled"' not in page


def test_byline_says_the_original_is_of_unknown_author_and_place(client, article):
    page = client.get(COVERAGE_URL).content.decode()
    byline = re.search(r'<p class="byline">(.*?)</p>', page, re.S).group(1)
    assert "The original's author is not known." in byline
    assert 'First published on <time datetime="2025-07-23">23 July 2025</time>; where is not known.' in byline


def test_byline_names_author_publication_and_links_the_original(client, coverage):
    coverage.author = "Li Wei"
    coverage.source_publication = "Hangzhou Daily"
    coverage.original_url = "https://example.com/original"
    coverage.save()
    page = client.get(coverage.get_absolute_url()).content.decode()
    byline = re.search(r'<p class="byline">(.*?)</p>', page, re.S).group(1)
    assert 'By <span class="author">Li Wei</span>.' in byline
    assert (
        'First published in <a href="https://example.com/original" rel="noopener">Hangzhou Daily</a>.'
        in byline
    )


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "text"),
    [
        ("73000000000", "USD", "nearly", "nearly US$73 billion"),
        ("3", "×", "nearly", "nearly 3×"),
        ("30", "minutes", "nearly", "nearly 30 minutes"),
        ("1", "months", "about", "about 1 month"),
        ("12500", "users", "exact", "12,500 users"),
        ("1250000", "CNY", "over", "over CN¥1.3 million"),
        ("2.5", "%", "", "2.5%"),
        ("4200000000000", "USD", "about", "about US$4.2 trillion"),
    ],
)
def test_numbers_read_as_a_reader_writes_them(value, unit, qualifier, text):
    assert readable_number(Decimal(value), unit, qualifier) == text


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "text"),
    [
        ("73000000000", "USD", "nearly", "近730亿美元"),
        ("73000000000", "USD", "about", "约730亿美元"),
        ("3", "×", "nearly", "近3倍"),
        ("12500", "users", "exact", "12500 users"),
        ("1250000", "CNY", "over", "超过125万元"),
        ("2.5", "%", "", "2.5%"),
        ("4200000000000", "USD", "about", "约4.2万亿美元"),
    ],
)
def test_numbers_read_as_a_chinese_reader_writes_them(value, unit, qualifier, text):
    with translation.override("zh-hans"):
        assert readable_number(Decimal(value), unit, qualifier) == text


def test_claim_page_states_the_claim_once_with_evidence_links_and_one_status(client, article):
    claim = Claim.objects.get(slug="coreweave-market-value-tripled")
    page = client.get(claim.get_absolute_url()).content.decode()
    main = page[page.index("<main") :]
    assert main.count(claim.statement.replace("'", "&#39;")) == 1
    assert main.count('class="badge status-') == 1
    # Its figures, as a reader writes them, through the template filter.
    assert "Market value: nearly US$73 billion (as of 23 July 2025)" in main
    assert "73000000000" not in main and "73,000,000,000" not in main
    assert ClaimFigure.objects.filter(claim=claim).count() == 2

    # Evidence with an address is a link, printed once (the card used to print it again).
    checked = Claim.objects.get(slug="nvlink-fusion-opened-ecosystem")
    checked.evidence.update(url="https://example.com/nvlink-fusion")
    main = client.get(checked.get_absolute_url()).content.decode()
    main = main[main.index("<main") :]
    assert main.count('class="badge status-') == 1
    assert main.count('<a href="https://example.com/nvlink-fusion" rel="noopener">') == 1
    assert "about 2 months (as of 23 July 2025)" in main


def test_speaker_aliases_are_one_comma_separated_list(client, article):
    page = client.get("/speakers/huang-renxun/").content.decode()
    aliases = re.search(r'<p class="aliases">Also written: (.*?)</p>', page, re.S).group(1)
    names = re.sub(r"<[^>]+>", "", aliases)
    assert ", Jensen Huang (English name), " in names and not names.startswith(",")
    assert 'class="note"' not in aliases  # the notes' footnote style put each on its own line


def test_topic_side_by_side_shows_a_joint_quote_once_and_says_so(client, coverage, two_speakers):
    topic = factories.TopicFactory(name="Openness", slug="openness")
    ada, bo = two_speakers
    factories.QuoteFactory(coverage=coverage, speakers=[ada, bo], text="Together we say it.").topics.set(
        [topic]
    )
    factories.QuoteFactory(coverage=coverage, speakers=[ada], text="Ada alone.").topics.set([topic])
    page = client.get("/topics/openness/").content.decode()
    assert page.count("Together we say it.") == 1
    assert "Said together" in page and "shown once, here, not in every speaker's column" in page
    assert 'id="col-ada"' in page and 'id="col-bo"' not in page  # Bo said nothing alone
    assert "the latest 30 are above" not in page  # 2 quotes: all of them are shown


def test_empty_topic_says_so_without_pointing_above(client, coverage):
    factories.QuoteFactory(coverage=coverage).topics.set([factories.TopicFactory(slug="quiet")])
    topic = factories.TopicFactory(name="Empty", slug="empty")
    factories.ClaimFactory(coverage=coverage).topics.set([topic])  # published, but no quotes
    page = client.get("/topics/empty/").content.decode()
    assert "No quotes on this topic yet." in page
    assert "are above" not in page and "All quotes on Empty" not in page


def test_predictions_table_says_it_scrolls_and_is_reachable_by_keyboard(client, article):
    page = client.get("/predictions/").content.decode()
    assert '<p class="scroll-hint" id="predictions-scroll-hint">' in page
    assert (
        '<div class="table-wrap" role="region" aria-labelledby="predictions-caption" '
        'aria-describedby="predictions-scroll-hint" tabindex="0">' in page
    )


def test_speaker_with_nothing_public_shows_staff_a_not_public_banner(client, editor, two_speakers):
    ada, bo = two_speakers
    draft = factories.CoverageFactory(dialogue=factories.DialogueFactory(speakers=[ada]), draft=True)
    factories.QuoteFactory(coverage=draft, speakers=[ada])
    factories.CoverageFactory(dialogue=factories.DialogueFactory(speakers=[bo]))
    assert client.get("/speakers/ada/").status_code == 404
    client.force_login(editor)
    page = client.get("/speakers/ada/").content.decode()
    assert "<strong>Preview</strong> — not public: nothing of Ada Speaker is published yet" in page
    assert "not public" not in client.get("/speakers/bo/").content.decode()


def test_print_stylesheet_is_linked_for_print_only(client, article):
    page = client.get(COVERAGE_URL).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', page)
    assert '<meta name="color-scheme" content="light dark">' in page


def test_staff_preview_of_scheduled_coverage_says_when_it_goes_live(client, editor, article):
    """It said "this content is published" for coverage readers cannot see yet."""
    from dialogues.newsroom import newsroom_time

    article.publish_at = timezone.now() + datetime.timedelta(days=40)
    article.save()
    client.force_login(editor)
    quote = article.quotes.first()
    for url in (article.get_absolute_url(), quote.get_absolute_url()):
        page = client.get(url).content.decode()
        assert f"not public yet: scheduled for {newsroom_time(article.publish_at)}" in page, url
        assert "is published" not in page
    article.status = Coverage.Status.DRAFT
    article.save()
    assert "its status is “draft”" in client.get(article.get_absolute_url()).content.decode()


def test_coverage_without_topics_or_participants_prints_no_empty_labels(client):
    coverage = factories.CoverageFactory(dialogue=factories.DialogueFactory(speakers=[]))
    coverage.topics.clear()
    page = client.get(coverage.get_absolute_url()).content.decode()
    assert "Topics:" not in page
    assert "With ." not in page


def test_event_phrases_read_naturally(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    meta = re.sub(r"<[^>]+>", "", re.search(r'<p class="meta">(.*?)</p>', page, re.S).group(1))
    assert "in dialogue at the Chain Expo, from the 3rd China International Supply Chain Expo" in meta
    dialogue = client.get(article.dialogue.get_absolute_url()).content.decode()
    assert re.search(r"Fireside chat at the <a [^>]+>3rd China International", dialogue)


def test_quote_page_shows_its_kind_once_and_its_context_within_its_section(client, article):
    page = client.get("/quotes/huang-ai-digital-partner/").content.decode()
    assert page.count("#quote-kind-") == 1
    context = re.search(r'<blockquote class="passage"[^>]*>(.*?)</blockquote>', page, re.S).group(1)
    assert "will become your" in context
    assert not re.search(r"\n\s*03\s*\n", context) and "Next Decade" not in context


def test_speaker_page_links_only_to_lists_that_hold_something(client, article):
    page = client.get("/speakers/wang-jian/").content.decode()
    for kind, label in (("quotes", "All quotes of"), ("claims", "All claims of")):
        listed = client.get(f"/{kind}/", {"speaker": "wang-jian"}).context["object_list"]
        assert (label in page) == bool(list(listed)), kind
    page = client.get("/speakers/huang-renxun/").content.decode()
    assert "All quotes of" in page and "All claims of" in page


def test_copyright_notice_shows_once_and_the_source_text_keeps_it(client, article):
    notice = article.copyright_notice
    assert notice in article.source_text  # the verbatim copy keeps it ...
    opening = notice[: notice.index(".")]  # "Solemnly declare: the copyright of this article …"
    page = client.get(article.get_absolute_url()).content.decode()
    page = page[page.index("<body") :]  # the head's structured data states it for machines
    assert page.count(opening) == 1  # ... the page shows it once, in its footer
    assert re.search(r'<footer class="copyright">\s*<p[^>]*>' + re.escape(opening), page)
    # Said to be the original publisher's, so it does not read as ours.
    assert not article.source_publication  # the article does not say who first published it
    assert '<p class="copyright-origin">The notice above is the original publisher\'s.</p>' in page


def test_a_printed_page_says_where_it_came_from(client, article):
    """Paper has no address bar: the page's address is there for print, hidden on screen."""
    page = client.get(article.get_absolute_url()).content.decode()
    address = f"http://testserver{article.get_absolute_url()}"
    assert f'<p class="printed-from">Printed from Dialogue Desk: {address}</p>' in page
    screen = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    paper = (settings.BASE_DIR / "static" / "css" / "print.css").read_text(encoding="utf-8")
    assert ".printed-from { display: none; }" in screen and ".printed-from { display: block;" in paper


def test_event_page_lists_each_source_once_with_the_facts_it_supports(client, article):
    page = client.get("/events/chain-expo-2025/").content.decode()
    lines = re.findall(r'<small class="fact-source">(.*?)</small>', page, re.S)
    assert len(lines) == 2
    assert (
        page.count('href="https://news.rthk.hk/') == 1 and page.count('href="https://en.cisce.org.cn/"') == 2
    )
    assert lines[0].startswith('Source for the start date, end date and city: <a href="https://news.rthk.hk/')
    assert lines[1].startswith("Source for the edition and organizer: ")
    # A subject with one source keeps the short line.
    dialogue = client.get(article.dialogue.get_absolute_url()).content.decode()
    assert 'Source: <a href="https://news.hangzhou.com.cn/' in dialogue
    with translation.override("zh-hans"):
        page = client.get("/zh-hans/events/chain-expo-2025/").content.decode()
    assert "开幕日期、闭幕日期和城市的来源：" in page
