"""Passage anchors: W3C Web Annotation ``TextQuoteSelector`` (exact, prefix, suffix).

An anchor names a passage by its text rather than by offsets, so it survives re-flowing the
source and can be turned into a browser text-fragment link (``#:~:text=``).
"""

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

# How much context ``selector_for`` takes around a passage; enough to be unique in an article.
CONTEXT_CHARS = 32


class AnchorError(ValueError):
    """The anchor does not point at exactly one passage of the text."""


class AnchorNotFound(AnchorError):
    def __init__(self, message, *, closest=None):
        super().__init__(message)
        self.closest = closest  # a near miss (``Passage``) to offer instead, if there is one


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


# What a pasted passage may differ in from the article without a reader seeing any difference:
# the quotation marks a word processor or an input method chose (CJK corner brackets
# included), the dash, and whitespace (line breaks, double spaces).
_LOOKALIKES = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»〝〞〟＂「」『』", '"'),
        **dict.fromkeys("‘’‚‛‹›＇`´", "'"),
        **dict.fromkeys("‐‑‒–—―−－﹘﹣", "-"),
    }
)


# What ``normalised`` changes: whitespace other than a lone space, and characters beyond ASCII.
_FOLDED = re.compile(r" ?[^\S ]\s*| {2,}\s*|[^\x00-\x7f]")


@dataclass(frozen=True)
class Passage:
    """A span of the source text: ``text`` is exactly ``source[start:end]``."""

    start: int
    end: int
    text: str


@functools.lru_cache(maxsize=16)
def normalised(text):
    """``(folded, starts, ends)``: ``text`` with look-alike quotes and dashes made plain,
    compatibility characters folded (NFKC: full-width letters, "…") and each run of whitespace
    made one space; character ``i`` of ``folded`` comes from ``text[starts[i]:ends[i]]``.

    Cached: a form checks several passages against the same article on one save."""
    folded, starts, ends = [], [], []
    done = 0
    for match in _FOLDED.finditer(text):
        start, end = match.span()
        if done < start:  # plain ASCII, kept as it is
            folded.append(text[done:start])
            starts.extend(range(done, start))
            ends.extend(range(done + 1, start + 1))
        char = match.group()
        if char[0].isspace():
            plain = " "
        else:
            plain = char.translate(_LOOKALIKES)
            if not plain.isascii():
                plain = unicodedata.normalize("NFKC", plain).translate(_LOOKALIKES)
        folded.append(plain)
        starts.extend([start] * len(plain))
        ends.extend([end] * len(plain))
        done = end
    folded.append(text[done:])
    starts.extend(range(done, len(text)))
    ends.extend(range(done + 1, len(text) + 1))
    return _plain_dashes("".join(folded), starts, ends)


# A dash between words reads the same with or without spaces around it, and typed as two
# hyphens: "near—very", "near — very", "near - very" and "near -- very" are one passage.
_DASH_SPACING = re.compile(r" ?-+ ?")


def _plain_dashes(folded, starts, ends):
    """``folded`` with the spaces around each dash dropped and runs of dashes made one, keeping
    ``starts``/``ends`` true to the source. Hyphenated words have no spaces, and stay as they are."""
    if "-" not in folded:
        return folded, starts, ends
    keep = []
    done = 0
    for match in _DASH_SPACING.finditer(folded):
        start, end = match.span()
        keep.extend(range(done, start))
        keep.append(start + match.group().index("-"))
        done = end
    keep.extend(range(done, len(folded)))
    return "".join(folded[i] for i in keep), [starts[i] for i in keep], [ends[i] for i in keep]


def _fold(passage):
    return normalised(passage)[0].strip()


def find_passage(text, pasted):
    """The one place in ``text`` that ``pasted`` names, as a ``Passage`` of the source's own
    characters: found as pasted, or else after folding look-alike quotes, dashes and whitespace
    (``normalised``) on both sides.

    Raises AnchorAmbiguous when it occurs more than once, and AnchorNotFound when it does not
    occur, carrying the ``closest_passage`` (a typo's) when there is one."""
    if not pasted:
        raise AnchorNotFound("The anchor's exact text is empty.")
    exact = list(_occurrences(text, pasted))
    if len(exact) == 1:
        return Passage(exact[0], exact[0] + len(pasted), pasted)
    if len(exact) > 1:
        raise _ambiguous(len(exact))
    folded, starts, ends = normalised(text)
    needle = _fold(pasted)
    if not needle:
        raise AnchorNotFound("The exact text does not occur in the article's source text.")
    found = list(_occurrences(folded, needle))
    if len(found) > 1:
        raise _ambiguous(len(found))
    if found:
        start, end = starts[found[0]], ends[found[0] + len(needle) - 1]
        return Passage(start, end, text[start:end])
    raise AnchorNotFound(
        "The exact text does not occur in the article's source text.", closest=closest_passage(text, pasted)
    )


def _ambiguous(count):
    return AnchorAmbiguous(
        f"The exact text occurs {count} times in the article; add a prefix or suffix "
        "to say which one is meant."
    )


# A near miss is offered when at least this share of it matches (difflib's ratio): a typo or two
# in a sentence, not a different sentence that shares some words.
CLOSEST_MIN_RATIO = 0.8
# Pieces of the passage looked up verbatim to find where a near miss could sit, and the places
# scored: enough for a 20,000-word article in a few milliseconds, whatever was pasted.
_PROBE_CHARS = 8
_MAX_PROBES = 24
_MAX_PLACES = 12
_SLACK = 4


def closest_passage(text, pasted, *, min_ratio=CLOSEST_MIN_RATIO):
    """The passage of ``text`` most like ``pasted`` (a typo, a missing word), or None.

    Places are found by looking up short pieces of the pasted text verbatim (a one-letter typo
    leaves most pieces intact), each vote naming where the passage would start; only the most
    voted few are scored with difflib, so the cost does not grow with the article squared."""
    folded, starts, ends = normalised(text)
    needle = _fold(pasted)
    if len(needle) < 3:
        return None
    size = min(_PROBE_CHARS, max(2, len(needle) // 3))
    step = max(1, (len(needle) - size) // _MAX_PROBES or 1)
    votes = {}
    for offset in range(0, len(needle) - size + 1, step):
        piece = needle[offset : offset + size]
        for count, position in enumerate(_occurrences(folded, piece)):
            if count >= 50:  # a common piece ("the ") says little about where
                break
            place = max(0, position - offset)
            votes[place] = votes.get(place, 0) + 1
    places = []
    for place in sorted(votes, key=lambda place: (-votes[place], place)):
        # Neighbouring places are one place with a letter added or dropped: scored once.
        if all(abs(place - kept) > 2 * _SLACK for kept in places):
            places.append(place)
        if len(places) == _MAX_PLACES:
            break
    if not places:
        return None

    # difflib's "autojunk" ignores the commonest characters of a long passage (spaces, "e") when
    # aligning: a 600-character paragraph is scored in 2 ms instead of 30.
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(needle)  # indexed once; each place is only compared with it

    def ratio(span, _needle):
        matcher.set_seq1(span)
        return matcher.ratio()

    best_ratio, start = max((ratio(folded[p : p + len(needle)], needle), -p) for p in places)
    if best_ratio < min_ratio:
        return None
    start, end = -start, -start + len(needle)
    # Then each edge, for a typo that added or dropped a letter: the whole span is scored, so a
    # closing full stop or quote mark is not left out for a tie at the edge.
    start = max(
        range(max(0, start - _SLACK), start + _SLACK + 1),
        key=lambda s: (ratio(folded[s:end], needle), -abs(s - start)),
    )
    end = max(
        range(end - _SLACK, min(len(folded), end + _SLACK) + 1),
        key=lambda e: (ratio(folded[start:e], needle), -abs(e - end)),
    )
    best = (start, end) if end > start else None
    if best is None:
        return None
    start, end = best
    # Whole words: a near miss that cut a word in half would be a poor passage to pick.
    while start > 0 and folded[start - 1].isalnum() and folded[start].isalnum():
        start -= 1
    while end < len(folded) and folded[end - 1].isalnum() and folded[end].isalnum():
        end += 1
    while start < end and folded[start] == " ":
        start += 1
    while end > start and folded[end - 1] == " ":
        end -= 1
    source_start, source_end = starts[start], ends[end - 1]
    return Passage(source_start, source_end, text[source_start:source_end])


def selector_for(text, exact, *, context=CONTEXT_CHARS):
    """Build a selector for ``exact`` with its prefix and suffix filled in from ``text``; its
    ``exact`` is the source's own text (``find_passage``), whatever quotes or line breaks were
    pasted.

    Raises AnchorNotFound when the passage is absent and AnchorAmbiguous when it occurs more
    than once, since pasted text alone cannot say which occurrence the editor meant.
    """
    passage = find_passage(text, exact)
    return TextQuoteSelector(
        exact=passage.text,
        prefix=text[max(0, passage.start - context) : passage.start],
        suffix=text[passage.end : passage.end + context],
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
