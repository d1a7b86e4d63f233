"""Site search across coverage, quotes, claims and speakers (aliases included).

PostgreSQL gets ranked full-text search; SQLite, the embedded default, a case-insensitive
substring match, so the same view works on both."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from dialogues.models import Claim, Coverage, Quote, Speaker

MAX_QUERY_LENGTH = 200


def _full_text(queryset, query, *fields):
    vector = SearchVector(*fields, config="english")
    search_query = SearchQuery(query, config="english", search_type="websearch")
    return queryset.annotate(rank=SearchRank(vector, search_query)).filter(rank__gt=0).order_by("-rank", "pk")


def _substring(queryset, query, *fields):
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": query})
    return queryset.filter(condition).order_by("pk")


def search(query, user):
    """Results as ``(kind, queryset)`` pairs, each already limited to what ``user`` may see."""
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
        ("coverage", match(Coverage.objects.visible_to(user), query, "title", "dek", "source_text")),
        ("quotes", match(Quote.objects.visible_to(user).for_cards(), query, "text", "original_text")),
        ("claims", match(Claim.objects.visible_to(user).for_cards(), query, "statement", "check_note")),
    ]
