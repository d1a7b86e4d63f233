"""Many-to-many links of quotes and claims read in one query for both, not one per relation.

A page that shows quotes and claims together (the article, a speaker, search results) needs
each card's speakers and topics. Django's ``prefetch_related`` spends a query per relation and
model; the link tables all have the same shape, so a UNION of them answers in one, and the
linked rows come from what the page has already loaded (the dialogue's participants) or one
query per target model.
"""

import functools

from django.db.models import QuerySet, Value

from .compiled import IdListQuery, ids_in


@functools.cache
def _link_query(shape):
    """One UNION of ``(label, owner id, target id)`` for each ``(label, model, relation)`` of
    ``shape``, taking one list of owner ids per entry."""

    def build(*owner_ids_per_relation):
        selects = []
        for (label, model, relation), owner_ids in zip(shape, owner_ids_per_relation, strict=True):
            field = model._meta.get_field(relation)
            through = field.remote_field.through
            owner_column = field.m2m_field_name() + "_id"
            target_column = field.m2m_reverse_field_name() + "_id"
            selects.append(
                through.objects.filter(ids_in(owner_column, owner_ids))
                .annotate(link_label=Value(label))
                .values_list("link_label", owner_column, target_column)
                .order_by()
            )
        return selects[0].union(*selects[1:], all=True)

    return IdListQuery(build)


def _link_rows(relations):
    """``(label, owner id, target id)`` for every ``(label, model, relation, owner ids)``."""
    if not relations:
        return []
    shape = tuple((label, model, relation) for label, model, relation, _owner_ids in relations)
    return _link_query(shape).rows(*(owner_ids for *_shape, owner_ids in relations))


class LoadedLinks(QuerySet):
    """One item's linked rows, already loaded: iterating, ``len``, ``bool``, ``count``, ``exists``
    and indexing answer from memory, as after ``prefetch_related``.

    Unlike Django's, this holder carries no filter to the item: building the related manager and
    its filter for every card and relation was a tenth of the speaker page's time. So anything
    that would run a new query (``filter``, ``order_by``, ``values_list``...) refuses, where it
    would otherwise read the whole target table."""

    def _chain(self):
        raise TypeError(
            f"{self.model.__name__} links loaded by load_cards are read-only: "
            "to query them, fetch the item again"
        )


@functools.cache
def _no_query(model):
    """The query every ``LoadedLinks`` of ``model`` holds and never runs: it cannot be chained,
    so nothing changes it, and building a fresh one for each card and relation was a twentieth
    of a speaker page."""
    return QuerySet(model=model).query


def loaded(instance, relation):
    """``instance.<relation>.all()``, read straight from what ``prefetch_related`` or
    ``load_cards`` stored when there is one.

    Django builds a related manager on every ``instance.<relation>`` access, and building it
    costs more than reading the stored list: a speaker page built some 180 for its cards'
    speakers and topics, and one more for each speaker's titles on each quote card."""
    try:
        return instance._prefetched_objects_cache[relation]
    except (AttributeError, KeyError):
        return getattr(instance, relation).all()


def store_loaded(instance, relation, target_model, targets):
    """What ``prefetch_related`` leaves behind: ``instance.<relation>.all()`` answers from memory."""
    queryset = LoadedLinks(model=target_model, query=_no_query(target_model))
    queryset._result_cache = targets
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[relation] = queryset


def prefetch_links(items_by_model, relations, known=None):
    """Fill ``relations`` (e.g. ``{"speakers": Speaker}``) on lists of items, each relation on
    the models that have it (``evidence`` on claims only).

    ``items_by_model`` maps a model to its loaded instances; ``known`` maps a target model to
    instances already in hand by pk, so only the missing ones are fetched."""
    items_by_model = {model: items for model, items in items_by_model.items() if items}
    linked_models = {
        relation: [model for model in items_by_model if _has_relation(model, relation)]
        for relation in relations
    }
    specs = [
        (f"{model._meta.model_name}.{relation}", model, relation, [item.pk for item in items_by_model[model]])
        for relation, models in linked_models.items()
        for model in models
    ]
    rows = _link_rows(specs)
    for relation, target_model in relations.items():
        by_pk = dict((known or {}).get(target_model, {}))
        wanted = {row[2] for row in rows if row[0].endswith("." + relation)}
        missing = wanted - by_pk.keys()
        if missing:
            by_pk.update((target.pk, target) for target in _by_pk(target_model).instances(sorted(missing)))
        order = {
            pk: position for position, pk in enumerate(sorted(by_pk, key=lambda pk: _sort_key(by_pk[pk])))
        }
        for model in linked_models[relation]:
            label = f"{model._meta.model_name}.{relation}"
            linked = {}
            for row_label, owner_id, target_id in rows:
                if row_label == label and target_id in by_pk:
                    linked.setdefault(owner_id, []).append(target_id)
            for item in items_by_model[model]:
                ids = sorted(linked.get(item.pk, []), key=order.__getitem__)
                store_loaded(item, relation, target_model, [by_pk[pk] for pk in ids])


def _has_relation(model, relation):
    return any(field.name == relation for field in model._meta.many_to_many)


@functools.cache
def _by_pk(model):
    return IdListQuery(lambda pks: model.objects.filter(ids_in("pk", pks)))


def _sort_key(instance):
    """The target model's default ordering, as the ORM would have applied it."""
    return tuple(str(getattr(instance, name.lstrip("-"))) for name in instance._meta.ordering) + (
        instance.pk,
    )


def load_cards(quotes, claims, *, speakers=(), topics=False):
    """Quote and claim cards ready to render, in a fixed number of queries for both kinds.

    ``quotes`` and ``claims`` are ``card_rows()``: their speakers, claims' evidence and, with
    ``topics``, their topics come in one UNION. ``speakers`` are speakers already loaded (a
    dialogue's participants, the speaker whose page this is) and are reused, and get their
    affiliations as quote speakers do."""
    from .people import Speaker, Topic
    from .statements import Claim, EvidenceSource, Quote

    quotes, claims = list(quotes), list(claims)
    relations = {"speakers": Speaker, "evidence": EvidenceSource}
    if topics:
        relations["topics"] = Topic
    prefetch_links({Quote: quotes, Claim: claims}, relations, known={Speaker: {s.pk: s for s in speakers}})
    # Titles: a quote card prints its speakers' titles, a claim card only their names. On a
    # topic page at scale 10 most claimants are speakers no quote shares.
    titled = {speaker.pk: speaker for quote in quotes for speaker in loaded(quote, "speakers")}
    titled.update((speaker.pk, speaker) for speaker in speakers)
    without_titles = [
        speaker
        for speaker in titled.values()
        if "affiliations" not in getattr(speaker, "_prefetched_objects_cache", {})
    ]
    load_affiliations(without_titles)
    return quotes, claims


def load_affiliations(speakers):
    """Each speaker's affiliations with their organizations, as ``AFFILIATIONS`` prefetches
    them, in one compiled query."""
    from .people import Affiliation

    by_speaker = {}
    for affiliation in _affiliations_query().instances([speaker.pk for speaker in speakers]):
        by_speaker.setdefault(affiliation.speaker_id, []).append(affiliation)
    for speaker in speakers:
        store_loaded(speaker, "affiliations", Affiliation, by_speaker.get(speaker.pk, []))


@functools.cache
def _affiliations_query():
    from .people import AFFILIATIONS

    return IdListQuery(lambda speaker_ids: AFFILIATIONS.queryset.filter(ids_in("speaker_id", speaker_ids)))
