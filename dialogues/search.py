"""Site search across coverage, quotes, claims and speakers (aliases included).

Full-text on both databases: ranked, on PostgreSQL's GIN indexes; on SQLite, the embedded
default, through the FTS5 indexes of migration 0006 (every word must match, in id order). Both
stem English words, so the same query finds the same things on either."""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models.expressions import RawSQL

from dialogues.models import Claim, Coverage, Quote, Speaker
from dialogues.models.base import SEARCH_CONFIG, search_vector

MAX_QUERY_LENGTH = 200


def _full_text(queryset, query):
    # Matching on the indexed document (``@@``) lets PostgreSQL use the GIN index; only the
    # matches are then ranked. ``alias``, not ``annotate``: the document is matched against,
    # never read, so it is not selected. (Ranking still builds each match's vector from its full
    # text: about 1.3 ms for the article, most of the search page's database time.)
    vector = search_vector(*queryset.model.SEARCH_FIELDS, config=SEARCH_CONFIG)
    search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
    return (
        queryset.alias(document=vector)
        .filter(document=search_query)
        .annotate(rank=SearchRank(vector, search_query))
        .order_by("-rank", "pk")
    )


def _sqlite_full_text(queryset, query):
    # Each word as a quoted FTS5 string (\w+ holds no quote to escape): user input is never
    # read as FTS5 query syntax.
    words = re.findall(r"\w+", query)
    if not words:
        return queryset.none()
    index = f"{queryset.model._meta.db_table}_fts"
    matches = RawSQL(
        f'SELECT rowid FROM "{index}" WHERE "{index}" MATCH %s', [" ".join(f'"{w}"' for w in words)]
    )
    return queryset.filter(pk__in=matches).order_by("pk")


def search(query, user):
    """Results as ``(kind, queryset)`` pairs, each already limited to what ``user`` may see.

    Quotes and claims are ``card_rows()``: the caller loads their speakers with ``load_cards``."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not query:
        return []
    match = _full_text if connection.vendor == "postgresql" else _sqlite_full_text
    speakers = Speaker.objects.visible_to(user)
    # Names are matched as substrings everywhere: stemming does not help with names, and an
    # alias in another script (黄仁勋) must be found too.
    # The names first, visibility for the few that match: checked the other way round, every
    # speaker's visibility was worked out before a single name was compared.
    speaker_results = speakers.name_contains(query).order_by("name")
    return [
        ("speakers", speaker_results),
        ("coverage", match(Coverage.objects.visible_to(user).teasers(), query)),
        ("quotes", match(Quote.objects.visible_to(user).card_rows(), query)),
        ("claims", match(Claim.objects.visible_to(user).card_rows(), query)),
    ]
