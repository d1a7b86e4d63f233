"""Passage anchors: W3C Web Annotation ``TextQuoteSelector`` (exact, prefix, suffix).

An anchor names a passage by its text rather than by offsets, so it survives re-flowing the
source and can be turned into a browser text-fragment link (``#:~:text=``).
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

# How much context ``selector_for`` takes around a passage; enough to be unique in an article.
CONTEXT_CHARS = 32


class AnchorError(ValueError):
    """The anchor does not point at exactly one passage of the text."""


class AnchorNotFound(AnchorError):
    pass


class AnchorAmbiguous(AnchorError):
    pass


@dataclass(frozen=True)
class TextQuoteSelector:
    exact: str
    prefix: str = ""
    suffix: str = ""


def _occurrences(text, needle):
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)


def locate(text, selector):
    """Return ``(start, end)`` of the one passage the selector names, or raise AnchorError."""
    if not selector.exact:
        raise AnchorNotFound("The anchor's exact text is empty.")
    matches = [
        start
        for start in _occurrences(text, selector.exact)
        if text[:start].endswith(selector.prefix)
        and text[start + len(selector.exact) :].startswith(selector.suffix)
    ]
    if not matches:
        if selector.exact in text:
            raise AnchorNotFound("The exact text occurs in the article, but not with this prefix/suffix.")
        raise AnchorNotFound("The exact text does not occur in the article's source text.")
    if len(matches) > 1:
        raise AnchorAmbiguous(
            f"The exact text occurs {len(matches)} times in the article; add a prefix or suffix "
            "to say which one is meant."
        )
    start = matches[0]
    return start, start + len(selector.exact)


def selector_for(text, exact, *, context=CONTEXT_CHARS):
    """Build a selector for ``exact`` with its prefix and suffix filled in from ``text``.

    Raises AnchorNotFound when the passage is absent and AnchorAmbiguous when it occurs more
    than once, since pasted text alone cannot say which occurrence the editor meant.
    """
    start, end = locate(text, TextQuoteSelector(exact=exact))
    return TextQuoteSelector(
        exact=exact,
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def _fragment_part(value):
    # "-", "," and "&" carry meaning inside a text directive, so they are percent-encoded too.
    return quote(value, safe="").replace("-", "%2D")


def _whole_words(context, *, at_end):
    """Trim context to whole words on one line: text fragments match words, not characters."""
    line = context.splitlines()[-1 if at_end else 0] if context.strip() else ""
    words = line.split()
    if not words:
        return ""
    # Drop the possibly cut word at the far edge of the context window.
    kept = words[1:] if at_end else words[:-1]
    return " ".join(kept[-3:] if at_end else kept[:3])


def text_fragment(selector):
    """The ``:~:text=`` directive for a selector: ``[prefix-,]exact[,-suffix]``."""
    exact = re.sub(r"\s+", " ", selector.exact).strip()
    parts = []
    prefix = _whole_words(selector.prefix, at_end=True)
    if prefix:
        parts.append(_fragment_part(prefix) + "-")
    parts.append(_fragment_part(exact))
    suffix = _whole_words(selector.suffix, at_end=False)
    if suffix:
        parts.append("-" + _fragment_part(suffix))
    return ":~:text=" + ",".join(parts)


def text_fragment_url(url, selector):
    """A link that opens ``url`` scrolled to and highlighting the passage."""
    base = url.split("#", 1)[0]
    return f"{base}#{text_fragment(selector)}"


def selector_at(text, start, end, *, context=CONTEXT_CHARS):
    """The selector for ``text[start:end]``, with as much context as it takes to name that one
    occurrence (a repeated phrase needs more than ``context`` characters around it); ``locate``
    finds ``(start, end)`` for it. The passage with its context occurring once is the same
    test as ``locate``'s, done by two string searches: anchoring the thousands of passages of
    a long, repetitive transcript stays fast."""
    while True:
        selector = TextQuoteSelector(
            exact=text[start:end],
            prefix=text[max(0, start - context) : start],
            suffix=text[end : end + context],
        )
        whole = selector.prefix + selector.exact + selector.suffix
        first = text.find(whole)
        unique = text.find(whole, first + 1) == -1
        if unique or context >= 200 or (start - context <= 0 and end + context >= len(text)):
            return selector
        context = min(200, context * 2)
