import pytest
from hypothesis import given
from hypothesis import strategies as st

from dialogues.anchors import (
    AnchorAmbiguous,
    AnchorNotFound,
    TextQuoteSelector,
    locate,
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
