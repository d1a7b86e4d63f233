"""Quotes: words in quotation marks (English “…” ‘…’ "…" and Chinese 「…」『…』“…”) credited to a
speaker by a speech verb, and reported speech ("X said / believes / pointed out that …",
"As X said, …", "According to X, …", "X presented a judgment: …"). "He said" is credited to
the last speaker named before it; speech credited to a group ("both leaders", "X and Y both")
becomes the publication's claim, not a quote (POLICY: a quote is what a speaker said)."""

import bisect
import re
from dataclasses import dataclass, field

SPEECH_VERBS = (
    "said", "says", "say", "told", "tells", "added", "adds", "noted", "notes", "explained",
    "explains", "stated", "states", "stressed", "stresses", "emphasized", "emphasised",
    "emphasizes", "emphasises", "argued", "argues", "believes", "believed", "thinks", "thought",
    "pointed out", "points out", "remarked", "remarks", "observed", "observes", "claimed",
    "claims", "insisted", "insists", "predicted", "predicts", "warned", "warns", "suggested",
    "suggests", "recalled", "recalls", "acknowledged", "acknowledges", "admitted", "admits",
    "declared", "declares", "described", "describes", "depicted", "depicts", "presented",
    "presents", "asked", "asks", "replied", "replies", "answered", "answers", "joked", "jokes",
    "quipped", "quips", "concluded", "concludes", "continued", "continues", "proposed",
    "proposes", "envisioned", "envisions", "revealed", "reveals", "shared", "shares",
    "mentioned", "mentions", "put it", "puts it", "expressed", "expresses", "urged", "urges",
    "summed up", "sums up", "countered", "counters", "recounted", "described", "forecast",
    "forecasts", "estimated", "estimates", "announced", "announces", "wrote", "writes",
)  # fmt: skip
CHINESE_SPEECH = r"说道|说|表示|指出|认为|称|强调|提到|坦言|直言|透露|介绍|回应|谈到|预测"
VERB = (
    r"(?:"
    + "|".join(
        sorted((re.escape(v).replace(r"\ ", r"\s+") for v in set(SPEECH_VERBS)), key=len, reverse=True)
    )
    + r")"
)
ADVERBS = r"(?:\s+(?:\w+ly|also|both|then|once|later|again|further))*"
PRONOUNS = r"(?:he|she|He|She|他|她)(?:还|也|则|又|更|随后|接着)?"
GROUP = re.compile(
    r"\b(?:both(?:\s+\w+){0,2}|the\s+two(?:\s+\w+)?|the\s+pair|the\s+panel(?:ists)?|they|all\s+(?:three|four|the\s+\w+))\b|两人|二人|双方|他们",
    re.I,
)
QUOTE_PAIRS = {'"': '"', "“": "”", "「": "」", "『": "』", "‘": "’"}
# British style quotes in single marks: an apostrophe (’ before a letter: "don’t") does not
# close them.
QUOTED = re.compile(
    r'"([^"\n]{2,}?)"|“([^”\n]{2,}?)”|「([^」\n]{2,}?)」|『([^』\n]{2,}?)』'
    r"|‘((?:[^‘’\n]|’(?=\w)){2,}?)’(?!\w)"
)


@dataclass
class QuoteCandidate:
    start: int
    end: int
    text: str  # the words credited (the quoted or reported content)
    kind: str  # verbatim / paraphrase / reported
    speakers: list = field(default_factory=list)  # KnownEntity speakers
    speaker_name: str = ""  # as the text names them; for a speaker not on record
    group: bool = False  # credited to a group: becomes the publication's claim
    sentence: object = None


def _words(text):
    return len(re.findall(r"\w+", text)) + sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") // 2


class SpeakerIndex:
    """Where each known speaker is named, so "he" finds the last one named before it."""

    def __init__(self, text, gazetteer, hits):
        """``hits``: ``gazetteer.find(text)``, which the caller shares with entity matching."""
        from .entities import SPEAKER

        self.gazetteer = gazetteer
        mentions = [(start, end, entity) for start, end, entity in hits if entity.kind == SPEAKER]
        named = bytearray(len(text) + 1)  # positions inside a full name already found
        for start, end, _ in mentions:
            named[start:end] = b"\x01" * (end - start)
        for short, entity in gazetteer.short_names.items():
            for match in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
                if not named[match.start()]:
                    mentions.append((match.start(), match.end(), entity))
        mentions.sort(key=lambda item: item[0])
        self.mentions = mentions
        self.starts = [m[0] for m in mentions]

    def in_span(self, start, end):
        first, last = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return self.mentions[first:last]

    def last_before(self, position):
        index = bisect.bisect_left(self.starts, position) - 1
        return self.mentions[index][2] if index >= 0 else None


PERSON_NAME = r"(?:[A-Z][a-z]+(?:[-\s][A-Z][a-z]+){1,2})"
SUBJECT_SPLIT = re.compile(r"[,;:—–]\s*(?=[^,;:—–]*$)")
PRONOUN_END = re.compile(rf"(?:^|\s){PRONOUNS}\s*$")
PRONOUN_ONLY = re.compile(rf"\s*{PRONOUNS}{ADVERBS}\s*")
PERSON_END = re.compile(rf"({PERSON_NAME}){ADVERBS}\s*$")
LEAD_VERB = re.compile(rf"(?P<verb>{VERB}|{CHINESE_SPEECH})\s*(?:that\s*)?[:：,，]?\s*$")
GROUP_VERB = re.compile(rf"(?P<verb>{VERB}|pointed to|agreed|discussed|talked about)")
TAIL = re.compile(
    rf"\s*[,，]?\s*(?:(?P<verb1>{VERB})\s+(?P<who>[^,.;]+?)|(?P<who2>[^,.;\"“]+?){ADVERBS}\s+(?P<verb2>{VERB}))\b"
)
# Reported speech, tried in this order; compiled once (the verb alternation is long).
REPORTED = [
    (re.compile(pattern), kind)
    for pattern, kind in [
        (
            rf"^(?:As|Just as|as)\s+(?P<who>[^,]{{2,60}}?)\s+(?:{VERB}|has\s+{VERB}|once\s+{VERB})\s*,",
            "reported",
        ),
        (r"^According to\s+(?P<who>[^,]{2,60}?)\s*,", "reported"),
        (
            rf"(?P<verb>{VERB}){ADVERBS}(?:\s+(?:a|an|the|his|her|their|this)(?:\s+[\w-]+){{0,3}})\s*[:：]",
            "paraphrase",
        ),
        (rf"(?P<verb>{VERB}){ADVERBS}\s+that\b", "reported"),
        (rf"(?P<verb>{CHINESE_SPEECH})\s*[:：,，]", "reported"),
        (rf"(?P<verb>{VERB})\s*[:：]", "paraphrase"),
    ]
]


def _subject_before(sentence_text, verb_start, index, sentence_start):
    """Who the words before a speech verb name: ``(speakers, name, group)``."""
    before = sentence_text[:verb_start]
    subject = SUBJECT_SPLIT.split(before)[-1]
    absolute = sentence_start + (verb_start - len(subject))
    named = index.in_span(absolute, sentence_start + verb_start)
    speakers = list(dict.fromkeys(entity for _, _, entity in named))
    group = bool(GROUP.search(subject)) or len(speakers) > 1
    if speakers:
        return speakers, "", group
    if PRONOUN_END.search(subject.strip() + " ") or PRONOUN_ONLY.fullmatch(subject):
        last = index.last_before(absolute)
        return ([last] if last else []), "", False
    if group:
        return [], subject.strip(), True
    # "Huang, for his part, predicted …": the subject stands before an aside.
    earlier = list(
        dict.fromkeys(entity for _, _, entity in index.in_span(sentence_start, sentence_start + verb_start))
    )
    if len(earlier) == 1 and not re.search(r"[.;:]", before):
        return earlier, "", False
    person = PERSON_END.search(subject)
    if person and not index.gazetteer.lookup(person.group(1)):
        return [], person.group(1), False
    return [], "", False


def find_quotes(sentences, index, text):
    """Quote candidates in body sentences, in text order."""
    out = []
    for sentence in sentences:
        found = _in_sentence(sentence, index)
        for candidate in found:
            candidate.sentence = sentence
        out.extend(found)
    return out


def _content(sentence, start, end, kind, **credit):
    raw = sentence.text[start:end]
    lead = len(raw) - len(raw.lstrip(" ,:：，\"“「'"))
    raw = raw[lead:].rstrip()
    trail = raw.rstrip(" ,;，")
    if _words(trail) < 3:
        return None
    absolute = sentence.start + start + lead
    return QuoteCandidate(start=absolute, end=absolute + len(trail), text=trail, kind=kind, **credit)


def _credit(speakers, name, group):
    return {"speakers": speakers, "speaker_name": name, "group": group}


def _in_sentence(sentence, index):
    text = sentence.text
    # 1. Words in quotation marks next to a speech verb and a speaker.
    quoted = []
    for match in QUOTED.finditer(text):
        inner_start = match.start() + 1
        words = next(group for group in match.groups() if group is not None)
        if _words(words) < 4:
            continue  # a term in scare quotes, not speech
        after, before = text[match.end() : match.end() + 60], text[: match.start()]
        credit = None
        tail = TAIL.match(after)
        if tail and tail.group("who"):
            who_start = match.end() + tail.start("who")
            named = index.in_span(sentence.start + who_start, sentence.start + tail.end("who"))
            if named:
                credit = _credit([named[0][2]], "", False)
            elif re.fullmatch(PRONOUNS, tail.group("who").strip()):
                last = index.last_before(sentence.start + match.start())
                credit = _credit([last] if last else [], "", False)
        elif tail and tail.group("who2"):
            speakers, name, group = _subject_before(
                text, match.end() + tail.start("verb2"), index, sentence.start
            )
            if speakers or name:
                credit = _credit(speakers, name, group)
        if credit is None:
            lead = LEAD_VERB.search(before)
            colon = re.search(r"[:：]\s*$", before)
            anchor = lead.start("verb") if lead else (colon.start() if colon else None)
            if anchor is not None:
                speakers, name, group = _subject_before(text, anchor, index, sentence.start)
                if speakers or name or group:
                    credit = _credit(speakers, name, group)
        if credit is not None:
            candidate = _content(sentence, inner_start, inner_start + len(words), "verbatim", **credit)
            if candidate:
                quoted.append(candidate)
    if quoted:
        return quoted
    # 2. Reported speech.
    for pattern, kind in REPORTED:
        match = pattern.search(text)
        if not match:
            continue
        if "who" in match.groupdict() and match.group("who"):
            who_start = sentence.start + match.start("who")
            named = index.in_span(who_start, sentence.start + match.end("who"))
            who = match.group("who").strip()
            if named:
                speakers = list(dict.fromkeys(entity for _, _, entity in named))
                credit = _credit(speakers, "", len(speakers) > 1 or bool(GROUP.search(who)))
            elif re.fullmatch(PRONOUNS, who):
                last = index.last_before(who_start)
                credit = _credit([last] if last else [], "", False)
            elif re.fullmatch(PERSON_NAME, who) and not index.gazetteer.lookup(who):
                credit = _credit([], who, False)
            else:
                continue
        else:
            speakers, name, group = _subject_before(text, match.start("verb"), index, sentence.start)
            if not (speakers or name or group):
                continue
            credit = _credit(speakers, name, group)
        if credit["group"]:
            candidate = QuoteCandidate(start=sentence.start, end=sentence.end, text=text, kind=kind, **credit)
            return [candidate]
        candidate = _content(sentence, match.end(), len(text), kind, **credit)
        if candidate:
            return [candidate]
    # 3. Group speech without a reporting clause ("X and Y both mentioned the importance of …").
    group_verb = GROUP_VERB.search(text)
    if group_verb:
        speakers, name, group = _subject_before(text, group_verb.start("verb"), index, sentence.start)
        if group and (speakers or GROUP.search(text[: group_verb.start()])):
            return [
                QuoteCandidate(
                    start=sentence.start,
                    end=sentence.end,
                    text=text,
                    kind="reported",
                    **_credit(speakers, name, True),
                )
            ]
    return []


def find_transcript_turns(lines, index):
    """Transcript turns: a line "NAME: words" where NAME is a known speaker (any script)."""
    out = []
    for line in lines:
        match = re.match(r"^(?P<who>[^:：]{2,40})[:：]\s*(?P<words>\S.*)$", line.text)
        if not match:
            continue
        who = match.group("who").strip()
        entity = index.gazetteer.lookup(who) or index.gazetteer.lookup(who.title())
        if entity is None and who in index.gazetteer.short_names:
            entity = index.gazetteer.short_names[who]
        if entity is None or entity.kind != "speaker" or _words(match.group("words")) < 3:
            continue
        start = line.start + match.start("words")
        out.append(
            QuoteCandidate(
                start=start, end=line.end, text=match.group("words"), kind="verbatim", speakers=[entity]
            )
        )
    return out
