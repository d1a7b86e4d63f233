import datetime
import json
import re
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
from django.db import connection
from django.template import defaultfilters
from django.urls import reverse
from django.utils import timezone, translation
from markupsafe import escape  # the escaping of the Jinja2 pages

from dialogues.models import Claim, Quote
from dialogues.templating import date
from tests import factories

pytestmark = pytest.mark.django_db

COVERAGE_URL = "/coverage/huang-renxun-wang-jian-three-overlooked-insights/"


def jsonld(response):
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return [json.loads(block) for block in blocks]


@pytest.fixture
def draft_world(two_speakers):
    """Published and unpublished content side by side, with tell-tale names."""
    ada, bo = two_speakers
    live = factories.CoverageFactory(
        title="Live Coverage", dialogue=factories.DialogueFactory(speakers=[ada])
    )
    factories.QuoteFactory(coverage=live, speakers=[ada], text="Public words.", slug="public-quote")
    hidden = {}
    for state in ("draft", "in_review", "scheduled"):
        dialogue = factories.DialogueFactory(speakers=[bo], title=f"Hidden dialogue {state}")
        coverage = factories.CoverageFactory(
            dialogue=dialogue, title=f"Hidden {state} coverage", **{state: True}
        )
        quote = factories.QuoteFactory(
            coverage=coverage, speakers=[bo], text=f"Secret {state} words.", slug=f"secret-{state}"
        )
        claim = factories.ClaimFactory(
            coverage=coverage, statement=f"Secret {state} claim.", slug=f"claim-{state}"
        )
        hidden[state] = (coverage, quote, claim)
    return live, hidden


def test_home_lists_coverage_featured_quotes_and_topics(client, article):
    page = client.get("/").content.decode()
    assert escape(article.title) in page
    assert "AI will become your “digital partner.”" in page
    assert "Open source" in page and "Physical AI" in page


def test_home_features_the_newest_featured_quotes_readers_may_see(client, reader, editor, coverage):
    for n in range(4):  # each coverage newer than the last
        newer = factories.CoverageFactory(dialogue=coverage.dialogue)
        for m in range(2):
            factories.QuoteFactory(coverage=newer, is_featured=True, text=f"Featured {n}-{m}.")
    factories.QuoteFactory(coverage=newer, text="Not featured.")
    for state in ("draft", "in_review", "scheduled"):  # newer still, and not published
        unpublished = factories.CoverageFactory(dialogue=coverage.dialogue, **{state: True})
        factories.QuoteFactory(coverage=unpublished, is_featured=True, text=f"Unpublished {state}.")

    def featured_on_home():
        page = client.get("/").content.decode()
        return re.findall(r"(Featured \d-\d|Unpublished \w+|Not featured)\.", page)

    newest_published = [f"Featured {n}-{m}" for n in (3, 2, 1) for m in (1, 0)]
    assert featured_on_home() == newest_published
    client.force_login(reader)
    assert featured_on_home() == newest_published
    client.force_login(editor)  # staff preview unpublished coverage, on the front page too
    assert featured_on_home() == [
        "Unpublished scheduled",
        "Unpublished in_review",
        "Unpublished draft",
        "Featured 3-1",
        "Featured 3-0",
        "Featured 2-1",
    ]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL walks the index either way"
)
def test_home_featured_quotes_walk_their_index_instead_of_every_published_coverage(article):
    """Joined to published coverage, SQLite started from every published coverage and sorted
    their featured quotes: a cost that grew with the archive."""
    plan = Quote.objects.featured_visible_when(preview=False).for_cards()[:6].explain()
    assert "quote_featured_idx" in plan
    assert "coverage_published_idx" not in plan and "TEMP B-TREE" not in plan


def test_home_topics_are_the_first_by_name_with_published_quotes_or_claims(client, coverage, monkeypatch):
    from dialogues import views

    monkeypatch.setattr(views, "HOME_TOPICS", 3)
    draft = factories.CoverageFactory(dialogue=coverage.dialogue, draft=True)
    topic = {name: factories.TopicFactory(name=name) for name in ("Ants", "Bees", "Cats", "Dogs", "Eels")}
    factories.QuoteFactory(coverage=draft).topics.set([topic["Ants"]])  # drafts do not count
    factories.QuoteFactory(coverage=coverage).topics.set([topic["Cats"], topic["Eels"]])
    factories.ClaimFactory(coverage=coverage).topics.set([topic["Bees"], topic["Dogs"]])
    page = client.get("/").content.decode()
    listed = re.findall(r'<li><a href="/topics/[^"]+/">([^<]+)</a></li>', page)
    assert listed == ["Bees", "Cats", "Dogs"]


def test_coverage_page_shows_sections_quotes_claims_commentary_and_notice(client, article):
    response = client.get(COVERAGE_URL)
    page = response.content.decode()
    assert (
        '<h2 id="section-1-heading"><span class="section-number">01</span> From Cognitive AI to Physical AI</h2>'
        in page
    )
    # A quote shown in place, marked and linked to its note.
    assert (
        'As Huang Renxun said, <mark class="mark-quote">AI will become your &quot;digital partner.&quot;</mark>'
        in page
    )
    assert 'href="#quote-huang-ai-digital-partner"' in page
    assert "Analysis: Open source becomes a business strategy" in page
    assert "Solemnly declare" in page
    # A reader sees what is a prediction, what is checked, and the evidence.
    assert 'class="badge kind-prediction"' in page
    assert 'class="badge status-supported" href="/methodology/#claim-status-supported">Supported' in page
    assert "QuestMobile 2025 AI Application Report" in page
    assert page.count("<mark") >= Quote.objects.count()


def test_every_anchor_is_marked_in_the_article(client, article):
    page = client.get(COVERAGE_URL).content.decode()
    for claim in Claim.objects.all():
        assert f'href="#claim-{claim.slug}"' in page, claim.slug


def test_coverage_page_jsonld_is_a_news_article(client, article):
    (data,) = jsonld(client.get(COVERAGE_URL))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["datePublished"].startswith("2025-07-23")


def test_speaker_page_groups_by_topic_with_aliases_and_person_jsonld(client, article):
    response = client.get("/speakers/huang-renxun/")
    page = response.content.decode()
    assert "Jensen Huang" in page and "黄仁勋" in page
    assert "founder and CEO, NVIDIA" in page
    assert 'id="group-' in page and ">AI and humans</a></h3>" in page and ">Physical AI</a></h3>" in page
    (dialogue,) = response.context["view"].statements["dialogues"]
    assert dialogue.slug == "huang-renxun-wang-jian-chain-expo-2025"
    assert (dialogue.quote_count, dialogue.claim_count) == (3, 2)
    assert "3 quotes, 2 claims" in page
    assert "The latest" not in page  # everything fits
    (data,) = jsonld(response)
    assert data["@type"] == "Person"
    assert "https://www.wikidata.org/wiki/Q305177" in data["sameAs"]
    assert "Jensen Huang" in data["alternateName"]


def test_speaker_page_shows_the_latest_and_links_to_the_rest(client, coverage, monkeypatch):
    from dialogues.views import SpeakerDetailView

    monkeypatch.setattr(SpeakerDetailView, "LATEST", 2)
    ada = coverage.dialogue.speakers.get(slug="ada")
    for n in range(3):
        factories.QuoteFactory(coverage=coverage, speakers=[ada], text=f"Words number {n}.")
    factories.QuoteFactory(
        coverage=factories.CoverageFactory(dialogue=coverage.dialogue, draft=True), speakers=[ada]
    )
    response = client.get("/speakers/ada/")
    page = response.content.decode()
    assert "Words number 2." in page and "Words number 1." in page and "Words number 0." not in page
    assert "The latest 2 of each are below." in page
    assert "(3 quotes, 0 claims)" in page  # the draft's quote is not counted
    assert 'href="/quotes/?speaker=ada"' in page
    (dialogue,) = response.context["view"].statements["dialogues"]
    assert dialogue.quote_count == 3


def test_a_speaker_with_nothing_published_is_not_counted_twice(client, article):
    """Wang Jian is on stage but the article credits him nothing alone: no "0 quotes, 0 claims"
    beside the heading or the dialogue, one sentence saying there is nothing yet."""
    page = client.get("/speakers/wang-jian/").content.decode()
    assert "No published quotes or claims yet." in page
    assert "0 quotes" not in page and "0 claims" not in page
    huang = client.get("/speakers/huang-renxun/").content.decode()
    assert re.search(r'<span class="count">\(\d+ quotes, \d+ claims\)</span>', huang)


def test_topic_page_puts_speakers_side_by_side(client, article):
    page = client.get("/topics/ai-and-humans/").content.decode()
    # Only Huang Renxun is quoted on it: the article reports Wang Jian's views only as narration.
    assert 'id="col-huang-renxun"' in page and 'id="col-wang-jian"' not in page
    assert "digital partner" in page
    assert "From tool to symbiosis" in page


def test_event_and_dialogue_pages(client, article):
    response = client.get("/events/chain-expo-2025/")
    assert "Known as the Chain Expo." in response.content.decode()
    (data,) = jsonld(response)
    assert data["@type"] == "Event" and data["startDate"] == "2025-07-16"
    page = client.get(article.dialogue.get_absolute_url()).content.decode()
    assert "Huang Renxun</a> — speaker" in page and "about 30 minutes" in page


def test_predictions_page_lists_resolve_by_and_outcome(client, article):
    page = client.get("/predictions/").content.decode()
    assert "resolve" in page.lower()
    assert page.count('class="badge outcome-open"') == Claim.objects.predictions().count()
    first = Claim.objects.predictions().order_by("resolve_by").first()
    assert page.index(escape(first.statement)) < page.index("2035")


def test_claims_page_filters(client, article):
    response = client.get("/claims/", {"kind": "figure"})
    assert [c.slug for c in response.context["page_obj"]] == ["coreweave-market-value-tripled"]
    response = client.get("/claims/", {"speaker": "huang-renxun", "kind": "prediction"})
    assert {c.slug for c in response.context["page_obj"]} == {
        "physical-ai-is-the-next-wave",
        "ai-lifelong-companion",
    }
    response = client.get("/claims/", {"status": "nonsense"})
    assert response.status_code == 200 and list(response.context["page_obj"]) == []


def test_quotes_page_filters_by_any_name_variant_typed_in(client, article):
    huang = {q.slug for q in Quote.objects.filter(speakers__slug="huang-renxun")}
    for typed in ("huang-renxun", "黄仁勋", "Jensen Huang"):
        response = client.get("/quotes/", {"speaker": typed})
        assert {q.slug for q in response.context["page_obj"]} == huang, typed
    page = response.content.decode()
    assert 'name="speaker" value="Jensen Huang"' in page
    assert "<option" not in page.split('name="speaker"')[1].split("</div>")[0]  # a text box, no menu
    assert list(client.get("/quotes/", {"speaker": "nobody at all"}).context["page_obj"]) == []


@pytest.mark.parametrize("path", ["/claims/", "/quotes/", "/zh-hans/quotes/"])
def test_a_misspelt_speaker_filter_suggests_the_speaker_meant(client, article, path):
    page = client.get(path, {"speaker": "Jensen Haung", "page": "1"}).content.decode()
    link = re.search(
        r'<p role="status" class="search-suggestion">.*?<a href="([^"]+)">Jensen Huang</a>', page
    )
    assert link, page[page.index("<main") :][:2000]
    assert "page=" not in link.group(1)
    suggested = client.get(path + link.group(1).replace("&amp;", "&")).content.decode()
    assert re.search(r'class="(quote|claim)-card', suggested)  # his quotes or claims listed
    assert 'class="search-suggestion"' not in suggested
    # A name that spells no one gets no suggestion, and a name found gets none either.
    assert 'class="search-suggestion"' not in client.get(path, {"speaker": "Zzyzx Qwerty"}).content.decode()


def test_quote_permalink(client, article):
    response = client.get("/quotes/huang-ai-digital-partner/")
    page = response.content.decode()
    assert "founder and CEO, NVIDIA" in page
    passage = escape('AI will become your "digital partner."')
    assert f"As Huang Renxun said, <mark>{passage}</mark>" in page  # his words marked, in context
    assert "Cite this quote" in page and "Chain Expo" in page
    (data,) = jsonld(response)
    assert data["@type"] == "Quotation"
    assert data["spokenByCharacter"][0]["name"] == "Huang Renxun"
    assert data["isPartOf"]["headline"] == article.title


@pytest.mark.parametrize(
    "path", ["/claims/coreweave-market-value-tripled/", "/quotes/huang-ai-digital-partner/"]
)
def test_a_statements_page_leads_to_its_place_in_the_article(client, article, path):
    """To the passage's note number in the text (``ref-…``), where a reader reads it in context,
    not to the note under the section; the target exists on the article page."""
    page = client.get(path).content.decode()
    link = re.search(r'<a href="(/coverage/[^"#]+)#([^"]+)">Read it in our copy of the article</a>', page)
    assert link.group(2).startswith("ref-")
    assert f'id="{link.group(2)}"' in client.get(link.group(1)).content.decode()


def test_quote_permalink_links_to_the_original_passage(client, article):
    article.original_url = "https://example.com/article"
    article.save()
    page = client.get("/quotes/huang-ai-digital-partner/").content.decode()
    assert "https://example.com/article#:~:text=" in page


def test_checked_claim_has_claim_review_jsonld(client, article):
    data = jsonld(client.get("/claims/nvlink-fusion-opened-ecosystem/"))[0]
    assert [d["@type"] for d in data] == ["Claim", "ClaimReview"]
    assert data[1]["reviewRating"]["alternateName"] == "Supported"
    (unchecked,) = jsonld(client.get("/claims/coreweave-market-value-tripled/"))
    assert unchecked["@type"] == "Claim"


def test_jsonld_cannot_be_broken_out_of(client, coverage, two_speakers):
    factories.QuoteFactory(
        coverage=coverage, speakers=[two_speakers[0]], text="</script><script>alert(1)</script>", slug="evil"
    )
    response = client.get("/quotes/evil/")
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    (data,) = jsonld(response)
    assert data["text"] == "</script><script>alert(1)</script>"


def test_search_finds_speakers_by_alias_in_any_script(client, article):
    # Whole or in part, in any letter case; "huang" is in the name and in aliases: listed once.
    for query in ("Jensen Huang", "黄仁勋", "jensen", "仁勋", "RENXUN", "huang"):
        response = client.get("/search/", {"q": query})
        groups = {g["kind"]: g for g in response.context["results"]()["groups"]}
        assert [s.slug for s in groups["speakers"]["items"]] == ["huang-renxun"]


def test_search_finds_quotes_and_claims(client, article):
    response = client.get("/search/", {"q": "CoreWeave"})
    groups = {g["kind"]: g for g in response.context["results"]()["groups"]}
    assert "coreweave-market-value-tripled" in [c.slug for c in groups["claims"]["items"]]
    assert len(groups["coverage"]["items"]) == 1
    page = response.content.decode()
    # Cards carry their speakers, loaded with the page's other links.
    assert "Asserted by" in page and "Huang Renxun" in page


def test_search_paginates(client, coverage, two_speakers):
    for n in range(25):
        factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]], text=f"Paginated words {n}.")
    response = client.get("/search/", {"q": "Paginated"})
    assert response.context["results"]()["has_next"] is True
    assert 'rel="next" href="?q=Paginated&amp;page=2"' in response.content.decode()
    response = client.get("/search/", {"q": "Paginated", "page": 2})
    quotes = next(g for g in response.context["results"]()["groups"] if g["kind"] == "quotes")
    assert len(quotes["items"]) == 5
    assert response.context["results"]()["has_next"] is False


def search_page(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.context["results"](), response.content.decode()


@pytest.mark.parametrize("query", ["Jensen Huang", "黄仁勋", "黃仁勳"])
def test_search_by_alias_shows_the_article_his_quotes_and_claims(client, article, query):
    found, page = search_page(client, query)
    kinds = [group["kind"] for group in found["groups"]]
    assert kinds[:4] == ["speakers", "coverage", "quotes", "claims"]
    assert f'href="{article.get_absolute_url()}"' in page
    assert "AI will become your “digital partner.”" in page  # one of his quotes, as a card
    assert "<mark>Huang</mark> <mark>Renxun</mark>" in page  # the passage of the article naming him


def test_search_with_a_typo_suggests_a_spelling_and_shows_what_it_finds(client, article):
    found, page = search_page(client, "coreweeve")
    # Shown as the name is stored, not as the lower-case vocabulary has it.
    assert found["suggestion"] == "CoreWeave"
    assert 'Did you mean <a href="?q=CoreWeave">CoreWeave</a>?' in page
    _found, page = search_page(client, "jensen haung")
    assert 'Did you mean <a href="?q=Jensen%20Huang">Jensen Huang</a>?' in page
    assert "coreweave-market-value-tripled" in {c.slug for g in found["groups"] for c in g["items"]}


def test_a_drafts_word_is_not_suggested_on_the_page(client, draft_world):
    for typo in ("Secrat", "Hiddan"):
        found, page = search_page(client, typo)
        assert found["groups"] == [] and found["suggestion"] is None, typo
        assert "Did you mean" not in page and "Nothing found" in page


def test_search_page_past_the_end_says_so(client, article):
    found, page = search_page(client, "CoreWeave", page=40)
    assert found["groups"] == [] and found["past_the_end"]
    assert "There is no page 40 of results" in page and "they end on page 1" in page
    assert 'href="?q=CoreWeave">Go to the last page' in page


def test_search_page_past_the_end_links_to_the_last_page(client, coverage, two_speakers):
    for n in range(25):
        factories.QuoteFactory(coverage=coverage, speakers=[two_speakers[0]], text=f"Paginated words {n}.")
    found, page = search_page(client, "Paginated", page=99)
    assert found["past_the_end"] and found["last_page"] == 2
    assert "they end on page 2." in page and 'href="?q=Paginated&amp;page=2">Go to the last page' in page
    # "Previous" is the last page, not page 98, itself past the end.
    assert 'rel="prev" href="?q=Paginated&amp;page=2"' in page and "page=98" not in page
    _found, page = search_page(client, "Paginated", page=2)
    assert '<span aria-current="page">Page 2 of 2</span>' in page


def test_search_page_has_one_search_box(client, article):
    _found, page = search_page(client, "CoreWeave")
    assert page.count('role="search"') == 1 and page.count('type="search"') == 1
    assert client.get("/").content.decode().count('role="search"') == 1


def test_methodology_page_explains_every_label_and_badges_link_to_it(client, article):
    page = client.get("/methodology/").content.decode()
    for group, choices in (
        ("claim-status", Claim.Status),
        ("claim-kind", Claim.Kind),
        ("quote-kind", Quote.Kind),
        ("prediction", Claim.Outcome),
    ):
        for choice in choices:
            assert f'<dt id="{group}-{choice.value}">{choice.label}</dt>' in page, choice
    assert "How we check" in page and "Open · resolve by" in page.replace("“", "").replace("”", "")
    assert 'href="/methodology/">What our labels mean</a>' in client.get("/").content.decode()
    # Badges on the pages link to entries that exist.
    linked = set()
    for url in (
        "/claims/",
        "/quotes/",
        "/predictions/",
        "/claims/coreweave-market-value-tripled/",
        COVERAGE_URL,
    ):
        linked |= set(
            re.findall(
                r'<a class="badge [^"]*" href="/methodology/#([\w-]+)"', client.get(url).content.decode()
            )
        )
    assert {
        "claim-status-supported",
        "claim-kind-prediction",
        "quote-kind-paraphrase",
        "prediction-open",
    } <= linked
    assert all(f'id="{anchor}"' in page for anchor in linked)


def test_lists_paginate(client, two_speakers):
    coverage = factories.CoverageFactory(dialogue=factories.DialogueFactory(speakers=two_speakers))
    for _ in range(21):
        factories.ClaimFactory(coverage=coverage)
    response = client.get("/claims/", {"page": 2})
    assert len(response.context["page_obj"]) == 1
    assert 'rel="prev"' in response.content.decode()


@pytest.mark.parametrize(
    ("asked", "sent_to"),
    [
        ("page=99", "/claims/?status=unverified&page=2"),  # past the end: the last page
        ("page=abc", "/claims/?status=unverified"),  # no number: the first
        ("page=0", "/claims/?status=unverified"),
        ("page=last", "/claims/?status=unverified&page=2"),
    ],
)
def test_a_list_page_that_does_not_exist_sends_the_reader_to_one_that_does(
    client, two_speakers, asked, sent_to
):
    coverage = factories.CoverageFactory(dialogue=factories.DialogueFactory(speakers=two_speakers))
    for _ in range(21):
        factories.ClaimFactory(coverage=coverage)
    response = client.get(f"/claims/?status=unverified&{asked}")
    assert response.status_code == 302 and response["Location"] == sent_to
    assert client.get(sent_to).status_code == 200
    # In Chinese too, and on a list with one page, page 2 is page 1.
    assert client.get("/zh-hans/quotes/?page=2")["Location"] == "/zh-hans/quotes/"


def test_drafts_in_review_and_scheduled_are_invisible_everywhere(client, draft_world):
    live, hidden = draft_world
    pages = ["/", "/coverage/", "/speakers/", "/quotes/", "/claims/", "/predictions/", "/topics/", "/events/"]
    feeds = ["/feeds/coverage.rss", "/feeds/coverage.atom", "/feeds/speakers/ada.rss"]
    for url in [*pages, *feeds, "/sitemap.xml"]:
        body = client.get(url).content.decode()
        assert "Secret" not in body and "Hidden" not in body, url
    for word in ("Secret", "Hidden"):
        assert client.get("/search/", {"q": word}).context["results"]()["groups"] == [], word
    groups = {
        g["kind"]: g for g in client.get("/search/", {"q": "Bo Speaker"}).context["results"]()["groups"]
    }
    assert "speakers" not in groups  # only on stage in unpublished coverage
    for coverage, quote, claim in hidden.values():
        for obj in (coverage, quote, claim, coverage.dialogue, coverage.dialogue.event):
            assert client.get(obj.get_absolute_url()).status_code == 404, obj
    assert client.get("/speakers/bo/").status_code == 404
    assert client.get("/feeds/speakers/bo.rss").status_code == 404
    assert "Live Coverage" in client.get("/").content.decode()


def test_logged_in_non_staff_readers_do_not_see_drafts(client, reader, draft_world):
    _, hidden = draft_world
    client.force_login(reader)
    coverage, quote, _ = hidden["draft"]
    assert client.get(coverage.get_absolute_url()).status_code == 404
    assert client.get(quote.get_absolute_url()).status_code == 404


def test_feeds_parse_and_carry_items(client, article):
    rss = ET.fromstring(client.get("/feeds/coverage.rss").content)
    assert [item.findtext("title") for item in rss.iter("item")] == [article.title]
    atom = ET.fromstring(client.get("/feeds/topics/ai-and-humans.atom").content)
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert any("digital partner" in e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries)
    speaker = ET.fromstring(client.get("/feeds/speakers/huang-renxun.rss").content)
    assert len(list(speaker.iter("item"))) == 3
    # Escaped once: an apostrophe is text in HTML, not "&#x27;" that XML escapes again.
    descriptions = [item.findtext("description") for item in speaker.iter("item")]
    assert all("Wang Jian's Dialogue" in d and "&#x27;" not in d for d in descriptions)


def test_rss_descriptions_still_show_markup_as_typed(article):
    from django.utils.feedgenerator import Rss201rev2Feed

    from dialogues.feeds import PlainTextRssFeed

    feed = PlainTextRssFeed("t", "http://x/", "d")
    feed.add_item("i", "http://x/i", "<b>bold</b> & 'it'")
    described = ET.fromstring(feed.writeString("utf-8")).find("channel/item").findtext("description")
    assert described == "&lt;b&gt;bold&lt;/b&gt; &amp; 'it'"
    assert issubclass(PlainTextRssFeed, Rss201rev2Feed)


def test_sitemap_and_robots(client, article):
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"http://testserver{COVERAGE_URL}" in locations
    assert "http://testserver/quotes/huang-ai-digital-partner/" in locations
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots


def test_pages_have_title_description_canonical_and_og(client, article):
    for url in [
        "/",
        COVERAGE_URL,
        "/speakers/huang-renxun/",
        "/quotes/huang-ai-digital-partner/",
        "/topics/open-source/",
    ]:
        page = client.get(url).content.decode()
        assert re.search(r"<title>[^<]{10,}</title>", page), url
        assert re.search(r'<meta name="description" content="[^"]{10,}">', page), url
        assert '<link rel="canonical" href="http://testserver/' in page, url
        assert '<meta property="og:title"' in page and 'name="twitter:card"' in page, url
        assert '<main id="main"' in page and "<nav" in page and "<header" in page, url


def test_404_page_is_helpful(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Search quotes, claims and speakers" in response.content.decode()


def test_500_page_is_served(client, db, monkeypatch):
    from django.test import Client

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("dialogues.views.HomeView.get_context_data", explode)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


# The query budget of each page rendered with no card cached: fixed, whatever the number of
# rows. The article and speaker pages are the richest: participants or the speaker with their
# titles (and, on the speaker page, the sources of those facts), then the cards' own speakers
# with theirs and claims' evidence (4 of their 12 or 14; none once the cards are cached).
QUERY_BUDGETS = {
    "/": 10,
    "/coverage/": 10,
    COVERAGE_URL: 12,
    "/speakers/": 10,
    "/speakers/huang-renxun/": 14,
    "/events/chain-expo-2025/": 10,
    "/dialogues/huang-renxun-wang-jian-chain-expo-2025/": 10,
    "/topics/": 10,
    "/topics/ai-and-humans/": 10,
    "/quotes/": 10,
    "/quotes/huang-ai-digital-partner/": 10,
    "/claims/": 10,
    "/claims/coreweave-market-value-tripled/": 10,
    "/predictions/": 10,
    # Who the query names and which topics readers may see (both once per content generation),
    # then speakers, coverage, quotes, claims, commentary, topics, organizations and products,
    # and the cards' speakers and evidence.
    "/search/?q=AI": 14,
    "/methodology/": 0,
}


def test_cards_read_only_the_columns_they_print(article, django_assert_num_queries):
    from django.db.models import prefetch_related_objects
    from django.template import engines

    quotes = list(Quote.objects.card_rows().order_by("pk"))
    claims = list(Claim.objects.card_rows().order_by("pk"))
    prefetch_related_objects(quotes, *Quote.objects.card_lookups())
    prefetch_related_objects(claims, *Claim.objects.card_lookups())
    assert {"anchor_exact", "original_text", "section_id"} <= quotes[0].get_deferred_fields()
    assert {"anchor_exact", "check_note", "checked_on"} <= claims[0].get_deferred_fields()
    assert {"source_text", "author", "status"} <= quotes[0].coverage.get_deferred_fields()
    # Yet a card finds everything it prints: asking for a column left out would be a query.
    cards = engines["jinja2"].env.get_template("includes/cards.html").module
    with django_assert_num_queries(0):
        printed = "".join(map(cards.quote_card, quotes)) + "".join(map(cards.claim_card, claims))
    assert quotes[0].text in printed and "CoreWeave" in printed


@pytest.mark.parametrize(("url", "budget"), QUERY_BUDGETS.items())
def test_query_count_does_not_grow_with_rows(client, article, django_assert_max_num_queries, url, budget):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    assert len(first.captured_queries) <= budget, url
    ada, bo = article.dialogue.speakers.all()
    for n in range(15):
        quote = factories.QuoteFactory(
            coverage=article,
            speakers=[ada, bo],
            anchor_exact="AI will become your",
            kind="reported",
            slug=f"more-{n}",
            is_featured=True,
            text=f"More open AI words {n}.",
        )
        quote.topics.set(article.topics.all())
        claim = factories.ClaimFactory(
            coverage=article,
            anchor_exact="CoreWeave",
            anchor_suffix="'s market",
            slug=f"more-claim-{n}",
            kind="prediction",
            resolve_by="2030-01-01",
            attribution="speaker",
            statement=f"Open AI claim {n}.",
        )
        claim.speakers.set([ada])
        claim.topics.set(article.topics.all())
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_reverse_names_are_namespaced():
    assert reverse("dialogues:quote-detail", kwargs={"slug": "x"}) == "/quotes/x/"


def test_the_date_filter_writes_each_date_as_djangos_does_in_its_zone_and_language():
    moment = datetime.datetime(2025, 7, 16, 23, 30, tzinfo=datetime.UTC)
    day = datetime.date(2025, 7, 16)
    for _ in range(2):  # the second time from the memo
        for value, format_string in ((moment, "j F Y, H:i T"), (day, "j M Y"), (day, None), (None, "Y")):
            expected = defaultfilters.date(timezone.template_localtime(value), format_string)
            assert date(value, format_string) == expected
        with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
            assert date(moment, "j F Y, H:i") == "17 July 2025, 07:30"
        assert date(moment, "j F Y, H:i") == "16 July 2025, 23:30"
        with translation.override("de"):
            assert date(day, "j F Y") == "16 Juli 2025"
        assert date(day, "j F Y") == "16 July 2025"


def test_cached_cards_skip_what_only_cards_read(client, article):
    """A second render of a page of cards reads no speakers, titles or evidence: the cards come
    from the per-object cache (dialogues.fragments), and the HTML is the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def render():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(COVERAGE_URL).content.decode()
        return page, [query["sql"] for query in queries.captured_queries]

    client.cookies["sessionid"] = "anonymous"  # past the page cache, as a first render
    cold_page, cold = render()
    warm_page, warm = render()
    assert warm_page == cold_page
    assert len(warm) <= len(cold) - 4
    assert not any("dialogues_evidencesource" in sql or "dialogues_quote_speakers" in sql for sql in warm)


def test_an_edit_re_renders_only_that_card(client, article, settings):
    quote = Quote.objects.filter(coverage=article).first()
    other = Quote.objects.filter(coverage=article).exclude(pk=quote.pk).first()
    client.get(COVERAGE_URL)
    quote.text = "Words changed after the first render."
    quote.save()
    page = client.get(COVERAGE_URL).content.decode()
    assert "Words changed after the first render." in page
    assert other.text.replace("'", "&#39;").replace('"', "&#34;") in page or other.text in page


def test_a_speaker_rename_shows_on_every_cached_card(client, article):
    client.get(COVERAGE_URL)
    speaker = article.dialogue.speakers.first()
    old_name = speaker.name
    speaker.name = "Renamed Speaker"
    speaker.save()
    page = client.get(COVERAGE_URL).content.decode()
    assert "Renamed Speaker" in page and f">{old_name}<" not in page


def test_cards_are_the_same_with_the_fragment_cache_off(client, article, settings):
    cached = client.get(COVERAGE_URL).content.decode()
    settings.FRAGMENT_CACHE_ENABLED = False
    assert client.get(COVERAGE_URL).content.decode() == cached


@pytest.mark.parametrize("page", ["/claims/", "/quotes/"])
def test_the_topic_menu_names_no_topic_only_drafts_use(client, editor, article, page):
    secret = factories.TopicFactory(slug="secret-topic", name="Secret Topic")
    draft = factories.CoverageFactory(draft=True)
    factories.ClaimFactory(coverage=draft).topics.add(secret)
    factories.QuoteFactory(coverage=draft).topics.add(secret)
    public = client.get(page).content.decode()
    assert "secret-topic" not in public and "Secret Topic" not in public
    assert 'value="open-source"' in public  # the article's topics are still offered
    client.force_login(editor)
    assert 'value="secret-topic"' in client.get(page).content.decode()  # staff preview drafts


@pytest.mark.parametrize("prefix", ["", "/zh-hans"])
def test_the_unconfirmed_tag_links_to_its_explanation(client, article, prefix):
    event = client.get(f"{prefix}/events/chain-expo-2025/").content.decode()
    assert f'<a class="unconfirmed" href="{prefix}/methodology/#fact-source-unconfirmed">' in event
    methodology = client.get(f"{prefix}/methodology/").content.decode()
    assert '<dt id="fact-source-unconfirmed">' in methodology


@pytest.mark.parametrize(
    "url", ["/", "/search/?q=huang", "/robots.txt", "/healthz", "/speakers/huang-renxun/"]
)
def test_a_head_request_answers_as_a_get_would_without_the_body(client, article, url):
    """Link checkers and load balancers' probes send HEAD: it was a 405 on search, robots.txt
    and the health check."""
    got, head = client.get(url), client.head(url)
    assert got.status_code == head.status_code == 200, (got.status_code, head.status_code)
    assert head.content == b"" and head["Content-Type"] == got["Content-Type"]


def test_the_publications_own_claim_names_no_made_up_author(client, article):
    """The article's narration is the publication's claim: its structured data names the
    publication when the coverage does, and no author otherwise (it said "The publication")."""
    url = "/claims/open-source-is-a-means/"
    (claim,) = [item for item in jsonld(client.get(url)) if item.get("@type") == "Claim"]
    assert "author" not in claim
    article.source_publication = "Chain Expo Weekly"
    article.save()
    (claim,) = [item for item in jsonld(client.get(url)) if item.get("@type") == "Claim"]
    assert claim["author"] == [{"@type": "Organization", "name": "Chain Expo Weekly"}]
