"""Site search across coverage, quotes, claims, commentary, speakers, topics, organizations and
products, the way readers search: by any name of a speaker, with typos.

Full-text on both databases: ranked, on PostgreSQL's stored documents (migrations 0009, 0021);
on SQLite, the embedded default, through the FTS5 tables of migrations 0013 and 0021, which
``dialogues.search_index`` keeps (every word must match, in id order). Both stem English words,
so the same query finds the same things on either.

A query that names a speaker (``speakers_named``: the published name or any alias, in any
script) also finds what is said by or about them under any of their names: their quotes and
claims, the coverage of dialogues they were on stage in, and text that names them otherwise.
A query that names an organization by its name or an alias ("英伟达") finds it and the text
that names it by any of its names ("NVIDIA"), the same way. A part of one name ("Jensen",
"黄仁") stands for the whole when it names no one exactly and nobody else shares it. A name
written among other words ("Jensen Huang open source") counts too: what it finds must then
hold the other words (``names_in``).
A topic is found by any of its names too ("开源" is Open source).
A query that finds nothing gets a ``suggestion`` from the vocabulary of indexed words, offered
only if it finds something the reader may see."""

import difflib
import hashlib
import itertools
import re
from dataclasses import dataclass
from operator import attrgetter

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, CharField, Exists, F, FloatField, OuterRef, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IContains
from markupsafe import Markup, escape

from dialogues.caching import per_generation
from dialogues.db_operations import SEARCH_TERMS_TABLE, sqlite_search_table
from dialogues.models import (
    Claim,
    Commentary,
    Coverage,
    Organization,
    OrganizationAlias,
    Product,
    Quote,
    Speaker,
    SpeakerAlias,
    Topic,
    TopicAlias,
)
from dialogues.models.base import SEARCH_LANGUAGE, search_document
from dialogues.rendering import markdown_text, reading_text
from dialogues.search_index import MIN_TERM_LENGTH, words

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class Names:
    """The speakers and organizations a query names, as ids, and every name they go by."""

    speaker_ids: tuple = ()
    names: tuple = ()
    organization_ids: tuple = ()
    # The query's other words when it names someone among them ("Jensen Huang open source":
    # "open source"), which what is found by the names must match too ("" when none is left to
    # match: "Jensen Huang quotes"); None when the query is all name.
    rest: str | None = None


def speakers_named(text, *, preview):
    """The speakers ``text`` names exactly (slug, published name or any alias, in any script and
    letter case) among those the reader may see, with all their names: "Jensen Huang" and
    "黄仁勋" are Huang Renxun. Site search and the API's ``?search=`` of quotes and claims both
    expand a query with this. Organizations named the same way come along for site search
    ("英伟达" is NVIDIA): their ids and names, in the same lookup, so it stays one per query. Who a name means changes only with an edit: looked up once per
    content generation."""
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    if not text:
        return Names()
    digest = hashlib.sha256(text.lower().encode()).hexdigest()

    def look_up():
        # Speakers and organizations in one query, their aliases in another: a UNION each.
        found = {"speaker": {}, "organization": {}}
        rows = (
            Speaker.objects.visible_when(preview=preview)
            .named(text)
            .annotate(named_kind=Value("speaker"))
            .values_list("named_kind", "pk", "name")
            .order_by()
            .union(
                Organization.objects.visible_when(preview=preview)
                .named(text)
                .annotate(named_kind=Value("organization"))
                .values_list("named_kind", "pk", "name")
                .order_by()
            )
        )
        for kind, pk, name in rows or _partly_named(text, preview=preview):
            found[kind][pk] = name
        named, organizations = found["speaker"], found["organization"]
        if not named and not organizations:
            return Names()
        return _every_name_of(named, organizations)

    return per_generation(f"dialogue-desk:search-names:{int(preview)}:{digest}", look_up)


def _every_name_of(speakers, organizations, *, rest=None):
    """``Names`` for ``{pk: name}`` of speakers and of organizations: with every alias they
    have, read in one query (a UNION)."""
    aliases = (
        SpeakerAlias.objects.filter(speaker__in=speakers)
        .values_list("name", flat=True)
        .order_by()
        .union(
            OrganizationAlias.objects.filter(organization__in=organizations)
            .values_list("name", flat=True)
            .order_by()
        )
    )
    return Names(
        tuple(sorted(speakers)),
        tuple(sorted({*speakers.values(), *organizations.values(), *aliases})),
        tuple(sorted(organizations)),
        rest,
    )


# Han, kana and hangul: scripts written without spaces, where part of a name is not a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _as_written_in_a_name(text):
    """A pattern finding ``text`` where a name writes it: as whole words, or, in a script
    without spaces, anywhere; in any letter case."""
    if _UNSPACED.search(text):
        return re.compile(re.escape(text), re.IGNORECASE)
    return re.compile(rf"(?<!\w){re.escape(text)}(?!\w)", re.IGNORECASE)


def _partly_named(text, *, preview):
    """``[(kind, pk, name)]`` for the one speaker, and the one organization, that ``text`` names
    in part: whole words of a name ("Jensen" of "Jensen Huang"), or, in Chinese, two or more
    characters of one ("黄仁" of "黄仁勋"). A part that several names share names no one. Asked
    only when no name matched exactly: one query, for both kinds and their aliases."""
    unspaced = bool(_UNSPACED.search(text))
    if len(text) < (2 if unspaced else 3):
        return []
    speakers = Speaker.objects.visible_when(preview=preview)
    organizations = Organization.objects.visible_when(preview=preview)
    rows = (
        speakers.filter(name__icontains=text)
        .annotate(named_kind=Value("speaker"), written=F("name"))
        .values_list("named_kind", "pk", "name", "written")
        .order_by()
        .union(
            SpeakerAlias.objects.filter(name__icontains=text, speaker__in=speakers)
            .annotate(named_kind=Value("speaker"), written=F("name"))
            .values_list("named_kind", "speaker", "speaker__name", "written")
            .order_by(),
            organizations.filter(name__icontains=text)
            .annotate(named_kind=Value("organization"), written=F("name"))
            .values_list("named_kind", "pk", "name", "written")
            .order_by(),
            OrganizationAlias.objects.filter(name__icontains=text, organization__in=organizations)
            .annotate(named_kind=Value("organization"), written=F("name"))
            .values_list("named_kind", "organization", "organization__name", "written")
            .order_by(),
        )
    )
    part = _as_written_in_a_name(text)
    by_kind = {}
    for kind, pk, name, written in rows:
        if part.search(written):
            by_kind.setdefault(kind, {})[pk] = name
    return [(kind, *one.popitem()) for kind, one in by_kind.items() if len(one) == 1]


# Words a reader adds to a name that ask for a kind of thing rather than for words in it
# ("Jensen Huang quotes", "黄仁勋 说"), and a possessive's ending: no part of the text to match.
ASIDE_WORDS = frozenset(
    [
        "quote",
        "quotes",
        "claim",
        "claims",
        "said",
        "says",
        "say",
        "saying",
        "on",
        "about",
        "by",
        "from",
        "of",
        "the",
        "and",
        "s",
        "引语",
        "论断",
        "说",
        "的",
    ]
)


def names_in(query, *, preview):
    """The speakers and organizations ``query`` names: the whole query (``speakers_named``), or,
    when it names no one as a whole, the names written within it, with the words left over
    (``Names.rest``): "Jensen Huang open source" is Huang Renxun and "open source"."""
    named = speakers_named(query, preview=preview)
    text = query.strip()[:MAX_QUERY_LENGTH]
    if named.names or not (" " in text or _UNSPACED.search(text)):
        return named  # one word in a spaced script holds no name but itself
    digest = hashlib.sha256(text.lower().encode()).hexdigest()
    return per_generation(
        f"dialogue-desk:search-names-within:{int(preview)}:{digest}",
        lambda: _names_within(text, preview=preview),
    )


def with_topic_names(query):
    """``query`` with each alias of a topic written in Chinese (or another script without
    spaces) replaced by the topic's name: "开源" reads "Open source", "黄仁勋 开源" reads
    "黄仁勋 Open source", so a topic's Chinese name finds what its name finds. Asked only of a
    query in such a script (a query in English costs nothing), once per content generation."""
    if not _UNSPACED.search(query):
        return query
    digest = hashlib.sha256(query.lower().encode()).hexdigest()

    def look_up():
        asked = Value(query, output_field=CharField())
        rows = TopicAlias.objects.filter(IContains(asked, F("name"))).values_list("name", "topic__name")
        text = query
        for alias, name in sorted(rows, key=lambda row: -len(row[0])):
            if _UNSPACED.search(alias):
                text = re.sub(re.escape(alias), f" {name} ", text, flags=re.IGNORECASE)
        return " ".join(text.split())

    return per_generation(f"dialogue-desk:search-topic-names:{digest}", look_up)


def _names_within(text, *, preview):
    asked = Value(text, output_field=CharField())
    speakers = Speaker.objects.visible_when(preview=preview)
    organizations = Organization.objects.visible_when(preview=preview)

    def written_in_query(queryset, kind, key, name):
        return (
            queryset.filter(IContains(asked, F("name")))
            .annotate(named_kind=Value(kind), written=F("name"))
            .values_list("named_kind", key, name, "written")
            .order_by()
        )

    rows = written_in_query(speakers, "speaker", "pk", "name").union(
        written_in_query(
            SpeakerAlias.objects.filter(speaker__in=speakers), "speaker", "speaker", "speaker__name"
        ),
        written_in_query(organizations, "organization", "pk", "name"),
        written_in_query(
            OrganizationAlias.objects.filter(organization__in=organizations),
            "organization",
            "organization",
            "organization__name",
        ),
    )
    # The longest names first, each where the query writes it as whole words (or, in Chinese,
    # anywhere), none overlapping one already taken.
    taken, found = [], {"speaker": {}, "organization": {}}
    for kind, pk, name, written in sorted(rows, key=lambda row: -len(row[3])):
        for match in _as_written_in_a_name(written).finditer(text):
            if not any(match.start() < end and start < match.end() for start, end in taken):
                taken.append(match.span())
                found[kind][pk] = name
    if not taken:
        return Names()
    left = text
    for start, end in sorted(taken, reverse=True):
        left = left[:start] + " " + left[end:]
    rest = " ".join(word for word in TERM.findall(left) if word.lower() not in ASIDE_WORDS)
    return _every_name_of(found["speaker"], found["organization"], rest=rest)


def _ranked(queryset, query, names, *, extra, rest):
    """PostgreSQL: matched (``@@``) on the stored, GIN-indexed document, and only the matches
    ranked; ``extra`` (a ``Q``: by the speakers named) matches too, and ranks first. With
    ``rest``, what a name or ``extra`` finds must match those words too.
    ``alias``, not ``annotate``: the document is matched against, never read."""
    document = search_document(queryset.model)
    search_query = SearchQuery(query, config=SEARCH_LANGUAGE, search_type="websearch")
    by_name = None
    for name in names:
        phrase = SearchQuery(name, config=SEARCH_LANGUAGE, search_type="phrase")
        by_name = phrase if by_name is None else by_name | phrase
    if rest:
        rest_query = SearchQuery(rest, config=SEARCH_LANGUAGE, search_type="websearch")
        if by_name is not None:
            search_query |= by_name & rest_query
        if extra is not None:
            extra &= Q(document=rest_query)
    elif by_name is not None:
        search_query |= by_name
    rank = SearchRank(document, search_query)
    matched = Q(document=search_query)
    if extra is not None:
        matched |= extra
        rank = rank + Case(When(extra, then=Value(1.0)), default=Value(0.0), output_field=FloatField())
    return queryset.alias(document=document).filter(matched).annotate(rank=rank).order_by("-rank", "pk")


def _every_word(queryset, terms, *, extra, rest_terms=""):
    """SQLite: the rows whose FTS5 entry matches ``terms`` (or ``extra``, and then
    ``rest_terms`` too), ranked by FTS5's ``bm25`` (lower is better), as PostgreSQL ranks its
    matches; rows ``extra`` matches (by the speakers named) rank first, as there."""
    model = queryset.model
    table = sqlite_search_table(model._meta.db_table)
    matched = Q(pk__in=RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [terms]))
    if extra is not None and rest_terms:
        extra &= Q(pk__in=RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [rest_terms]))
    # Asked only of the matched rows (a page of results), each by its rowid.
    score = RawSQL(
        f'SELECT bm25("{table}") FROM "{table}" WHERE "{table}" MATCH %s '
        f'AND rowid = "{model._meta.db_table}"."{model._meta.pk.column}"',
        [terms],
        output_field=FloatField(),
    )
    order = [F("rank").asc(nulls_last=True), "pk"]
    if extra is not None:
        matched |= extra
        order.insert(0, Case(When(extra, then=Value(0)), default=Value(1)))
    return queryset.filter(matched).annotate(rank=score).order_by(*order)


def _fts5_phrase(text):
    """``text``'s words as one quoted FTS5 phrase (\\w+ holds no quote to escape): user input is
    never read as FTS5 query syntax. Empty when it holds no word."""
    found = re.findall(r"\w+", text)
    return f'"{" ".join(found)}"' if found else ""


def _fts5_every_word(text):
    return " ".join(f'"{word}"' for word in re.findall(r"\w+", text or ""))


def _fts5_terms(query, names=(), rest=None):
    """Every word of ``query``, each a quoted string, or any of ``names`` as a phrase (with
    every word of ``rest`` as well, when given)."""
    every_word = _fts5_every_word(query)
    by_name = " OR ".join(filter(None, map(_fts5_phrase, names)))
    rest_words = _fts5_every_word(rest)
    if by_name and rest_words:
        by_name = f"({by_name}) AND ({rest_words})"
    alternatives = [f"({every_word})" if every_word else "", f"({by_name})" if by_name else ""]
    return " OR ".join(alternative for alternative in alternatives if alternative)


def matching(queryset, query, names=(), *, extra=None, rest=None):
    """``queryset``'s full-text matches for ``query`` or any of ``names`` (and the rows ``extra``
    matches), best first; None if there is nothing to match. With ``rest`` (the query's words
    besides the names), what a name or ``extra`` finds must hold those words too."""
    if connection.vendor == "postgresql":
        return _ranked(queryset, query, names, extra=extra, rest=rest)
    terms = _fts5_terms(query, names, rest)
    if not terms:
        return None if extra is None else queryset.filter(extra).order_by("pk")
    return _every_word(queryset, terms, extra=extra, rest_terms=_fts5_every_word(rest))


def _name_contains(field, query, names):
    """Rows whose ``field`` contains the query or any of ``names``, in any letter case."""
    condition = Q()
    for text in (query, *names):
        condition |= Q(**{f"{field}__icontains": text})
    return condition


def speakers_matching(query, named, *, preview):
    # Names are matched as substrings: stemming does not help with names, and an alias in
    # another script (黄仁勋) must be found too. The page prints a speaker's name and link only.
    # And those the query names within it ("Jensen Huang open source").
    speakers = Speaker.objects.visible_when(preview=preview)
    found = speakers.name_contains(query)
    if named.rest is not None:
        found = speakers.filter(Q(pk__in=found.values("pk")) | Q(pk__in=named.speaker_ids))
    return found.only("slug", "name").order_by("name")


def _by_speakers(model, named, relation="speakers"):
    if not named.speaker_ids:
        return None
    return Q(pk__in=model.objects.filter(**{f"{relation}__in": named.speaker_ids}).values("pk"))


def coverage_matching(query, named, *, preview):
    # The long text is read for the passage shown: a page of ten, once per content generation.
    # Its language marks its words on a page in another one.
    return matching(
        Coverage.objects.visible_when(preview=preview).only(
            "slug", "title", "dek", "source_text", "copyright_notice", "language"
        ),
        query,
        named.names,
        extra=_by_speakers(Coverage, named, "dialogue__participants__speaker"),
        rest=named.rest,
    )


def quotes_matching(query, named, *, preview):
    queryset = Quote.objects.visible_when(preview=preview).card_rows()
    # The card prints the words; the original's words are read for the passage they matched.
    queryset = queryset.only(*queryset.card_fields, "original_text")
    return matching(queryset, query, named.names, extra=_by_speakers(Quote, named), rest=named.rest)


def claims_matching(query, named, *, preview):
    queryset = Claim.objects.visible_when(preview=preview).card_rows()
    queryset = queryset.only(*queryset.card_fields, "check_note")
    return matching(queryset, query, named.names, extra=_by_speakers(Claim, named), rest=named.rest)


def commentary_matching(query, named, *, preview):
    queryset = Commentary.objects.visible_when(preview=preview).select_related("coverage")
    queryset = queryset.only(
        "slug", "title", "body", "coverage__slug", "coverage__title", "coverage__language"
    )
    return matching(queryset, query, named.names, rest=named.rest)


def visible_topic_ids(*, preview):
    """Whether a topic has anything published is five EXISTS: 25-45 ms for one topic at bench
    scale 1 on SQLite, so which topics readers may see is worked out once per generation."""
    if preview:
        return None
    return per_generation(
        "dialogue-desk:search-visible-topics",
        lambda: list(Topic.objects.published().values_list("pk", flat=True)),
    )


def topics_matching(query, named, *, preview):
    # "Jensen Huang open source" finds the topic its other words name too. By any of a topic's
    # names ("开源" is Open source), and whether one is the query exactly (``_names``), in the
    # same query: a subquery each.
    names = (*named.names, named.rest) if named.rest else named.names
    aliases = TopicAlias.objects.filter(_name_contains("name", query, names))
    topics = (
        Topic.objects.filter(_name_contains("name", query, names) | Q(pk__in=aliases.values("topic")))
        .annotate(alias_is_query=Exists(TopicAlias.objects.filter(topic=OuterRef("pk"), name__iexact=query)))
        .order_by("name")
    )
    visible = visible_topic_ids(preview=preview)
    return topics if visible is None else topics.filter(pk__in=visible)


def organizations_matching(query, named, *, preview):
    # By any of their names, and with the organizations the speakers named work for.
    condition = _name_contains("name", query, named.names) | Q(
        pk__in=OrganizationAlias.objects.filter(name__icontains=query).values("organization")
    )
    if named.speaker_ids:
        condition |= Q(pk__in=Organization.objects.filter(people__in=named.speaker_ids).values("pk"))
    return Organization.objects.visible_when(preview=preview).filter(condition).order_by("name")


def products_matching(query, named, *, preview):
    # A product is found by its name or its maker's.
    condition = _name_contains("name", query, named.names) | _name_contains("maker__name", query, ())
    return (
        Product.objects.visible_when(preview=preview)
        .filter(condition)
        .select_related("maker")
        .order_by("name")
    )


# In the order the page shows them.
KINDS = {
    "speakers": speakers_matching,
    "coverage": coverage_matching,
    "quotes": quotes_matching,
    "claims": claims_matching,
    "commentary": commentary_matching,
    "topics": topics_matching,
    "organizations": organizations_matching,
    "products": products_matching,
}

# Where each kind's matching passage is, besides what its card or link prints, as readers
# read it: the article without its copied page's debris, commentary without its Markdown marks.
PASSAGE_TEXTS = {
    "coverage": (reading_text, attrgetter("dek")),
    "quotes": (attrgetter("original_text"),),
    "claims": (attrgetter("check_note"),),
    "commentary": (lambda commentary: markdown_text(commentary.body), attrgetter("title")),
    "topics": (attrgetter("description"),),
    "organizations": (attrgetter("description"),),
    "products": (attrgetter("description"),),
}


def search(query, *, preview, now, start, stop):
    """Each kind's matches from ``start`` to ``stop``, best first, as ``{kind: [instances]}``,
    for a reader who may or may not see drafts (``preview``) at ``now``; empty for no query.
    Each instance of a kind in ``PASSAGE_TEXTS`` has a ``passage``: the text it matched,
    escaped, the matching words marked (or None).

    Quotes and claims are ``card_rows()``: the caller renders them with ``with_cards``, which loads what a card prints.
    ``now`` is the time of the request; visibility is judged by ``published_q()``."""
    asked = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not asked:
        return {}
    query = with_topic_names(asked)
    named = names_in(query, preview=preview)
    pattern = highlighting((query, *named.names))
    results = {}
    for kind, matches in KINDS.items():
        # Topics are matched by their aliases themselves: as the reader wrote them.
        kind_query = asked if kind == "topics" else query
        found = matches(kind_query, named, preview=preview)
        results[kind] = [] if found is None else list(found[start:stop])
        for item in results[kind]:
            item.passage = _first_passage(item, PASSAGE_TEXTS.get(kind, ()), pattern)
            item.names_the_query = _names(item, kind_query, named)
        # What is named exactly as asked leads its kind ...
        results[kind].sort(key=lambda item: not item.names_the_query)
    # ... and its kind leads the page: "Physical AI" is first the topic, then what mentions it.
    return dict(sorted(results.items(), key=lambda pair: not any(i.names_the_query for i in pair[1])))


def _names(item, query, named):
    """Whether ``item`` (a speaker, topic, organization or product) is named ``query`` exactly,
    in any letter case, or by an alias (``named``: "英伟达" is NVIDIA)."""
    if isinstance(item, Speaker) and item.pk in named.speaker_ids:
        return True
    if isinstance(item, Organization) and item.pk in named.organization_ids:
        return True
    if isinstance(item, Topic) and getattr(item, "alias_is_query", False):
        return True
    name = getattr(item, "name", None) if isinstance(item, (Speaker, Topic, Organization, Product)) else None
    return name is not None and name.casefold() == query.casefold()


def match_count(query, *, preview):
    """How many matches the kind with the most has: what the last page of results is worked out
    from. A count per kind, so asked only when a reader pages past the end."""
    asked = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not asked:
        return 0
    query = with_topic_names(asked)
    named = names_in(query, preview=preview)
    found = (
        matches(asked if kind == "topics" else query, named, preview=preview)
        for kind, matches in KINDS.items()
    )
    return max((queryset.order_by().count() for queryset in found if queryset is not None), default=0)


def _first_passage(item, texts, pattern):
    for text in texts:
        found = passage(text(item), pattern)
        if found:
            return found
    return None


def _stem(word):
    # As much of a word as its English endings leave ("trains", "training" -> "trai"), so the
    # words a stemmed match found are marked too.
    return word[: max(4, len(word) - 2)] if len(word) > 4 else word


# Never marked in a passage: they would mark most of every line.
UNMARKED = frozenset({"a", "an", "and", "at", "by", "for", "in", "is", "of", "on", "or", "the", "to"})

# A term as a reader writes it: a word, or words joined by hyphens ("La-Proteina"), one term.
TERM = re.compile(r"\w+(?:[-‐‑]\w+)*")


def _term_pattern(term):
    """A term's pattern: whole, from a word boundary to a word boundary. A word longer than four
    letters may end otherwise (its stem: "zeppelin" marks "zeppelins"); a shorter one is marked
    only as itself ("la" never marks "lasting"); a hyphen may be any of the hyphens."""
    *head, last = re.split(r"[-‐‑]", term)
    stemmed = len(last) > 4
    pieces = [*map(re.escape, head), re.escape(_stem(last) if stemmed else last)]
    return "[-‐‑]".join(pieces) + (r"\w*" if stemmed else r"(?!\w)")


def highlighting(texts):
    """A pattern for the terms of ``texts`` as a reader sees them matched, or None."""
    terms = {term for text in texts for term in TERM.findall(text.lower()) if term not in UNMARKED}
    if not terms:
        return None
    # Longest first, so a hyphenated term is marked whole before any word of it could be.
    alternatives = "|".join(map(_term_pattern, sorted(terms, key=len, reverse=True)))
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


def _best_match(text, pattern, width):
    """The match whose passage (``width`` around it, as ``passage`` cuts it) holds the most
    different terms marked, the first such: "Physical AI" is shown where both words are, not
    where "AI" first is."""
    matches = list(pattern.finditer(text))
    if not matches:
        return None

    def terms_around(match):
        # The passage runs two thirds of its width past its match, less the words cut at its end.
        low, high = match.start(), match.start() + width // 2
        return len(
            {other.group().lower() for other in matches if low <= other.start() and other.end() <= high}
        )

    return max(matches, key=lambda match: (terms_around(match), -match.start()))


def passage(text, pattern, *, width=220):
    """The part of ``text`` around its best match of ``pattern`` (``_best_match``), escaped,
    every match in it marked with ``<mark>``; None if nothing in ``text`` matches."""
    if not text or pattern is None:
        return None
    text = " ".join(text.split())
    first = _best_match(text, pattern, width)
    if first is None:
        return None
    start = max(0, first.start() - width // 3)
    end = min(len(text), start + width)
    # Start and end on whole words, where there is a space to cut at.
    if start > 0:
        start = text.find(" ", start, first.start()) + 1 or start
    if end < len(text):
        space = text.rfind(" ", first.end(), end)
        end = space if space > 0 else end
    excerpt = text[start:end]
    pieces, position = [], 0
    for match in pattern.finditer(excerpt):
        pieces += [escape(excerpt[position : match.start()]), Markup("<mark>%s</mark>") % match.group()]
        position = match.end()
    pieces.append(escape(excerpt[position:]))
    return Markup("{}{}{}").format(
        "…" if start > 0 else "", Markup("").join(pieces), "…" if end < len(text) else ""
    )


def finds_anything(query, *, preview, now):
    """Whether searching ``query`` finds anything the reader may see."""
    return any(search(query, preview=preview, now=now, start=0, stop=1).values())


def _known(terms):
    table = connection.ops.quote_name(SEARCH_TERMS_TABLE)
    terms = sorted(set(terms))
    if not terms:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM {table} WHERE term IN ({', '.join(['%s'] * len(terms))})", terms)
        return {row[0] for row in cursor.fetchall()}


def _near(word):
    """Words of the vocabulary spelled like ``word``: the same first letter and about as long,
    and on PostgreSQL any that share enough trigrams (``pg_trgm``'s ``%``, through its index)."""
    table = connection.ops.quote_name(SEARCH_TERMS_TABLE)
    sql = f"SELECT term FROM {table} WHERE term >= %s AND term < %s AND length(term) BETWEEN %s AND %s"
    params = [word[0], chr(ord(word[0]) + 1), len(word) - 2, len(word) + 2]
    if connection.vendor == "postgresql":
        sql += f" UNION SELECT term FROM {table} WHERE term %% %s"
        params.append(word)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def respellings(word):
    """Likelier spellings of ``word``, best first: two known words it runs together
    ("opensource": "open source"), then known words spelled alike ("coreweeve": "coreweave")."""
    splits = [(word[:i], word[i:]) for i in range(MIN_TERM_LENGTH, len(word) - MIN_TERM_LENGTH + 1)]
    known = _known(part for pair in splits for part in pair)
    two_words = [f"{left} {right}" for left, right in splits if left in known and right in known]
    return two_words + difflib.get_close_matches(word, _near(word), n=3, cutoff=0.75)


def suggestion(query, *, preview, now, tries=3):
    """Another spelling of ``query`` that finds what the reader may see, or None: each word the
    vocabulary does not know replaced by one it does. Only suggestions that find something are
    made, so a word only in drafts is never suggested to a reader who may not see them."""
    asked = re.findall(r"\w+", query.lower())
    if not asked or len(asked) > 8:
        return None
    known = _known(words(query))
    options = [
        [word] if word in known or word not in words(word) else (respellings(word) or [word])
        for word in asked
    ]
    for spelling in itertools.islice(itertools.product(*options), tries + 1):
        text = " ".join(spelling)
        if list(spelling) != asked and finds_anything(text, preview=preview, now=now):
            return as_stored(text, preview=preview)
    return None


def as_stored(text, *, preview):
    """``text`` as the name it spells is stored ("jensen huang": "Jensen Huang"), else as it is.
    The vocabulary is lower case; the name was just looked up by ``finds_anything``, so this is
    its cached answer, not a query."""
    names = speakers_named(text, preview=preview).names
    return next((name for name in names if name.casefold() == text.casefold()), text)
