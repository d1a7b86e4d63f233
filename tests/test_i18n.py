"""The readers' pages in English and Simplified Chinese (dialogues/i18n.py, locale/)."""

import gettext
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from markupsafe import escape

from tests.conftest import ARTICLE
from tests.test_views import draft_world  # noqa: F401 (a fixture)

COVERAGE_URL = f"/coverage/{ARTICLE}/"
LOCALE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_english_addresses_stay_as_they_were_and_chinese_ones_take_the_prefix():
    assert reverse("dialogues:coverage-detail", kwargs={"slug": "x"}) == "/coverage/x/"
    with translation.override("zh-hans"):
        assert reverse("dialogues:coverage-detail", kwargs={"slug": "x"}) == "/zh-hans/coverage/x/"
        # The admin and the API are not prefixed, in either language.
        assert reverse("admin:index") == "/admin/"
        assert reverse("v1:api-root") == "/api/v1/"


def test_the_english_page_links_to_its_chinese_counterpart(client, article):
    response = client.get(COVERAGE_URL)
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert (
        f'<a href="/zh-hans{COVERAGE_URL}" hreflang="zh-Hans" lang="zh-Hans" rel="alternate">简体中文</a>'
        in page
    )
    assert f'<link rel="alternate" hreflang="zh-Hans" href="http://testserver/zh-hans{COVERAGE_URL}">' in page
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{COVERAGE_URL}">' in page
    assert "Notes to the introduction" in page and "导语注释" not in page
    assert response["Content-Language"] == "en"


def test_the_chinese_page_shows_the_interface_in_chinese_and_the_content_as_written(client, article):
    response = client.get(f"/zh-hans{COVERAGE_URL}")
    page = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in page
    assert f'<a href="{COVERAGE_URL}" hreflang="en" lang="en" rel="alternate">English</a>' in page
    # Navigation, headings, labels, badges and dates in Chinese; links stay in Chinese pages.
    assert '<a href="/zh-hans/coverage/">报道</a>' in page
    assert "导语注释" in page and "Notes to the introduction" not in page
    assert ">未核实</a>" in page and ">Unverified</a>" not in page
    assert "提出者：本刊" in page
    # In the newsroom's zone, as every reader's page dates what it prints.
    assert '<time class="published" datetime="2025-07-23T16:00:00+08:00">2025年7月23日</time>' in page
    assert 'href="/zh-hans/methodology/#claim-status-unverified"' in page
    # The article is in English: its text says so, the Chinese interface around it does not.
    assert f'<h1 lang="en">{escape(article.title)}</h1>' in page


@pytest.mark.parametrize(
    ("path", "chinese", "english"),
    [
        ("/", "科技对话，逐句可查", "Tech dialogues, quote by quote"),
        ("/speakers/huang-renxun/", "按话题分列的引语和论断", "Quotes and claims by topic"),
        ("/claims/", "全部状态", "Any status"),
        ("/quotes/", "筛选引语", "Filter quotes"),
        ("/predictions/", "判定期限", "Resolve by"),
        ("/topics/physical-ai/", "各发言人的言论", "What each speaker said"),
        ("/quotes/huang-ai-digital-partner/", "引用此引语", "Cite this quote"),
        ("/claims/coreweave-market-value-tripled/", "<dt>状态</dt>", "<dt>Status</dt>"),
        ("/methodology/", "我们如何核查", "How we check"),
        ("/search/?q=nvdia", "您要找的是不是", "Did you mean"),
    ],
)
def test_every_kind_of_page_has_its_chinese_interface(client, article, path, chinese, english):
    english_page = client.get(path).content.decode()
    chinese_page = client.get(f"/zh-hans{path}").content.decode()
    assert english in english_page and chinese not in english_page
    assert chinese in chinese_page and english not in chinese_page


def test_the_methodology_page_explains_every_label_in_chinese(client, article):
    page = client.get("/zh-hans/methodology/").content.decode()
    for label in (
        "未核实",
        "有据支持",
        "存在争议",
        "已被驳斥",
        "已过时",
        "原话",
        "复述",
        "间接引语",
        "译文",
        "待定",
    ):
        assert f">{label}</dt>" in page, label
    assert "论断状态" in page and "We have not checked this claim yet" not in page


def test_the_switcher_keeps_the_query_and_a_missing_page_points_at_the_front_page(client, article):
    page = client.get("/zh-hans/search/?q=nvidia").content.decode()
    assert '<a href="/search/?q=nvidia" hreflang="en"' in page
    missing = client.get("/zh-hans/no-such-page/")
    assert missing.status_code == 404
    assert "找不到页面" in missing.content.decode()
    assert '<a href="/" hreflang="en"' in missing.content.decode()


def test_one_address_is_one_language_whatever_the_browser_asks_for(client, article):
    english = client.get(COVERAGE_URL, headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert "Notes to the introduction" in english.content.decode()
    assert "Accept-Language" not in english.get("Vary", "")
    chinese = client.get(f"/zh-hans{COVERAGE_URL}", headers={"accept-language": "en"})
    assert "导语注释" in chinese.content.decode()
    # The admin and the API have no Chinese address.
    assert client.get("/zh-hans/api/v1/").status_code == 404
    assert client.get("/zh-hans/admin/").status_code == 404


@pytest.mark.parametrize("past_the_page_cache", [False, True])
def test_caches_never_serve_one_language_for_the_other(client, article, past_the_page_cache):
    """Caches on: the page cache (by URL) and, past it, the cached sections and cards (by
    language) each keep the two languages apart, in either order."""
    if past_the_page_cache:
        client.cookies["sessionid"] = "anonymous"  # a session skips the page cache, not the pieces
    for path in (COVERAGE_URL, "/speakers/huang-renxun/", "/topics/physical-ai/", "/"):
        english = client.get(path).content.decode()
        chinese = client.get(f"/zh-hans{path}").content.decode()
        again = client.get(path).content.decode()
        assert again == english, path
        assert '<html lang="zh-Hans">' in chinese and '<html lang="en">' in english, path
        assert "/zh-hans/" in chinese.split("<main", 1)[1], path  # links inside the cached parts
        assert "/zh-hans/" not in english.split("<main", 1)[1], path
        assert ">Unverified<" not in chinese and ">Verbatim<" not in chinese, path


def test_drafts_are_not_found_under_the_chinese_prefix_either(client, draft_world):  # noqa: F811
    live, hidden = draft_world
    for coverage, quote, claim in hidden.values():
        for obj in (coverage, quote, claim, coverage.dialogue):
            assert client.get(f"/zh-hans{obj.get_absolute_url()}").status_code == 404, obj
    assert client.get("/zh-hans/speakers/bo/").status_code == 404
    listing = client.get("/zh-hans/coverage/").content.decode()
    assert "Live Coverage" in listing and "Hidden" not in listing


@pytest.mark.parametrize("path", [COVERAGE_URL, "/speakers/huang-renxun/", "/claims/", "/search/?q=AI"])
def test_a_chinese_page_costs_the_queries_of_its_english_one(client, article, path):
    from django.core.cache import cache

    counts = []
    for prefix in ("", "/zh-hans"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(prefix + path).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def _template_messages():
    """Every message the public templates translate, as (context, singular)."""
    env = engines["jinja2"].env
    found = set()
    for template in Path(settings.BASE_DIR, "templates", "jinja2").rglob("*.html"):
        for _line, _function, message in env.extract_translations(template.read_text()):
            singular = message[0] if isinstance(message, tuple) else message
            if singular:
                found.add(singular)
    return found


def test_the_chinese_catalogue_translates_every_template_message():
    messages = _template_messages()
    assert len(messages) > 150
    with translation.override("zh-hans"):
        untranslated = sorted(m for m in messages if translation.gettext(m) == m)
        # The date formats each template uses, and the labels set in Python.
        for format_string in ("j F Y", "j M Y", "j F", "Y"):
            assert translation.pgettext("date format", format_string) != format_string
        from dialogues import methodology

        for group in methodology.groups():
            for entry in group.entries:
                assert re.search("[\u4e00-\u9fff]", f"{group.title}{entry.label}{entry.meaning}"), entry
    assert untranslated == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt (Debian: gettext)")
def test_the_committed_mo_is_the_po_compiled(tmp_path):
    """bin/dev serve needs no gettext tools because the .mo is committed: it must say what the
    .po says. After editing the .po: msgfmt --check -o locale/zh_Hans/LC_MESSAGES/django.mo
    locale/zh_Hans/LC_MESSAGES/django.po"""
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(LOCALE / "django.po")], check=True)
    with open(compiled, "rb") as fresh, open(LOCALE / "django.mo", "rb") as committed:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog


def test_a_chinese_speaker_page_heads_with_the_chinese_name_the_speaker_has(client, article):
    assert "<h1>Huang Renxun</h1>" in client.get("/speakers/huang-renxun/").content.decode()
    page = client.get("/zh-hans/speakers/huang-renxun/").content.decode()
    assert '<h1><span lang="zh-Hans">黄仁勋</span> (<span lang="en">Huang Renxun</span>)</h1>' in page
    # The heading's name is not repeated among the other names.
    others = re.search(r'<p class="aliases">(.*?)</p>', page, re.S).group(1)
    assert "Jensen Huang" in others and "黃仁勳" in others and "黄仁勋" not in others


def test_the_language_an_article_was_translated_from_is_named_in_the_pages_language(client, article):
    english = client.get(f"/coverage/{article.slug}/").content.decode()
    chinese = client.get(f"/zh-hans/coverage/{article.slug}/").content.decode()
    assert article.translated_from == "zh"
    assert "Translated from <span>Chinese</span>" in english
    assert "<span>中文</span>" in chinese and "<span>zh</span>" not in chinese


def test_the_articles_note_marks_are_named_in_the_pages_language(client, article):
    english = client.get(f"/coverage/{article.slug}/").content.decode()
    chinese = client.get(f"/zh-hans/coverage/{article.slug}/").content.decode()
    assert re.search(r'class="ref ref-quote"[^>]*aria-label="Quote \d+"', english)
    assert re.search(r'class="ref ref-quote"[^>]*aria-label="引语 \d+"', chinese)
    assert 'aria-label="Quote ' not in chinese and 'aria-label="Fact ' not in chinese


def test_chinese_sentences_are_whole_messages_without_stray_spaces(client, article):
    """A sentence around a date, a name or a link is one message with placeholders: Chinese
    puts the date first and no spaces between words ("首发 于" came from gluing "首发" and "于")."""
    page = client.get(f"/zh-hans{COVERAGE_URL}").content.decode()
    assert '<time datetime="2025-07-23">2025年7月23日</time>首发；发布处不详。' in page
    assert "本站发布于<time " in page and "译自<span>中文</span>。" in page
    assert re.search(r"对话者：<a [^>]+>Wang Jian</a>和<a ", page)
    assert "话题：<a " in page and "</a>、<a " in page
    assert not re.search(
        r"[\u4e00-\u9fff] [\u4e00-\u9fff]", re.sub(r"<[^>]+>", "", page.split("<main", 1)[1])
    )
    english = client.get(COVERAGE_URL).content.decode()
    assert (
        'First published on <time datetime="2025-07-23">23 July 2025</time>; where is not known.' in english
    )
    assert re.search(r"With <a [^>]+>Wang Jian</a> and <a ", english)


@pytest.mark.parametrize("path", ["/quotes/", "/claims/", "/speakers/huang-renxun/", "/search/?q=NVIDIA"])
def test_english_quotes_and_claims_on_chinese_pages_say_they_are_english(client, article, path):
    chinese = client.get(f"/zh-hans{path}").content.decode()
    english = client.get(path).content.decode()
    assert '<blockquote lang="en">' in chinese or '<p class="claim-statement" lang="en">' in chinese
    assert "<blockquote><p>" not in chinese and '<p class="claim-statement"><a' not in chinese
    assert "<blockquote lang=" not in english and 'claim-statement" lang=' not in english


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_search_excerpts_quote_the_text_as_readers_read_it(client, article, prefix):
    """No debris of the page the article was copied from (its date and view counter) and no
    Markdown marks in the commentary's excerpts, in either language."""
    huang = client.get(f"{prefix}/search/?q=Huang").content.decode()
    training = client.get(f"{prefix}/search/?q=post-training").content.decode()
    passages = re.findall(r'<p class="search-passage"[^>]*>(.*?)</p>', huang + training, re.S)
    assert len(passages) > 3
    assert any("post-training" in p or "<mark>post</mark>" in p for p in passages)
    for text in passages:
        assert "07/23 2025" not in text and "**" not in text, text


CHINESE_BROWSER = "zh-CN,zh;q=0.9,en;q=0.8"


@pytest.mark.parametrize(
    ("accept_language", "lands_on"),
    [
        (CHINESE_BROWSER, "/zh-hans/"),
        ("zh-Hans", "/zh-hans/"),
        ("en-GB,en;q=0.9,zh-CN;q=0.8", None),  # English first: the English page
        ("fr-FR,fr;q=0.9", None),  # nothing we serve: the default
        ("", None),
    ],
)
def test_arriving_at_the_front_page_the_browsers_language_decides(client, article, accept_language, lands_on):
    response = client.get("/", headers={"accept-language": accept_language})
    assert "Accept-Language" in response["Vary"]
    if lands_on:
        assert response.status_code == 302 and response["Location"] == lands_on
        assert "private" in response["Cache-Control"]
    else:
        assert response.status_code == 200
        assert "Tech dialogues, quote by quote" in response.content.decode()


def test_a_reader_who_chose_english_stays_on_it(client, article):
    """The switcher's "English" on a Chinese page is a choice: that page is served, and the
    choice kept in Django's language cookie, so typing the address later lands in English."""
    switched = client.get(
        "/", headers={"accept-language": CHINESE_BROWSER, "referer": "http://testserver/zh-hans/"}
    )
    assert switched.status_code == 200
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/", headers={"accept-language": CHINESE_BROWSER}).status_code == 200  # kept
    # And back: choosing Chinese from an English page sends later arrivals to Chinese.
    chose = client.get(f"/zh-hans{COVERAGE_URL}", headers={"referer": f"http://testserver{COVERAGE_URL}"})
    assert chose.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert client.get("/", headers={"accept-language": "en"})["Location"] == "/zh-hans/"


def test_only_a_move_between_languages_on_our_pages_is_a_choice(client, article):
    within = client.get(COVERAGE_URL, headers={"referer": "http://testserver/"})
    from_elsewhere = client.get("/zh-hans/", headers={"referer": "https://news.example/zh-hans/"})
    to_the_admin = client.get("/admin/login/", headers={"referer": "http://testserver/zh-hans/"})
    for response in (within, from_elsewhere, to_the_admin):
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    arrival = client.get(
        "/", headers={"accept-language": CHINESE_BROWSER, "referer": "https://news.example/"}
    )
    assert arrival.status_code == 302
    # The query goes along, and only the front page negotiates: a shared link is what it says.
    assert client.get("/?x=1", headers={"accept-language": CHINESE_BROWSER})["Location"] == "/zh-hans/?x=1"
    article_page = client.get(COVERAGE_URL, headers={"accept-language": CHINESE_BROWSER})
    assert article_page.status_code == 200 and "Accept-Language" not in article_page.get("Vary", "")


def test_the_page_cache_never_serves_an_arrival_the_page_it_was_sent_from(client, article, settings):
    settings.PAGE_CACHE_ENABLED = True
    english = client.get("/", headers={"accept-language": "en"})
    assert english.status_code == 200
    assert client.get("/", headers={"accept-language": "en"}).content == english.content
    chinese = client.get("/", headers={"accept-language": CHINESE_BROWSER})
    assert chinese.status_code == 302 and chinese["Location"] == "/zh-hans/"
    # A remembered choice leaves with the page, never inside the cached copy.
    switched = client.get("/", headers={"referer": "http://testserver/zh-hans/"})
    assert switched.content == english.content
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # The next reader, served the same cached page, is handed no one else's choice.
    assert settings.LANGUAGE_COOKIE_NAME not in Client().get("/", headers={"accept-language": "en"}).cookies


def test_chinese_pages_use_the_systems_chinese_fonts():
    """CJK system fonts after the Latin ones, for zh-Hans pages only; nothing downloaded."""
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    rule = re.search(r":root:lang\(zh-Hans\) \{(.*?)\}", css, re.S).group(1)
    for family in (
        "PingFang SC",
        "Hiragino Sans GB",
        "Microsoft YaHei",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
    ):
        assert f'"{family}"' in rule
    assert "@font-face" not in css and "url(" not in css
    assert "font-family: var(--serif)" in css and "font-family: system-ui" not in css


def test_the_sitemap_lists_every_page_in_both_languages_with_hreflang_alternates(client, article):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>http://testserver{COVERAGE_URL}</loc>" in sitemap
    assert f"<loc>http://testserver/zh-hans{COVERAGE_URL}</loc>" in sitemap
    assert f'hreflang="zh-hans" href="http://testserver/zh-hans{COVERAGE_URL}"' in sitemap
    assert f'hreflang="x-default" href="http://testserver{COVERAGE_URL}"' in sitemap
    assert sitemap.count("<loc>http://testserver/zh-hans/") == sitemap.count("<loc>") // 2


def test_a_claims_figures_read_as_each_languages_reader_writes_them(client, article):
    path = "/claims/coreweave-market-value-tripled/"
    english = client.get(path).content.decode()
    chinese = client.get(f"/zh-hans{path}").content.decode()
    assert "Market value: nearly US$73 billion (as of 23 July 2025)" in english
    assert '<span lang="en">Market value</span>：近730亿美元（截至2025年7月23日）' in chinese
    assert "近730亿美元（截至" in chinese and "nearly US$73 billion" not in chinese


def test_the_chinese_feeds_have_chinese_titles_and_the_items_as_written(client, article):
    english = client.get("/feeds/coverage.rss").content.decode()
    chinese = client.get("/zh-hans/feeds/coverage.rss").content.decode()
    assert "<title>Dialogue Desk: latest coverage</title>" in english
    assert "<title>Dialogue Desk：最新报道</title>" in chinese
    assert "<title>Huang Renxun and Wang Jian's Dialogue" in chinese
    speaker = client.get("/zh-hans/feeds/speakers/huang-renxun.rss").content.decode()
    assert "<title>Dialogue Desk：Huang Renxun的引语</title>" in speaker
    # Each item's line is in the page's language around the words as written.
    assert "<description>复述——出自“Huang Renxun and Wang Jian" in speaker and "— from" not in speaker
    english_speaker = client.get("/feeds/speakers/huang-renxun.rss").content.decode()
    assert "<description>Paraphrase — from “Huang Renxun and Wang Jian" in english_speaker


class _UnmarkedEnglish(HTMLParser):
    """The runs of Latin-script words inside ``<main>`` of a Chinese page whose element (or an
    ancestor) does not say ``lang``: content in English the page presents as Chinese."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}
    # Not content: the reader's own query, choices of a filter form, addresses, product names.
    ALLOWED = re.compile(r"^(https?://\S+|.*RSS.*|Wikidata: Q\d+|“.*”的结果。)$")

    def __init__(self):
        super().__init__()
        self.open, self.in_main, self.found = [], False, []

    def handle_starttag(self, tag, attrs):
        self.in_main = self.in_main or tag == "main"
        if tag not in self.VOID:
            self.open.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        self.in_main = self.in_main and tag != "main"
        while tag not in self.VOID and self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        tags = [tag for tag, _ in self.open]
        lang = next((lang for _, lang in reversed(self.open) if lang), None)
        text = data.strip()
        if (
            self.in_main
            and lang in (None, "zh-Hans")
            and not {"option", "script", "style"} & set(tags)
            and re.search(r"[A-Za-z]{3,}", text)
            and not self.ALLOWED.match(text)
        ):
            self.found.append(text)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/coverage/",
        COVERAGE_URL,
        "/predictions/",
        "/claims/",
        "/claims/coreweave-market-value-tripled/",
        "/quotes/",
        "/speakers/",
        "/speakers/huang-renxun/",
        "/speakers/wang-jian/",
        "/topics/",
        "/topics/physical-ai/",
        "/events/",
        "/events/chain-expo-2025/",
        "/dialogues/huang-renxun-wang-jian-chain-expo-2025/",
        "/search/?q=nvidia",
        "/search/?q=post-training",
    ],
)
def test_english_content_on_chinese_pages_says_it_is_english(client, article, path):
    """Content carries the language it was written in (its coverage's, else the site's "en"):
    titles, commentary, claims and criteria, passages, evidence, events, names, titles."""
    parser = _UnmarkedEnglish()
    parser.feed(client.get(f"/zh-hans{path}").content.decode())
    assert parser.found == []
    english = client.get(path).content.decode()
    assert ' lang="en"' not in english.split("<main", 1)[1]


def test_analysis_on_a_chinese_page_is_a_chinese_label_around_english_words(client, article):
    page = client.get(f"/zh-hans{COVERAGE_URL}").content.decode()
    assert re.search(r'<h3 id="commentary-[^"]+">分析：<span lang="en">[^<]+</span></h3>', page)
    assert '<div class="commentary-body" lang="en">' in page
    assert '<span class="title" lang="en">founder and CEO, NVIDIA</span>' in page


def test_a_chinese_speaker_page_names_aliases_languages_and_the_speaker_in_chinese(client, article):
    page = client.get("/zh-hans/speakers/huang-renxun/").content.decode()
    assert '<span lang="en">Jensen Huang</span> <span class="alias-note">(英语)</span>' in page
    assert '黃仁勳</span> <span class="alias-note">(繁体中文)</span>' in page
    for note in ("English name", "Traditional Chinese", "Simplified Chinese", "Wade–Giles"):
        assert note not in page
    assert ">黄仁勋的全部引语</a>" in page and ">黄仁勋的全部论断</a>" in page
    english = client.get("/speakers/huang-renxun/").content.decode()
    assert '<span class="alias-note">(Wade–Giles spelling of the Chinese name)</span>' in english
    assert ">All quotes of Huang Renxun</a>" in english


def test_units_of_time_in_figures_read_in_chinese():
    from dialogues.readable import readable_number

    with translation.override("zh-hans"):
        assert readable_number(2, "months", "about") == "约2个月"
        assert readable_number(3, "years") == "3年"
        assert readable_number(45, "percent") == "45%"
        assert readable_number(30, "minutes", "nearly") == "近30分钟"  # the dialogue's length
    with translation.override("en"):
        assert readable_number(2, "months", "about") == "about 2 months"


def test_chinese_sentences_use_chinese_punctuation_and_no_space_before_numbers(client, article):
    article_page = client.get(f"/zh-hans{COVERAGE_URL}").content.decode()
    assert "第1节注释</h3>" in article_page and "第 01 节" not in article_page
    claim = client.get("/zh-hans/claims/nvlink-fusion-opened-ecosystem/").content.decode()
    assert re.search(r"，核查于<time [^>]+>\d{4}年", claim)
    predictions = client.get("/zh-hans/claims/").content.decode()
    assert re.search(r"判定期限<time [^>]+>\d{4}年", predictions)
    past_the_end = client.get("/zh-hans/search/?q=nvidia&page=9").content.decode()
    assert "第 9 页" not in past_the_end and "第9页" in past_the_end
    assert "前往最后一页</a>。" in past_the_end
    quote = client.get("/zh-hans/quotes/huang-ai-digital-partner/").content.decode()
    assert '，第2节：<span lang="en">Three Key Propositions' in quote
    assert re.search(
        r'<p class="citation" id="citation">[^.]*2025年7月17日。引自《<span lang="en">[^<]+</span>》，2025年7月23日。',
        quote,
    )
    event = client.get("/zh-hans/events/chain-expo-2025/").content.decode()
    assert (
        '<time datetime="2025-07-16">2025年7月16日</time>至<time datetime="2025-07-20">20日</time>' in event
    )
    english = client.get("/events/chain-expo-2025/").content.decode()
    assert '<time datetime="2025-07-16">16</time>–<time datetime="2025-07-20">20 July 2025</time>' in english


def test_a_chinese_topic_page_heads_with_the_chinese_name_the_topic_has(client, article):
    """As a speaker's page does: the topic's zh-Hans alias, its English name after it."""
    assert "<h1>Open source</h1>" in client.get("/topics/open-source/").content.decode()
    page = client.get("/zh-hans/topics/open-source/").content.decode()
    assert '<h1><span lang="zh-Hans">开源</span> (<span lang="en">Open source</span>)</h1>' in page
    # A topic without a Chinese name keeps its English one, marked as English.
    page = client.get("/zh-hans/topics/ai-and-humans/").content.decode()
    assert '<h1 lang="en">AI and humans</h1>' in page


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_a_source_titled_in_chinese_is_not_marked_english(client, article, prefix):
    """A source's title has no language field: one written in Han characters says it is
    Chinese (it was marked lang="en" on the Chinese dialogue page), an English one stays as
    the page's content does."""
    page = client.get(f"{prefix}/dialogues/huang-renxun-wang-jian-chain-expo-2025/").content.decode()
    chinese = re.search(r'<a href="[^"]+" rel="noopener nofollow"([^>]*)>链博会上王坚对话黄仁勋', page)
    assert chinese and chinese.group(1) == ' lang="zh"'
    claim = client.get(f"{prefix}/claims/nvlink-fusion-opened-ecosystem/").content.decode()
    english = re.findall(r'rel="noopener nofollow"([^>]*)>Nvidia unveils', claim)
    assert english and set(english) == ({""} if not prefix else {' lang="en"'})


def test_english_notes_on_a_chinese_page_say_they_are_english(client, editor, article):
    """Corrections and withdrawal notes are written in English: on a Chinese page a screen
    reader must switch (they had no ``lang``), and so must the title of the article a
    withdrawn quote's page links to."""
    from dialogues import services
    from dialogues.models import Quote

    quote = Quote.objects.get(slug="huang-ai-digital-partner")
    services.withdraw(item=quote, by=editor, note="Misattributed on stage.")
    services.correction_add(subject=article, note="A date was wrong.", by=editor)
    page = client.get(f"/zh-hans{COVERAGE_URL}").content.decode()
    assert '<span lang="en">A date was wrong.</span>' in page
    assert '<span lang="en">Misattributed on stage.</span>' in page
    gone = client.get(f"/zh-hans/quotes/{quote.slug}/")
    assert gone.status_code == 410
    assert f'lang="en">{article.title}</a>' in gone.content.decode().replace("&#39;", "'")
