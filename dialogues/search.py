"""Site search across coverage, quotes, claims and speakers (aliases included).

Full-text on both databases: ranked, on PostgreSQL's stored documents (migration 0009); on
SQLite, the embedded default, through the FTS5 tables of migration 0013, which
``dialogues.search_index`` keeps (every word must match, in id order). Both stem English words,
so the same query finds the same things on either."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models.expressions import RawSQL

from dialogues.db_operations import sqlite_search_table
from dialogues.models import Claim, Coverage, Quote, Speaker
from dialogues.models.base import SEARCH_LANGUAGE, search_document

MAX_QUERY_LENGTH = 200


def _ranked(queryset, query):
    """PostgreSQL: matched (``@@``) on the stored, GIN-indexed document, and only the matches
    ranked. ``alias``, not ``annotate``: the document is matched against, never read."""
    document = search_document(queryset.model)
    search_query = SearchQuery(query, config=SEARCH_LANGUAGE, search_type="websearch")
    return (
        queryset.alias(document=document)
        .filter(document=search_query)
        .annotate(rank=SearchRank(document, search_query))
        .order_by("-rank", "pk")
    )


def _every_word(queryset, terms):
    """SQLite: the rows whose FTS5 entry holds every one of ``terms``."""
    table = sqlite_search_table(queryset.model._meta.db_table)
    matches = RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [terms])
    return queryset.filter(pk__in=matches).order_by("pk")


def _fts5_terms(query):
    """Each word as a quoted FTS5 string (\\w+ holds no quote to escape): user input is never
    read as FTS5 query syntax. Empty when the query holds no word."""
    return " ".join(f'"{word}"' for word in re.findall(r"\w+", query))


def matching(queryset, query):
    """``queryset``'s full-text matches for ``query``, best first; None if it holds no word."""
    if connection.vendor == "postgresql":
        return _ranked(queryset, query)
    terms = _fts5_terms(query)
    return _every_word(queryset, terms) if terms else None


def speakers_matching(query, *, preview):
    # Names are matched as substrings: stemming does not help with names, and an alias in
    # another script (黄仁勋) must be found too. The page prints a speaker's name and link only.
    return (
        Speaker.objects.visible_when(preview=preview)
        .name_contains(query)
        .only("slug", "name")
        .order_by("name")
    )


def coverage_matching(query, *, preview):
    return matching(Coverage.objects.visible_when(preview=preview).only("slug", "title", "dek"), query)


def quotes_matching(query, *, preview):
    return matching(Quote.objects.visible_when(preview=preview).card_rows(), query)


def claims_matching(query, *, preview):
    return matching(Claim.objects.visible_when(preview=preview).card_rows(), query)


KINDS = {
    "speakers": speakers_matching,
    "coverage": coverage_matching,
    "quotes": quotes_matching,
    "claims": claims_matching,
}


def search(query, *, preview, now, start, stop):
    """Each kind's matches from ``start`` to ``stop``, best first, as ``{kind: [instances]}``,
    for a reader who may or may not see drafts (``preview``) at ``now``; empty for no query.

    Quotes and claims are ``card_rows()``: the caller renders them with ``with_cards``, which loads what a card prints.
    ``now`` is the time of the request; visibility is judged by ``published_q()``."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not query:
        return {}
    results = {}
    for kind, matches in KINDS.items():
        found = matches(query, preview=preview)
        results[kind] = [] if found is None else list(found[start:stop])
    return results
