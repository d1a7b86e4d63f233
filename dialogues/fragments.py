"""Per-object caches of rendered pieces: a quote's card, a claim's API item.

A page of cards renders each card from the item's own fields and a few of its neighbours'
(its speakers' names and titles, its coverage's title, its dialogue's date). Each piece is
cached under the item's ``version``, which every save bumps, so an edit re-renders that one
card, not the site. What a card borrows from other models is covered by the *entity
generation*: any save or delete of a model that is not itself cached this way (a speaker, a
coverage, an event, a topic…) and any change to a many-to-many link starts a new one. Those
edits are rare next to edits of quotes and claims, and working out which cards each one touches
would be a second copy of every card's template.

Larger sections of a page (a speaker's quotes by topic, an article's body) are cached per
*content generation* instead (``for_readers``): the generation that already keeps the page
cache right, so they are exactly as fresh as an anonymous page.

``FRAGMENT_CACHE_ENABLED = False`` (``DIALOGUE_DESK_FRAGMENT_CACHE=0``) renders every piece
afresh: the benchmark measures pages that way too.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from dialogues.caching import per_generation
from dialogues.permissions import can_preview

ENTITY_GENERATION_KEY = "dialogue-desk:entity-generation"
# A piece unread for a day goes; an edit makes a new key anyway.
FRAGMENT_SECONDS = 24 * 60 * 60


def cached_models():
    """The models whose pieces are cached by their own version."""
    from dialogues.models import Claim, Commentary, Quote

    return (Quote, Claim, Commentary)


def new_entity_generation():
    cache.set(ENTITY_GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def entities_changed(sender=None, **kwargs):
    """Signal receiver: a model that cached pieces borrow from changed (now, and again on commit
    so a piece rendered from uncommitted data in between is dropped too)."""
    # A cached model's own history rows (simple_history) come with its edits: not an entity.
    if getattr(sender, "instance_type", sender) in cached_models():
        return
    new_entity_generation()
    transaction.on_commit(new_entity_generation)


def _key(kind, item, language, extra):
    return f"dialogue-desk:piece:{kind}:{item.pk}:{item.version}:{language}:{extra}"


def cached_pieces(kind, items, render, *, prepare=None, extra=lambda item: ""):
    """``[render(item) for item in items]``, each read from the cache where it was rendered
    before for this version of the item.

    ``kind`` names the piece and the model of its items (``quote-card``); an item need only
    have a ``pk`` and a ``version`` (an instance, or a row of ``values_list(named=True)``).

    ``prepare(missing)`` runs once on the items that must be rendered, before any is: load what
    rendering reads (``prefetch_related_objects``), so items served from the cache cost nothing
    more than their row. ``extra(item)`` adds what else the piece depends on (the page's
    footnote number, the request's host) to its key. An item ``render`` gives None for (one
    deleted since the caller listed it) is left out of the result and not cached."""
    items = list(items)
    if not items:
        return []
    if not settings.FRAGMENT_CACHE_ENABLED:
        if prepare is not None:
            prepare(items)
        return [piece for piece in map(render, items) if piece is not None]
    language = get_language()
    keys = [_key(kind, item, language, extra(item)) for item in items]
    found = cache.get_many([ENTITY_GENERATION_KEY, *keys])
    generation = found.get(ENTITY_GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(ENTITY_GENERATION_KEY, generation, timeout=None)
        generation = cache.get(ENTITY_GENERATION_KEY, generation)
    pieces = {}
    for key in keys:
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            pieces[key] = entry[1]
    missing = [(key, item) for key, item in zip(keys, items, strict=True) if key not in pieces]
    if missing:
        if prepare is not None:
            prepare([item for _key_, item in missing])
        rendered = {key: render(item) for key, item in missing}
        pieces.update(rendered)
        cache.set_many(
            {key: (generation, piece) for key, piece in rendered.items() if piece is not None},
            FRAGMENT_SECONDS,
        )
    return [pieces[key] for key in keys if pieces[key] is not None]


def for_readers(request, name, parts, compute):
    """``compute()`` for what readers see of ``name`` (a section of a page) with ``parts`` (the
    object's key, the query…), worked out once per content generation and shared by every
    reader and app server.

    Staff previews always compute afresh: a draft edit does not start a generation."""
    if not settings.FRAGMENT_CACHE_ENABLED or can_preview(request.user):
        return compute()
    described = repr((parts, request.scheme, request.get_host(), get_language()))
    key = f"dialogue-desk:section:{name}:{hashlib.sha256(described.encode()).hexdigest()}"
    return per_generation(key, compute)
