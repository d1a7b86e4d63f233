import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogues.anchors import (
    AnchorAmbiguous,
    AnchorNotFound,
    TextQuoteSelector,
    closest_passage,
    find_passage,
    locate,
    normalised,
    selector_for,
    text_fragment,
    text_fragment_url,
)

TEXT = "The cat sat. The dog sat. The cat ran."


def test_locate_unique_passage():
    assert locate(TEXT, TextQuoteSelector("dog sat")) == (17, 24)


def test_locate_rejects_missing_passage():
    with pytest.raises(AnchorNotFound, match="does not occur"):
        locate(TEXT, TextQuoteSelector("bird"))


def test_locate_rejects_ambiguous_passage_and_says_how_many():
    with pytest.raises(AnchorAmbiguous, match="2 times"):
        locate(TEXT, TextQuoteSelector("The cat"))


def test_prefix_disambiguates():
    start, end = locate(TEXT, TextQuoteSelector("The cat", prefix="sat. "))
    assert TEXT[start:end] == "The cat"
    assert start == TEXT.rindex("The cat")


def test_wrong_context_is_reported_as_such():
    with pytest.raises(AnchorNotFound, match="not with this prefix/suffix"):
        locate(TEXT, TextQuoteSelector("dog", prefix="xyz"))


def test_selector_for_fills_in_context():
    selector = selector_for(TEXT, "dog sat", context=5)
    assert selector == TextQuoteSelector("dog sat", prefix=" The ", suffix=". The")


def test_selector_for_refuses_ambiguous_text():
    with pytest.raises(AnchorAmbiguous):
        selector_for(TEXT, "sat")


def test_text_fragment_encodes_directive_characters():
    fragment = text_fragment(TextQuoteSelector("a, b - c & d"))
    assert fragment == ":~:text=a%2C%20b%20%2D%20c%20%26%20d"


def test_text_fragment_uses_whole_words_of_context():
    selector = TextQuoteSelector("dog sat", prefix="cat sat. The ", suffix=". The cat ran.")
    assert text_fragment(selector) == ":~:text=sat.%20The-,dog%20sat,-.%20The%20cat"


def test_text_fragment_url_replaces_existing_fragment():
    url = text_fragment_url("https://example.com/a#top", TextQuoteSelector("dog"))
    assert url == "https://example.com/a#:~:text=dog"


@given(st.text(min_size=1, max_size=200), st.data())
def test_selector_for_always_relocates_its_passage(text, data):
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(text)))
    exact = text[start:end]
    try:
        selector = selector_for(text, exact)
    except AnchorAmbiguous:
        assert text.count(exact) > 1 or text.find(exact, text.find(exact) + 1) != -1
        return
    assert locate(text, selector) == (text.find(exact), text.find(exact) + len(exact))


ARTICLE = (
    'Intro.\n\nAs he said, AI will become your "digital partner." It is near—very near.\n\n「开放」 matters.'
)


@pytest.mark.parametrize(
    "pasted",
    [
        "AI will become your “digital partner.” It is near",
        "AI will become  your\n“digital partner.”\r\nIt is near",
        "your ＂digital partner.＂ It is near–very",
        " your “digital partner.” It is near—very near. ",
    ],
)
def test_find_passage_forgives_quotes_dashes_and_whitespace(pasted):
    passage = find_passage(ARTICLE, pasted)
    assert passage.text == ARTICLE[passage.start : passage.end]
    assert passage.text.replace("\n", " ") in ARTICLE.replace("\n", " ")
    assert '"digital partner."' in passage.text


def test_find_passage_reads_cjk_quote_marks_as_quotes():
    passage = find_passage(ARTICLE, '"开放" matters')
    assert passage.text == "「开放」 matters"


def test_selector_for_stores_the_source_text_not_what_was_pasted():
    selector = selector_for(ARTICLE, "become your “digital partner.”")
    assert selector.exact == 'become your "digital partner."'
    assert locate(ARTICLE, selector) == (ARTICLE.index("become"), ARTICLE.index(" It is near"))


def test_folded_duplicates_are_ambiguous():
    with pytest.raises(AnchorAmbiguous, match="2 times"):
        find_passage('He said "yes". She said “yes”.', "said 「yes」")


def test_a_typo_names_the_closest_passage():
    with pytest.raises(AnchorNotFound) as error:
        find_passage(ARTICLE, "AI will becme your “digital partner.”")
    assert error.value.closest.text == 'AI will become your "digital partner."'
    assert closest_passage(ARTICLE, "It is nera—very near.").text == "It is near—very near."


def test_nothing_close_is_no_suggestion():
    assert closest_passage(ARTICLE, "Quarterly revenue of the company") is None
    with pytest.raises(AnchorNotFound) as error:
        find_passage(ARTICLE, "Quarterly revenue of the company")
    assert error.value.closest is None


def test_closest_passage_costs_little_in_a_20000_word_article():
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]
    filler = " ".join(words[(i * 7) % 10] + str(i % 97) for i in range(20_000))
    text = (
        filler[: len(filler) // 2]
        + "\n\nThe one sentence we look for sits here.\n\n"
        + filler[len(filler) // 2 :]
    )
    normalised(text)  # once per article text (cached), then every lookup reuses it
    started = time.perf_counter()
    found = closest_passage(text, "The one sentense we look for sits here.")
    assert time.perf_counter() - started < 0.5
    assert found.text == "The one sentence we look for sits here."


@pytest.mark.parametrize(
    "pasted", ["It is near - very near.", "It is near -- very near.", "It is near — very near."]
)
def test_a_dash_typed_with_spaces_or_as_two_hyphens_still_anchors(pasted):
    assert find_passage(ARTICLE, pasted).text == "It is near—very near."


def test_spaces_around_a_dash_in_the_article_need_not_be_pasted():
    text = "Open source matters — it really does. Open-source software too."
    assert find_passage(text, "matters—it really").text == "matters — it really"
    assert find_passage(text, "Open-source software").text == "Open-source software"
