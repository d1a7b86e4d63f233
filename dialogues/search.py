"""Site search across coverage, quotes, claims and speakers (aliases included).

Full-text on both databases: ranked, on PostgreSQL's stored documents (migration 0009); on
SQLite, the embedded default, through the FTS5 indexes of migration 0006 (every word must match,
in id order). Both stem English words, so the same query finds the same things on either.

Each kind's query is compiled once per page (``CompiledQuery``) and re-run with each search's
words: building and compiling four querysets cost more than running them."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models.expressions import RawSQL

from dialogues.db_operations import sqlite_full_text_table
from dialogues.models import Claim, Coverage, Quote, Speaker
from dialogues.models.base import SEARCH_LANGUAGE, SearchDocument
from dialogues.models.people import trigram_searchable

MAX_QUERY_LENGTH = 200
# Pages compiled per kind (each for readers who do and do not see drafts): the first ones asked
# for, in practice the first pages of results. The page number comes from the request, so the
# number must be bounded; deeper pages run as plain querysets.
COMPILED_PAGES = 16


def _full_text(queryset, text):
    # Matched (``@@``) on the stored, GIN-indexed document, and only the matches ranked.
    # ``alias``, not ``annotate``: the document is matched against, never read.
    search_query = SearchQuery(text, config=SEARCH_LANGUAGE, search_type="websearch")
    return (
        queryset.alias(document=SearchDocument())
        .filter(document=search_query)
        .annotate(rank=SearchRank(SearchDocument(), search_query))
        .order_by("-rank", "pk")
    )


def _sqlite_full_text(queryset, terms):
    index = sqlite_full_text_table(queryset.model._meta.db_table)
    matches = RawSQL(f'SELECT rowid FROM "{index}" WHERE "{index}" MATCH %s', [terms])
    return queryset.filter(pk__in=matches).order_by("pk")


def _fts5_terms(query):
    """Each word as a quoted FTS5 string (\\w+ holds no quote to escape): user input is never
    read as FTS5 query syntax. Empty when the query holds no word."""
    return " ".join(f'"{word}"' for word in re.findall(r"\w+", query))


def _matching(queryset_of):
    """The compiled full-text match of one kind: ``(preview, start, stop, text=, now=)``, where
    ``text`` is the query on PostgreSQL and its ``_fts5_terms`` on SQLite."""

    def build(preview, start, stop, *, text, now):
        match = _full_text if connection.vendor == "postgresql" else _sqlite_full_text
        return match(queryset_of(preview), text)[start:stop]

    return build


# Names are matched as substrings everywhere: stemming does not help with names, and an alias in
# another script (黄仁勋) must be found too. The page prints a speaker's name and link only.
def _speakers(preview, start, stop, by_trigrams, *, text, now):
    return (
        Speaker.objects.visible_when(preview=preview)
        .name_contains(text, by_trigrams=by_trigrams)
        .only("slug", "name")
        .order_by("name")
    )[start:stop]


_coverage = _matching(
    lambda preview: Coverage.objects.visible_when(preview=preview).only("slug", "title", "dek")
)
_quotes = _matching(lambda preview: Quote.objects.visible_when(preview=preview).card_rows())
_claims = _matching(lambda preview: Claim.objects.visible_when(preview=preview).card_rows())


def search(query, *, preview, now, start, stop):
    """Each kind's matches from ``start`` to ``stop``, best first, as ``{kind: [instances]}``,
    for a reader who may or may not see drafts (``preview``) at ``now``; empty for no query.

    Quotes and claims are ``card_rows()``: the caller loads their speakers with ``load_cards``."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not query:
        return {}
    page = (preview, start, stop)
    # Only SQLite's name match depends on it: elsewhere one shape serves every query.
    by_trigrams = connection.vendor == "sqlite" and trigram_searchable(query)
    results = {"speakers": _speakers(*page, by_trigrams, text=query, now=now)}
    text = query if connection.vendor == "postgresql" else _fts5_terms(query)
    for kind, matching in (("coverage", _coverage), ("quotes", _quotes), ("claims", _claims)):
        results[kind] = matching(*page, text=text, now=now) if text else []
    return results
