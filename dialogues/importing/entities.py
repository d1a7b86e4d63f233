"""Named entities: matching the names (and aliases, in any script) of records the newsroom
already has, and proposing new organizations, products and reports from capitalised names."""

import re
from dataclasses import dataclass, field
from pathlib import Path

# Entity kinds a proposal can have; "speaker" and "event" are matched, never proposed here.
SPEAKER, ORGANIZATION, PRODUCT, REPORT, EVENT = "speaker", "organization", "product", "report", "event"


@dataclass(frozen=True)
class KnownEntity:
    """A record that already exists: ``kind``, its primary key and every name it goes by."""

    kind: str
    pk: int
    name: str
    aliases: tuple = ()

    @property
    def names(self):
        return (self.name, *self.aliases)


def name_forms(name):
    """The other names a record's name holds: "Analog Devices (ADI)" is also "Analog Devices"
    and "ADI", the way newsrooms write a name with its short form or its other script."""
    inside = [part.strip() for part in re.findall(r"[(（]([^()（）]+)[)）]", name)]
    outside = re.sub(r"\s*[(（][^()（）]*[)）]", "", name).strip()
    return tuple(form for form in (outside, *inside) if form and form != name)


def _is_cjk(text):
    return bool(re.search("[\u3040-\u9fff\uf900-\ufaff]", text))


WORD = re.compile(r"\w+")
_CJK = "\u3040-\u9fff\uf900-\ufaff"
# Latin words whole, CJK one character at a time (CJK names have no spaces around them).
TOKENS = re.compile(rf"[^\W{_CJK}]+|[{_CJK}]")


def _first_key(name):
    if _is_cjk(name[0]):
        return name[0]
    first = WORD.search(name)
    return first.group().casefold() if first else name.casefold()


@dataclass
class Gazetteer:
    """Everything the newsroom knows by name, compiled into one alternation (longest name
    first, so "NVLink Fusion" wins over "NVLink")."""

    entities: list = field(default_factory=list)

    def __post_init__(self):
        names = []
        for entity in self.entities:
            for name in entity.names:
                if name and len(name.strip()) >= 2:
                    names.append((name.strip(), entity))
        names.sort(key=lambda item: -len(item[0]))
        # Indexed by first word (or, for CJK, first character): a newsroom knows thousands of
        # names, and one alternation of them all was tried at every position of the text
        # (300 names made a 20,000-word transcript take two minutes).
        # Names are compared as strings, not regexes: compiling thousands took longer than
        # reading a transcript.
        self._by_first = {}
        for name, entity in names:
            name = " ".join(name.split())
            exact_case = len(name) <= 4 and name.upper() == name
            self._by_first.setdefault(_first_key(name), []).append(
                (name if exact_case else name.casefold(), exact_case, _is_cjk(name), entity)
            )
        # Speakers are also named by a lone family or given name ("Huang said"), when only one
        # known speaker has it.
        short = {}
        for entity in self.entities:
            if entity.kind != SPEAKER:
                continue
            for name in entity.names:
                parts = name.split()
                if len(parts) >= 2 and not _is_cjk(name):
                    for part in (parts[0], parts[-1]):
                        short.setdefault(part, set()).add(entity)
        self.short_names = {part: next(iter(found)) for part, found in short.items() if len(found) == 1}

    def find(self, text):
        """``(start, end, entity)`` for every known name in ``text`` (as a whole word in Latin
        script; anywhere in CJK, which has no spaces); where names overlap, the longest wins
        ("NVLink Fusion" over "NVLink")."""
        out, position, by_first = [], 0, self._by_first
        for token in TOKENS.finditer(text):
            start = token.start()
            candidates = by_first.get(token.group().casefold()) if start >= position else None
            for name, exact_case, cjk, entity in candidates or ():
                end = start + len(name)
                piece = text[start:end]
                if (piece if exact_case else piece.casefold()) != name:
                    continue
                if not cjk and (
                    (start and (text[start - 1].isalnum() or text[start - 1] in "_-"))
                    or (end < len(text) and (text[end].isalnum() or text[end] in "_-"))
                ):
                    continue
                out.append((start, end, entity))
                position = end
                break
        return out

    def of_kind(self, *kinds):
        return [entity for entity in self.entities if entity.kind in kinds]

    def lookup(self, name):
        folded = name.casefold()
        for entity in self.entities:
            if any(folded == candidate.casefold() for candidate in entity.names):
                return entity
        return None


# Capitalised words that are not names: sentence furniture, generic industry vocabulary and
# abbreviations, demonyms, months and days. General English and tech usage, not any one article.
NOT_NAMES = {
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
    "i", "you", "our", "their", "his", "her", "in", "on", "at", "of", "for", "from", "to", "by",
    "as", "and", "or", "but", "if", "when", "while", "since", "after", "before", "although",
    "though", "however", "moreover", "meanwhile", "yet", "so", "not", "no", "yes", "also",
    "ai", "agi", "ar", "vr", "xr", "gpu", "gpus", "cpu", "cpus", "npu", "tpu", "asic", "fpga",
    "api", "apis", "sdk", "ip", "ipo", "ceo", "cto", "cfo", "coo", "vp", "phd", "llm", "llms",
    "iaas", "paas", "saas", "iot", "ev", "evs", "5g", "6g", "hbm", "dram", "ram", "ssd", "pc",
    "pcs", "app", "apps", "os", "ui", "ux", "devops", "serverless", "cloud", "edge", "infra",
    "us", "usd", "uk", "eu", "un", "rmb", "cny", "eur", "gdp", "r&d", "ok", "tv", "faq",
    "american", "chinese", "canadian", "british", "european", "japanese", "korean", "indian",
    "german", "french", "taiwanese", "asian", "african", "english", "western", "global",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "mr", "mrs", "ms", "dr", "prof", "q&a", "note", "update", "editor",
}  # fmt: skip

ORG_SUFFIXES = {
    "inc", "corp", "corporation", "ltd", "limited", "llc", "plc", "group", "holdings", "institute",
    "university", "lab", "labs", "laboratory", "foundation", "association", "council", "agency",
    "bank", "ministry", "commission", "academy", "college", "capital", "ventures", "partners",
    "technologies", "systems", "research", "society", "company", "studio", "studios",
}  # fmt: skip
REPORT_WORDS = {"report", "survey", "index", "study", "whitepaper", "outlook", "review", "census"}
ORG_CUES = re.compile(
    r"\b(compan(?:y|ies)|vendors?|manufacturers?|makers?|firms?|startups?|suppliers?|providers?|"
    r"founder|ceo|chief|executive|investors?|rivals?|competitors?|institutes?|universit(?:y|ies)|"
    r"labs?|partners?|partnered|partnership|customers?|users choose|market value|shares|stock|revenue|ipo|acquired|"
    r"invested|signed|deal|hired|employees|headquartered)\b",
    re.IGNORECASE,
)
PRODUCT_CUES = re.compile(
    r"\b(technolog(?:y|ies)|models?|assistants?|platforms?|chips?|processors?|gpus?|software|"
    r"apps?|applications?|devices?|phones?|frameworks?|ecosystems?|launched|released|unveiled|"
    r"introduction of|introduced|version|engine|services?|architecture)\b",
    re.IGNORECASE,
)

TOKEN = r"(?:[A-Z][\w&]*(?:[-'][A-Z][\w&]*)*|[A-Z]{2,}\w*|[a-z]+[A-Z]\w*)"
# "and" does not join: "Sony and Omron" are two names far more often than one.
CANDIDATE = re.compile(rf"{TOKEN}(?:(?:\s+(?:of|for|de|&)\s+|\s+|\s+(?:19|20)\d\d\s+){TOKEN})*")


DATELINE = re.compile(
    r"^[A-Z][\w.' -]{1,40},\s+(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*)(?:,?\s+\d{4})?\s*[—–-]"
)


def _place_names(path):
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            names.update(name.strip().casefold() for name in line.split(" | "))
    return frozenset(names)


# Countries, regions and major cities, in English and Chinese (places.txt): a place is where
# a dialogue happens or what a market is, not an organization to add.
PLACES = _place_names(Path(__file__).with_name("places.txt"))
# A place the list does not hold is still one where the words around it say so: "the city of
# Boulder", "headquartered in Espoo", "an Espoo-based company", "Zhejiang Province".
PLACE_BEFORE = re.compile(
    r"\b(?:(?:city|town|village|province|capital|county|region) of|"
    r"(?:based|headquartered|located|born|held|hosted) in)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
PLACE_AFTER = re.compile(r"^-based\b")
PLACE_SUFFIXES = {"province", "prefecture", "county", "district", "municipality", "省", "市"}


def is_place(name, context_before="", context_after=""):
    """Whether the capitalised ``name`` names a place: it is a place on our list as a whole
    ("Bank of China" is not), ends in a word such as Province, or the words around it say so."""
    words = name.split()
    return (
        name.casefold() in PLACES
        or (len(words) > 1 and words[-1].casefold() in PLACE_SUFFIXES)
        or PLACE_BEFORE.search(context_before) is not None
        or PLACE_AFTER.match(context_after) is not None
    )


def is_strong(word):
    """A word that is a name wherever it stands: all capitals, a capital inside (CoreWeave,
    iPhone, NVLink) or capitals joined by a hyphen (La-Proteina)."""
    word = word.rstrip("'s").rstrip("’s")
    return bool(
        re.fullmatch(r"[A-Z]{2,}\d*", word)
        or re.search(r"[a-z][A-Z]", word)
        or re.fullmatch(r"[A-Z]\w*-[A-Z]\w*", word)
    )


def _starts_clause(before):
    """Whether a word after ``before`` starts a sentence or clause: at the start, after a
    bullet (including the "l" a bullet glyph becomes in copied text) or after a colon."""
    return bool(
        re.fullmatch(r"\s*(?:[•·▪●◦*-]|[lo])?\s*[\"“‘']?", before) or re.search(r"[:;—–]\s*[\"“‘']?$", before)
    )


def _strip_possessive(name):
    return re.sub(r"(?:'s|’s|'|’)$", "", name)


@dataclass
class EntityCandidate:
    name: str
    kind: str
    start: int
    end: int
    known: object = None  # KnownEntity when matched
    mentions: int = 1


def classify(name, context_before, context_after):
    words = name.split()
    last = words[-1].casefold().rstrip(".")
    if last in REPORT_WORDS:
        return REPORT
    if last in ORG_SUFFIXES:
        return ORGANIZATION
    before, after = context_before[-60:], context_after[:40]
    scores = {ORGANIZATION: 0.0, PRODUCT: 0.0}
    for kind, cues in ((ORGANIZATION, ORG_CUES), (PRODUCT, PRODUCT_CUES)):
        for match in cues.finditer(before):
            scores[kind] = max(scores[kind], 1 - (len(before) - match.end()) / 80)
        for match in cues.finditer(after):
            scores[kind] = max(scores[kind], 1 - match.start() / 60)
    return PRODUCT if scores[PRODUCT] > scores[ORGANIZATION] else ORGANIZATION


def new_entity_candidates(text, sentences, known_spans):
    """Capitalised names in body sentences that match no known record. A name at the start of
    a sentence counts only if it is unmistakably one (``is_strong``) or appears capitalised
    mid-sentence elsewhere; a phrase wholly inside quotation marks is a term, not a name."""
    found = []
    known = bytearray(len(text) + 1)  # positions inside a known name
    for start, end in known_spans:
        known[start:end] = b"\x01" * (end - start)
    mid_sentence_words = set()
    for sentence in sentences:
        for match in CANDIDATE.finditer(sentence.text):
            if not _starts_clause(sentence.text[: match.start()]):
                mid_sentence_words.add(_strip_possessive(match.group().split()[0]))
    for sentence in sentences:
        # A dateline ("San Francisco, November 6 —") names a place, not an organization.
        dateline = DATELINE.match(sentence.text)
        for match in CANDIDATE.finditer(sentence.text):
            if dateline and match.start() < dateline.end():
                continue
            words = [_strip_possessive(w) for w in match.group().split()]
            start = sentence.start + match.start()
            at_start = _starts_clause(sentence.text[: match.start()])
            # Peel sentence-initial words and generic words off either edge.
            while (
                words
                and (
                    words[0].casefold() in NOT_NAMES
                    or (
                        at_start
                        and not is_strong(words[0])
                        and words[0] not in mid_sentence_words
                        # "Harmonic Drive makes …": a name of several capitalised words stays whole.
                        and not (len(words) > 1 and not any(w.casefold() in NOT_NAMES for w in words[1:2]))
                    )
                    or words[0].casefold() in ("of", "for", "and", "de", "&")
                    or words[0].isdigit()
                )
            ):
                start = text.find(words[0], start) + len(words[0])
                words, at_start = words[1:], False
                while start < len(text) and text[start] in " \t":
                    start += 1
            while words and (
                words[-1].casefold() in NOT_NAMES or words[-1].casefold() in ("of", "for", "and", "de", "&")
            ):
                words = words[:-1]
            if not words:
                continue
            name = " ".join(words)
            if len(name) < 2 or (len(words) == 1 and len(name) < 3 and not name.isupper()):
                continue
            start = text.find(words[0], start)
            end = start + len(name)
            if text[start:end] != name:
                end = text.find(words[-1], start) + len(words[-1])
            if any(known[start:end]) or is_place(
                name, text[max(sentence.start, start - 40) : start], text[end : end + 8]
            ):
                continue
            before, after = text[max(0, start - 2) : start], text[end : end + 2]
            if (
                re.match(r"[\"“‘']", before[-1:] or " ")
                and re.match(r"[.,!?]?[\"”’']", after or " ")
                and not any(is_strong(w) for w in words)
            ):
                continue
            # Cues count within the sentence only: the next sentence is about something else.
            kind = classify(
                name, text[max(sentence.start, start - 80) : start], text[end : min(sentence.end, end + 60)]
            )
            found.append(EntityCandidate(name=name, kind=kind, start=start, end=end))
            if kind == REPORT and is_strong(words[0]) and len(words) > 1:
                # A report is named after its publisher ("QuestMobile 2025 AI Application Report").
                found.append(
                    EntityCandidate(name=words[0], kind=ORGANIZATION, start=start, end=start + len(words[0]))
                )
    return found
