"""The import assistant's extraction rules (dialogues/importing), one rule at a time, on text
written for the test: general rules, not one article's."""

import datetime
from decimal import Decimal

import pytest

from dialogues.anchors import locate
from dialogues.importing import ImportInputError, KnownEntity, extract
from dialogues.importing.text import Heading, decode, to_plain_text

ADA = KnownEntity("speaker", 1, "Ada Lovelace", ("艾达", "Countess of Lovelace"))
BO = KnownEntity("speaker", 2, "Bo Chen", ("陈博",))
ACME = KnownEntity("organization", 7, "Acme Robotics", ("Acme",))
KNOWN = [ADA, BO, ACME]


def quotes(text, **kwargs):
    return [
        (p.data["text"], p.data["speakers"], p.data["kind"])
        for p in extract(text, known=KNOWN, **kwargs).of_kind("quote")
    ]


def test_quoted_words_with_a_speech_verb_after_them():
    text = 'Title\n\n"Robots will learn from every factory they work in," Ada Lovelace said on stage.'
    assert quotes(text) == [("Robots will learn from every factory they work in", [1], "verbatim")]


def test_said_before_the_quotation_and_chinese_marks():
    text = "标题\n\n陈博表示：“明年我们会把成本降低一半。”\n\n艾达说：「开源是唯一的出路。」"
    assert quotes(text) == [
        ("明年我们会把成本降低一半。", [2], "verbatim"),
        ("开源是唯一的出路。", [1], "verbatim"),
    ]


def test_british_single_quotes_and_an_apostrophe_inside_them():
    text = (
        "Title\n\nAda Lovelace took the stage. ‘Machines don’t compose music yet, but they will,’ she said."
    )
    assert quotes(text) == [("Machines don’t compose music yet, but they will", [1], "verbatim")]


def test_he_said_is_the_last_speaker_named():
    text = (
        "Title\n\nBo Chen spoke after the keynote. Ada Lovelace went on stage next. "
        "She said that machines could compose elaborate music one day."
    )
    assert quotes(text) == [("machines could compose elaborate music one day.", [1], "reported")]


def test_reported_speech_forms():
    text = (
        "Title\n\nAs Bo Chen put it, the supply chain is the product now.\n\n"
        "According to Ada Lovelace, the engine can act on things other than numbers.\n\n"
        "Bo Chen presented a bold forecast: every car will drive itself within ten years."
    )
    assert [(t[:30], s) for t, s, _ in quotes(text)] == [
        ("the supply chain is the produc", [2]),
        ("the engine can act on things o", [1]),
        ("every car will drive itself wi", [2]),
    ]


def test_aliases_in_any_script_and_short_names_name_the_speaker():
    text = "Title\n\n“Analysis needs imagination as much as rigor,” Lovelace said.\n\n陈博指出，芯片的需求还在快速增长。"
    found = quotes(text)
    assert [s for _, s, _ in found] == [[1], [2]]


def test_group_speech_is_a_claim_of_the_publication_not_a_quote():
    text = (
        "Title\n\nBoth leaders said that open models will win in the end.\n\n"
        "Ada Lovelace and Bo Chen both mentioned the importance of open source in robotics."
    )
    result = extract(text, known=KNOWN)
    assert result.of_kind("quote") == []
    group = [p for p in result.of_kind("claim") if p.data["group_speech"]]
    assert len(group) == 2
    assert all(p.data["attribution"] == "publication" and p.data["speakers"] == [] for p in group)


def test_scare_quotes_are_not_quotes():
    assert quotes('Title\n\nThe industry calls this the "physical AI" era, and it is growing fast.') == []


def test_an_unknown_speaker_is_proposed_by_name():
    result = extract('Title\n\n"We ship next week," Maria Lopez said in an interview.', known=KNOWN)
    (quote,) = result.of_kind("quote")
    assert quote.data["speakers"] == [] and quote.data["speaker_names"] == ["Maria Lopez"]


def figures(sentence, published_on=None):
    result = extract("Title\n\n" + sentence, known=KNOWN, published_on=published_on)
    return [
        (Decimal(p.data["value"]), p.data["unit"], p.data["qualifier"], p.data["as_of"])
        for p in result.of_kind("figure")
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Its market value is now approaching US$73 billion.", (Decimal("73e9"), "USD", "nearly")),
        ("Revenue reached about €1.2 million in the quarter.", (Decimal("1.2e6"), "EUR", "about")),
        ("Sales grew by more than 40% over the year.", (Decimal(40), "%", "over")),
        ("The value has nearly tripled in two months.", (Decimal(3), "×", "nearly")),
        ("They talked for nearly half an hour about robots.", (Decimal(30), "minutes", "nearly")),
        ("The platform has 3,500 developers building apps.", (Decimal(3500), "developers", "exact")),
        ("公司去年的投资超过了500亿元。", (Decimal("5e10"), "CNY", "over")),
        ("The chip is five times faster than the last one.", (Decimal(5), "×", "exact")),
    ],
)
def test_figures_with_units_currencies_and_qualifiers(sentence, expected):
    assert figures(sentence)[0][:3] == expected


def test_figures_hold_now_on_the_publication_date_or_on_the_date_given():
    day = datetime.date(2025, 7, 23)
    assert figures("The company now has 120 employees in total.", day)[0][3] == "2025-07-23"
    assert figures("The company had 120 employees by March 2024 already.", day)[0][3] == "2024-03-31"
    assert figures("The conversation lasted ten minutes on the main stage.", day)[0][3] is None


def test_years_and_numbers_in_names_are_not_figures():
    assert figures("The QuestMobile 2025 AI Application Report came out in 2025 with new data.") == []


def test_entities_match_known_records_by_name_and_alias_and_propose_new_ones():
    text = (
        "Title\n\nAcme showed its robots. Sensor makers such as Sony and Omron Corp supply the parts, "
        "and the NVLink Fusion technology connects them. Acme Robotics and CoreWeave signed a deal."
    )
    entities = {
        p.data["name"]: (p.data["entity_kind"], p.data["match"])
        for p in extract(text, known=KNOWN).of_kind("entity")
    }
    assert entities["Acme Robotics"] == ("organization", 7)
    assert entities["Sony"] == ("organization", None)
    assert entities["Omron Corp"] == ("organization", None)
    assert entities["NVLink Fusion"] == ("product", None)
    assert entities["CoreWeave"] == ("organization", None)
    assert "Title" not in entities and "Sensor" not in entities


def test_a_datelines_place_is_not_an_organization():
    text = "Title\n\nSan Francisco, November 6 — Harmonic Drive makers met the press at the show."
    names = [p.data["name"] for p in extract(text, known=KNOWN).of_kind("entity")]
    assert names == ["Harmonic Drive"]


def test_places_are_not_organizations_but_names_holding_them_are():
    """Countries, regions and cities (a list kept as data, in English and Chinese) and places
    the words around them mark are never proposed; a name that merely holds one is."""
    text = (
        "Title\n\nAcme Robotics opened a lab in Hangzhou, and Hangzhou's officials came. "
        "China and the USA lead, while Silicon Valley startups and New York investors watch. "
        "Europe and Southeast Asia follow, and the Greater Bay Area builds the robots today. "
        "The Espoo-based Quanta Motion joined Bank of China and China Mobile as partners. "
        "The firm Veltra, headquartered in Tampere, signed a deal with the city of Oulu and Jiangxi Province. "
        "The New York Times wrote about it from Paris."
    )
    names = {p.data["name"] for p in extract(text, known=KNOWN).of_kind("entity")}
    assert names == {
        "Acme Robotics",
        "Quanta Motion",
        "Bank of China",
        "China Mobile",
        "Veltra",
        "New York Times",
    }


def test_the_list_of_places_names_them_in_english_and_chinese():
    from dialogues.importing.entities import PLACES, is_place

    assert {"hangzhou", "杭州", "china", "中国", "silicon valley", "硅谷", "denver"} <= PLACES
    assert is_place("杭州") and is_place("Hangzhou") and not is_place("Hangzhou Robotics")


def test_claims_with_a_kind_and_no_questions_or_boilerplate():
    text = (
        "Title\n\nEdge computing refers to computing near the data source itself.\n\n"
        "Robots will work in most factories within the next decade.\n\n"
        "This is clearly the most important shift in the industry.\n\n"
        "The company opened its second plant in Ohio last year.\n\n"
        "Where will the next breakthrough come from in this field?\n\n"
        "Solemnly declare: the copyright of this article belongs to the original author."
    )
    kinds = [p.data["kind"] for p in extract(text, known=KNOWN).of_kind("claim")]
    assert kinds == ["definition", "prediction", "opinion", "fact"]


def test_sections_from_numbered_titles_and_markdown_headings():
    text = "Title\n\n01\n\nFrom Words to Things\n\nWhat comes next?\n\nBody text here.\n\n02 The Second Part\n\nMore text."
    sections = extract(text).sections
    assert [(s.number, s.title, s.subtitle) for s in sections] == [
        (1, "From Words to Things", "What comes next?"),
        (2, "The Second Part", ""),
    ]
    markdown = "# Title\n\nIntro text.\n\n## Open source\n\nSome **bold** text with a [link](https://example.com).\n\n## Robots\n\nEnd."
    result = extract(markdown)
    assert [s.title for s in result.sections] == ["Open source", "Robots"]
    assert "Some bold text with a link." in result.text and "**" not in result.text


FIRST = "From Cognitive AI to Physical AI"  # six words: long enough to pass for a claim
BODY_ONE = "Robots will learn from every factory they work in within the next decade."
BODY_TWO = "Open models let developers everywhere inspect and improve what they run."


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        (f"## {FIRST}\n\n{BODY_ONE}\n\n## Open Source\n\n{BODY_TWO}", FIRST),
        (f"# The Talk\n\n## {FIRST}\n\n{BODY_ONE}\n\n## Open Source\n\n{BODY_TWO}", "The Talk"),
        (f"## {FIRST}\n\n{BODY_ONE}\n\n### Robots\n\nx\n\n## Open Source\n\n{BODY_TWO}", FIRST),
        (f"<h2>{FIRST}</h2><p>{BODY_ONE}</p><h2>Open Source</h2><p>{BODY_TWO}</p>", FIRST),
        (
            f"<h1>The Talk</h1><h2>{FIRST}</h2><p>{BODY_ONE}</p><h2>Open Source</h2><p>{BODY_TWO}</p>",
            "The Talk",
        ),
        (f"01 {FIRST}\n\n{BODY_ONE}\n\n02 Open Source\n\n{BODY_TWO}", FIRST),
        (f"The Talk\n\n01 {FIRST}\n\n{BODY_ONE}\n\n02 Open Source\n\n{BODY_TWO}", "The Talk"),
        (f"01\n\n{FIRST}\n\n{BODY_ONE}\n\n02\n\nOpen Source\n\n{BODY_TWO}", FIRST),
    ],
    ids=[
        "md-h2",
        "md-h1-h2",
        "md-h3-inside",
        "html-h2",
        "html-h1-h2",
        "numbered",
        "numbered-titled",
        "number-lines",
    ],
)
def test_the_first_heading_opens_the_first_section(raw, title):
    """A text that opens with its first section's heading has no title line to drop: the
    first section is kept, its heading is not a claim, and its sentences are its own."""
    result = extract(raw)
    assert [(s.number, s.title) for s in result.sections] == [(1, FIRST), (2, "Open Source")]
    assert result.title == title
    claims = [p.data["statement"] for p in result.of_kind("claim")]
    assert claims == [BODY_ONE, BODY_TWO]
    assert result.text.index(FIRST) == result.sections[0].start < result.text.index(BODY_ONE)


def test_a_given_title_is_not_a_section_and_nor_is_a_lone_heading():
    markdown = f"## The Talk\n\n## {FIRST}\n\n{BODY_ONE}\n\n## Open Source\n\n{BODY_TWO}"
    assert [s.title for s in extract(markdown, title="The Talk").sections] == [FIRST, "Open Source"]
    assert extract(f"# The Talk\n\n{BODY_ONE}").sections == []


def test_html_becomes_plain_text_with_its_headings():
    html = "<html><head><style>p{}</style></head><body><h1>Title</h1><p>One &amp; two.</p><h2>Part one</h2><p>Text <b>here</b>.</p><script>x()</script></body></html>"
    plain = to_plain_text(html)
    assert plain.format == "html"
    assert plain.text == "Title\n\nOne & two.\n\nPart one\n\nText here."
    assert plain.headings == [Heading(1, "Title"), Heading(2, "Part one")]


def test_every_proposal_is_anchored_to_exactly_one_passage():
    text = "Title\n\nThe market grew. Ada Lovelace said that the market grew.\n\nThe market grew. The market grew again by 5%."
    result = extract(text, known=KNOWN)
    for proposal in result.proposals:
        selector = proposal.selector(result.text)
        assert locate(result.text, selector) == (proposal.start, proposal.end)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"\xff\xfe\xfa broken", "not UTF-8"),
        (b"a" * (5 * 1024 * 1024 + 1), "5 MB"),
    ],
)
def test_bad_input_is_refused_with_a_reason(data, message):
    with pytest.raises(ImportInputError, match=message):
        extract(decode(data))


def test_the_same_input_gives_the_same_proposals():
    text = "Title\n\nAda Lovelace said that engines will weave algebraic patterns. Revenue was US$5 million."
    first, second = extract(text, known=KNOWN), extract(text, known=KNOWN)
    assert [(p.kind, p.start, p.data) for p in first.proposals] == [
        (p.kind, p.start, p.data) for p in second.proposals
    ]


def test_a_pasted_text_over_the_request_limit_is_told_what_to_do(client, editor, api_client):
    """Over DATA_UPLOAD_MAX_MEMORY_SIZE Django refuses the form before any view runs (CSRF reads
    it first): the answer says why and what to do, not a bare "Bad request"."""
    client.force_login(editor)
    too_long = "黄仁勋说，" * 80_000  # 400,000 characters: under the field's length, 1.2 MB as UTF-8
    response = client.post("/admin/dialogues/importproposal/import/", {"text": too_long, "format": "auto"})
    assert response.status_code == 413
    page = response.content.decode()
    assert "over 1 MB" in page and "upload it as a file" in page and "Back button" in page
    api_client.force_authenticate(editor)
    answer = api_client.post("/api/v1/imports/", {"text": too_long}, format="json")
    assert answer.status_code == 413 and "1,048,576 byte limit" in answer.json()["message"]


def test_the_import_form_adds_a_new_dialogue_in_a_popup(client, editor, article):
    """The article stays pasted: a new event and dialogue are added as on any change form."""
    client.force_login(editor)
    page = client.get("/admin/dialogues/importproposal/import/").content.decode()
    assert (
        'id="add_id_dialogue"' in page and "/admin/dialogues/dialogue/add/?_to_field=id&amp;_popup=1" in page
    )
    assert "admin/js/admin/RelatedObjectLookups.js" in page
    popup = client.post(
        "/admin/dialogues/dialogue/add/?_to_field=id&_popup=1",
        {
            "_popup": "1",
            "_to_field": "id",
            "title": "A second dialogue",
            "slug": "a-second-dialogue",
            "event": article.dialogue.event_id,
            "format": "fireside_chat",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
        },
    )
    assert popup.status_code == 200 and "popup_response" in popup.content.decode()
    assert "A second dialogue" in client.get("/admin/dialogues/importproposal/import/").content.decode()


@pytest.mark.parametrize("title", ["Cloud talk", ""])
def test_a_first_paragraph_ending_in_a_quotation_is_prose_not_the_headline(title):
    """Only a line that matches the given title, or with no title given one that reads as a
    headline (short, not ending as a sentence or quotation does), is the title line."""
    text = 'Ada Lovelace said "the cloud is a utility for everyone now."'
    result = extract(text, known=KNOWN, title=title)
    assert [p.data["text"] for p in result.of_kind("quote")] == ["the cloud is a utility for everyone now."]
    assert result.title == (title or text)


def test_a_given_title_drops_only_the_line_that_matches_it():
    text = "Short words on stage\n\nAda Lovelace said that robots will learn from every factory."
    assert len(extract(text, known=KNOWN, title="Another title").of_kind("quote")) == 1
    assert extract(text, known=KNOWN, title="Another title").title == "Another title"
    kept = extract(text, known=KNOWN, title="Short words on stage")
    assert kept.title == "Short words on stage" and len(kept.of_kind("quote")) == 1


def test_a_long_first_paragraph_gives_a_short_title_and_stays_text():
    text = "Ada Lovelace said that robots will learn from every factory they work in, and from " * 3
    result = extract(text.strip() + ".", known=KNOWN)
    assert result.title.endswith("…") and len(result.title) <= 81
    assert len(result.of_kind("quote")) == 1
