"""The whole extraction: text in, anchored proposals out. Pure and deterministic: the same
text and the same known records give the same proposals, with no database and no network."""

import re
import time
from dataclasses import dataclass, field

from dialogues.anchors import selector_at

from .claims import claim_kind, is_claim
from .entities import EVENT, REPORT, SPEAKER, EntityCandidate, Gazetteer, new_entity_candidates
from .figures import find_figures
from .quotes import SpeakerIndex, find_quotes, find_transcript_turns
from .text import Span, lines_of, sentences_in, to_plain_text


@dataclass
class SectionProposal:
    number: int
    title: str
    subtitle: str
    start: int
    # Where the line holding the title starts: before the number in "01 From Cognitive AI…".
    line_start: int


@dataclass
class Proposal:
    """One proposal: ``kind`` is quote, claim, figure or entity; ``data`` its proposed fields
    (JSON-ready); ``start``/``end`` its passage in the text; ``parent`` the index of the claim
    a figure belongs to."""

    kind: str
    start: int
    end: int
    data: dict
    parent: int = None

    def selector(self, text):
        return selector_at(text, self.start, self.end)


@dataclass
class Extraction:
    text: str
    format: str
    title: str
    sections: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    seconds: float = 0.0

    def of_kind(self, kind):
        return [proposal for proposal in self.proposals if proposal.kind == kind]

    def summary(self):
        counts = {kind: len(self.of_kind(kind)) for kind in ("quote", "claim", "figure", "entity")}
        return {"sections": len(self.sections), **counts, "seconds": round(self.seconds, 3)}


NUMBER_LINE = re.compile(r"^(\d{1,2})[.)]?$")
NUMBERED_TITLE = re.compile(r"^(\d{1,2})[.)]?\s+([A-Z\u4e00-\u9fff\"“].{2,148})$")
DATELINE = re.compile(r"^[\d\s/.\-:,年月日]+$")


def section_headings(headings, first_line, title=""):
    """The texts of the markup's headings that open sections: those at the shallowest level
    once the article's own title is left out. The first heading is the title only when it
    says so: it is the title given, or the text's first line standing above every other
    heading ("# Title" over "##" sections, or alone); a "##" or an <h2> that opens the text
    at the level of the rest is the first section, not a title to drop."""
    if not headings:
        return []
    first, rest = headings[0], headings[1:]
    if first.text == title or (first.text == first_line and all(first.level < other.level for other in rest)):
        headings = rest
    level = min((heading.level for heading in headings), default=0)
    return [heading.text for heading in headings if heading.level == level]


def find_sections(text, lines, headings, title=""):
    """Sections from numbered titles ("01" over "From Cognitive AI…", or "01 From …") and,
    failing those, from the headings the markup marked (``section_headings``). Numbers must
    run 1, 2, 3…; a title must occur once in the text (anchors and ``Section.clean`` rely on
    that)."""
    found = []
    for index, line in enumerate(lines):
        number_only = NUMBER_LINE.match(line.text)
        if number_only and index + 1 < len(lines) and len(lines[index + 1].text) <= 150:
            title_line = lines[index + 1]
            if not title_line.text.endswith("."):
                found.append((int(number_only.group(1)), title_line, index + 1))
            continue
        numbered = NUMBERED_TITLE.match(line.text)
        if numbered and not line.text.endswith((".", "。")) and len(line.text.split()) <= 16:
            section_title = numbered.group(2)
            offset = line.text.index(section_title)
            found.append((int(numbered.group(1)), Span(line.start + offset, line.end, section_title), index))
    numbers = [number for number, _, _ in found]
    if not found or numbers != list(range(1, len(found) + 1)):
        found = []
        line_by_text = {line.text: (index, line) for index, line in enumerate(lines)}
        first_line = lines[0].text if lines else ""
        for number, heading in enumerate(section_headings(headings, first_line, title), start=1):
            if heading in line_by_text:
                index, line = line_by_text[heading]
                found.append((number, line, index))
    sections = []
    for number, title_span, index in found:
        if text.count(title_span.text) != 1:
            continue
        subtitle = ""
        if (
            index + 1 < len(lines)
            and lines[index + 1].text.endswith(("?", "？"))
            and len(lines[index + 1].text) <= 200
        ):
            subtitle = lines[index + 1].text
        sections.append(
            SectionProposal(number, title_span.text, subtitle, title_span.start, lines[index].start)
        )
    return sections


# A sentence's end: a full stop or exclamation, then any closing quotes or brackets.
SENTENCE_FINAL = re.compile(r"[.!…。！][\"'”’」』)）\]]*$|[\"”」』]$")


def looks_like_headline(line):
    """Whether a first line reads as the article's title rather than its first paragraph:
    short, and not ending as a sentence or a quotation does."""
    return len(line) <= 200 and len(line.split()) <= 25 and not SENTENCE_FINAL.search(line)


def headline_from(line, limit=80):
    """A title for an article whose first line is prose: its first words, cut at a word."""
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(" ,;:") + "…"


def _inside(candidate, other):
    """Whether new entity ``candidate`` is a part of the longer new name ``other`` at the
    same place in the text."""
    return (
        other is not candidate
        and other.known is None
        and other.kind != REPORT
        and len(other.name) > len(candidate.name)
        and other.start <= candidate.start < other.end
        and re.search(rf"(?<!\w){re.escape(candidate.name)}(?!\w)", other.name) is not None
    )


def _no_progress(fraction, message):
    pass


# How often the claims pass, the longest, reports how far it is: often enough for a bar to
# move on a long transcript, rarely enough to cost nothing.
SENTENCES_PER_REPORT = 200


def extract(raw, *, known=(), published_on=None, fmt="auto", title="", progress=None):
    """Extract proposals from pasted ``raw`` input; ``known`` are ``KnownEntity`` records.
    ``progress(fraction, message)``, if given, hears how far it is (0 to 1) as it goes."""
    started = time.perf_counter()
    report = progress or _no_progress
    report(0.0, "Reading the text…")
    plain = to_plain_text(raw, fmt)
    text = plain.text
    gazetteer = known if isinstance(known, Gazetteer) else Gazetteer(list(known))
    lines = lines_of(text)
    sections = find_sections(text, lines, plain.headings, title)
    heading_texts = {heading.text for heading in plain.headings}

    # Lines that are not prose: the title, datelines, section numbers, titles and subtitles.
    skip = {section.line_start for section in sections}
    for section in sections:
        if section.subtitle:
            skip.add(text.index(section.subtitle, section.start))
    if lines and (lines[0].start in skip or NUMBER_LINE.match(lines[0].text)):
        # The text opens with its first section: it has no title line of its own.
        title = title or (sections[0].title if sections else lines[0].text)
    elif lines and (lines[0].text == title.strip() if title.strip() else looks_like_headline(lines[0].text)):
        title = title or lines[0].text
        if len(lines) > 1:  # a one-line paste is its own text, whatever its title
            skip.add(lines[0].start)
    elif lines and not title.strip():
        title = headline_from(lines[0].text)
    for line in lines:
        if DATELINE.match(line.text) or NUMBER_LINE.match(line.text) or line.text in heading_texts:
            skip.add(line.start)
    body = [line for line in lines if line.start not in skip]
    sentences = [sentence for line in body for sentence in sentences_in(text, line.start, line.end)]

    report(0.1, f"Finding quotes in {len(sentences):,} sentences…")
    proposals = []
    hits = gazetteer.find(text)
    index = SpeakerIndex(text, gazetteer, hits)

    # Quotes (and group speech, which becomes the publication's claim).
    quote_sentences = {}
    turns = find_transcript_turns(body, index)
    in_turn = bytearray(len(text) + 1)
    for turn in turns:
        in_turn[turn.start : turn.end] = b"\x01" * (turn.end - turn.start)
    candidates = turns + [
        quote for quote in find_quotes(sentences, index, text) if not any(in_turn[quote.start : quote.end])
    ]
    for quote in sorted(candidates, key=lambda q: q.start):
        if quote.group:
            continue
        proposals.append(
            Proposal(
                "quote",
                quote.start,
                quote.end,
                {
                    "text": quote.text,
                    "kind": quote.kind,
                    "speakers": [speaker.pk for speaker in quote.speakers],
                    "speaker_names": [speaker.name for speaker in quote.speakers] or [quote.speaker_name],
                },
            )
        )
        if quote.sentence is not None:
            quote_sentences[quote.sentence.start] = quote
    group_sentences = {quote.sentence.start for quote in candidates if quote.group and quote.sentence}

    # Claims, each with the figures its sentence states.
    report(0.4, "Finding claims and figures…")
    for number, sentence in enumerate(sentences, start=1):
        if number % SENTENCES_PER_REPORT == 0:
            report(0.4 + 0.4 * number / len(sentences), f"Finding claims and figures: sentence {number:,}…")
        figures = find_figures(sentence, published_on)
        quote = quote_sentences.get(sentence.start)
        if not (is_claim(sentence.text) or figures or sentence.start in group_sentences):
            continue
        kind = claim_kind(
            sentence.text, has_figures=any(f.unit in ("USD", "CNY", "EUR", "GBP", "%", "×") for f in figures)
        )
        by_speaker = quote is not None and quote.speakers and not quote.group
        statement = quote.text if by_speaker else sentence.text
        claim_start, claim_end = (quote.start, quote.end) if by_speaker else (sentence.start, sentence.end)
        proposals.append(
            Proposal(
                "claim",
                claim_start,
                claim_end,
                {
                    "statement": statement,
                    "kind": kind,
                    "attribution": "speaker" if by_speaker else "publication",
                    "speakers": [speaker.pk for speaker in quote.speakers] if by_speaker else [],
                    "group_speech": sentence.start in group_sentences,
                },
            )
        )
        claim_index = len(proposals) - 1
        labels = set()
        for figure in figures:
            label = figure.label
            while label in labels:
                label += f" ({figure.text})"
            labels.add(label)
            proposals.append(
                Proposal(
                    "figure",
                    figure.start,
                    figure.end,
                    {
                        "label": label,
                        "value": format(figure.value.normalize(), "f"),
                        "unit": figure.unit,
                        "qualifier": figure.qualifier,
                        "as_of": figure.as_of.isoformat() if figure.as_of else None,
                        "text": figure.text,
                    },
                    parent=claim_index,
                )
            )

    # Entities: known records named in the text, then new names, one proposal per name.
    report(0.8, "Finding organizations, products and reports…")
    known_hits = [hit for hit in hits if hit[2].kind not in (SPEAKER, EVENT)]
    entities = {}
    for start, end, entity in known_hits:
        key = ("known", entity.kind, entity.pk)
        if key in entities:
            entities[key].mentions += 1
        else:
            entities[key] = EntityCandidate(
                name=entity.name, kind=entity.kind, start=start, end=end, known=entity
            )
    all_known_spans = [(start, end) for start, end, _ in hits] + [
        (start, end) for start, end, _ in index.mentions
    ]
    for candidate in new_entity_candidates(text, sentences, all_known_spans):
        key = ("new", candidate.name.casefold())
        if key in entities:
            entities[key].mentions += 1
        else:
            entities[key] = candidate
    # A name that is only a part of a longer one found too ("Mila" in "Mila Research
    # Institute") is the same thing: keep the longer.
    for key, candidate in list(entities.items()):
        if candidate.known is None and candidate.kind != REPORT:
            for other in entities.values():
                if _inside(candidate, other):
                    entities.pop(key, None)
                    break
    for candidate in sorted(entities.values(), key=lambda c: c.start):
        proposals.append(
            Proposal(
                "entity",
                candidate.start,
                candidate.end,
                {
                    "name": candidate.name,
                    "entity_kind": candidate.kind,
                    "match": candidate.known.pk if candidate.known else None,
                    "mentions": candidate.mentions,
                },
            )
        )

    report(1.0, f"Found {len(proposals):,} proposals.")
    return Extraction(
        text=text,
        format=plain.format,
        title=title,
        sections=sections,
        proposals=proposals,
        seconds=time.perf_counter() - started,
    )
