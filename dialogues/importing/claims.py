"""Claim candidates: sentences that assert something, with a proposed kind (fact, figure,
prediction, opinion, definition). Questions, headings, meta-text about the article itself and
boilerplate are left out."""

import re

DEFINITION = re.compile(
    r"\b(refers? to|is defined as|are defined as|is short for|stands for|can be classified|means deploying|is the term for)\b",
    re.I,
)
PREDICTION = re.compile(
    r"\b(will|shall|won't|going to|next decade|next stage|next wave|in the future|future\b|foreseeable|"
    r"is expected to|are expected to|is likely to|are likely to|is poised to|by 20\d\d|in the coming)\b|将|会|未来",
    re.I,
)
HEDGE = re.compile(r"\b(may|might|could|would|perhaps|possibly)\b", re.I)
OPINION = re.compile(
    r"\b(important|importan(?:ce|t)|crucial|key|clearly|obviously|undoubtedly|essence|essential|just|must|should|"
    r"far\b|extremely|very|considerabl[ey]|romantic|difficult|easy|better|worse|best|worst|significant|"
    r"inseparable|no longer|not just|only|means|signal|impact|increasingly|gradually|blurred|complex|"
    r"believe|seems?|appears?|arguably|indeed|in fact|true|real)\b",
    re.I,
)
META = re.compile(
    r"\b(this article|this piece|this essay|in this article|click|subscribe|copyright|all rights reserved|"
    r"reprinted|please contact|thank you)\b",
    re.I,
)


def claim_kind(sentence_text, *, has_figures=False):
    if DEFINITION.search(sentence_text):
        return "definition"
    if has_figures:
        return "figure"
    if PREDICTION.search(sentence_text):
        return "prediction"
    if OPINION.search(sentence_text) or HEDGE.search(sentence_text):
        return "opinion"
    return "fact"


def is_claim(sentence_text):
    """Whether a body sentence asserts something a reader could check or dispute."""
    stripped = sentence_text.strip()
    if stripped.endswith(("?", "？")) or META.search(stripped):
        return False
    words = re.findall(r"\w+", stripped)
    cjk = sum(1 for ch in stripped if "\u4e00" <= ch <= "\u9fff")
    if len(words) < 6 and cjk < 10:
        return False
    # A lead-in ("… the following questions:") asserts nothing itself. Every other declarative
    # sentence does: narrowing further by verbs or cue words lost real claims ("X runs through
    # the entirety of the dialogue"), and an editor rejects a proposal faster than typing one.
    return not stripped.endswith((":", "："))
