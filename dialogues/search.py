"""Site search across coverage, quotes, claims and speakers (aliases included).

PostgreSQL gets ranked full-text search; SQLite, the embedded default, a case-insensitive
substring match, so the same view works on both."""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Q

from dialogues.models import Claim, Coverage, Quote, Speaker
from dialogues.models.base import search_vector

MAX_QUERY_LENGTH = 200


def _full_text(queryset, query):
    # Matching on the indexed document (``@@``) lets PostgreSQL use the GIN index; only the
    # matches are then ranked.
    vector = search_vector(*queryset.model.SEARCH_FIELDS)
    search_query = SearchQuery(query, config="english", search_type="websearch")
    return (
        queryset.annotate(document=vector)
        .filter(document=search_query)
        .annotate(rank=SearchRank(vector, search_query))
        .order_by("-rank", "pk")
    )


def _substring(queryset, query):
    condition = Q()
    for name in queryset.model.SEARCH_FIELDS:
        condition |= Q(**{f"{name}__icontains": query})
    return queryset.filter(condition).order_by("pk")


def search(query, user):
    """Results as ``(kind, queryset)`` pairs, each already limited to what ``user`` may see.

    Quotes and claims are ``card_rows()``: the caller loads their speakers with ``load_cards``."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not query:
        return []
    match = _full_text if connection.vendor == "postgresql" else _substring
    speakers = Speaker.objects.visible_to(user)
    # Names are matched as substrings everywhere: stemming does not help with names, and an
    # alias in another script (黄仁勋) must be found too.
    speaker_results = speakers.filter(
        pk__in=speakers.filter(Q(name__icontains=query) | Q(aliases__name__icontains=query)).values("pk")
    ).order_by("name")
    return [
        ("speakers", speaker_results),
        ("coverage", match(Coverage.objects.visible_to(user).teasers(), query)),
        ("quotes", match(Quote.objects.visible_to(user).card_rows(), query)),
        ("claims", match(Claim.objects.visible_to(user).card_rows(), query)),
    ]
