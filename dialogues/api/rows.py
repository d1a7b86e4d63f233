"""API lists of quotes and claims built from database rows rather than model instances.

A page of 50 claims through ``ClaimListSerializer`` builds some 250 model instances, a related
manager and queryset per instance and relation, and asks every field of every item for its value:
about 20 ms of Python for well under 1 ms of SQL. Lists are what API clients read most, so for
JSON lists we read the same data as plain rows (one query for the page, one UNION for every
many-to-many link, one for the few corrections or figures) and lay it out exactly as the
serializer would. The serializers stay the one definition of the format: detail views, writes,
CSV and the browsable API use them, and ``tests/api/test_rows.py`` checks that every list built
here equals the serializer's output, item for item and key for key.
"""

import functools
from operator import attrgetter

from django.db.models import F, Value

from dialogues.api.serializers import (
    ClaimListSerializer,
    CorrectionSerializer,
    FigureSerializer,
    QuoteSerializer,
)
from dialogues.models import Claim, ClaimFigure, Correction, Quote
from dialogues.models.base import slug_paths
from dialogues.models.compiled import IdListQuery, ids_in

# Columns read for every statement (quote or claim), then each kind's own.
STATEMENT_COLUMNS = (
    "pk",
    "slug",
    "dialogue__slug",
    "coverage__slug",
    "section__number",
    "anchor_exact",
    "anchor_prefix",
    "anchor_suffix",
    "version",
)
QUOTE_COLUMNS = ("text", "kind", "original_text", "original_language", "is_featured")
CLAIM_COLUMNS = (
    "statement",
    "kind",
    "attribution",
    "status",
    "checked_on",
    "check_note",
    "resolve_by",
    "resolution_criteria",
    "outcome",
)


def _slug_url(request, viewname):
    """``slug -> absolute URL`` of a slug-routed view, as ``HyperlinkedIdentityField`` builds it."""
    origin = request.build_absolute_uri("/")[:-1]
    path = slug_paths(viewname)
    return lambda slug: origin + path(slug)


@functools.cache
def _links_query(model, relations):
    """``(relation, owner id, position, target id, slug, name)`` rows for many-to-many
    ``relations`` of ``model``, in one UNION query, each list in the target model's own order
    (ordered by the database, so its collation decides exactly as it does for
    ``prefetch_related``)."""

    def build(owner_ids):
        selects = []
        for relation in relations:
            field = model._meta.get_field(relation)
            target = field.related_model
            through = field.remote_field.through
            owner, linked = field.m2m_field_name(), field.m2m_reverse_field_name()
            (order_by,) = target._meta.ordering
            selects.append(
                through.objects.filter(ids_in(f"{owner}_id", owner_ids))
                .annotate(
                    link=Value(relation),
                    owner=F(f"{owner}_id"),
                    position=F(f"{linked}__{order_by}"),
                    target=F(f"{linked}_id"),
                    target_slug=F(f"{linked}__slug"),
                    target_name=F(f"{linked}__name") if relation == "speakers" else Value(""),
                )
                .values_list("link", "owner", "position", "target", "target_slug", "target_name")
                .order_by()
            )
        return selects[0].union(*selects[1:], all=True).order_by("link", "owner", "position", "target")

    return IdListQuery(build)


def _links(model, relations, owner_ids):
    """``{relation: {owner id: [(slug, name), ...]}}`` for many-to-many ``relations`` of ``model``."""
    links = {relation: {} for relation in relations}
    for relation, owner_id, _position, _target, slug, name in _links_query(model, relations).rows(owner_ids):
        links[relation].setdefault(owner_id, []).append((slug, name))
    return links


def _statement(row, links, urls):
    """The values quotes and claims share, keyed by serializer field name."""
    speakers = links["speakers"].get(row["pk"], ())
    return {
        "url": urls["api"](row["slug"]),
        "html_url": urls["html"](row["slug"]),
        "slug": row["slug"],
        "speakers": [slug for slug, _name in speakers],
        "speaker_names": [{"slug": slug, "name": name} for slug, name in speakers],
        "dialogue": row["dialogue__slug"],
        "coverage": row["coverage__slug"],
        "section": row["section__number"],
        "anchor": {
            "type": "TextQuoteSelector",
            "exact": row["anchor_exact"],
            "prefix": row["anchor_prefix"],
            "suffix": row["anchor_suffix"],
        },
        "topics": [slug for slug, _name in links["topics"].get(row["pk"], ())],
        "version": row["version"],
    }


def _grouped(serializer_class, instances, owner_id):
    """``{owner id: [representation, ...]}``, serializing all ``instances`` at once."""
    grouped = {}
    for instance, data in zip(instances, serializer_class(instances, many=True).data, strict=True):
        grouped.setdefault(owner_id(instance), []).append(data)
    return grouped


@functools.cache
def _readable(serializer_class):
    """The serializer's output fields, in its order."""
    return [name for name, field in serializer_class().fields.items() if not field.write_only]


def _iso(day):
    return day.isoformat() if day is not None else None


def _lay_out(request, rows, *, model, serializer_class, relations, embedded, own_values):
    """``serializer_class(many=True).data`` for a page of rows of ``model``.

    ``embedded`` is ``(field, serializer, IdListQuery of these pks, owner id)``: the one list of
    small objects each item carries (a quote's corrections, a claim's figures), serialized by
    its own serializer. ``own_values(row, links)`` gives the fields only this kind has."""
    pks = [row["pk"] for row in rows]
    links = _links(model, relations, pks)
    field, embedded_serializer, query, owner_id = embedded
    embedded_by_owner = _grouped(embedded_serializer, query.instances(pks), owner_id)
    kind = model._meta.model_name
    urls = {
        "api": _slug_url(request, f"v1:{kind}-detail"),
        "html": _slug_url(request, f"dialogues:{kind}-detail"),
    }
    fields = _readable(serializer_class)
    items = []
    for row in rows:
        values = _statement(row, links, urls)
        values.update(own_values(row, links), **{field: embedded_by_owner.get(row["pk"], [])})
        items.append({name: values[name] for name in fields})
    return items


QUOTE_CORRECTIONS = IdListQuery(
    lambda pks: Correction.objects.about_each(Quote).filter(ids_in("object_id", pks))
)
CLAIM_FIGURES = IdListQuery(lambda pks: ClaimFigure.objects.filter(ids_in("claim_id", pks)))


def quote_list(request, rows):
    """``QuoteSerializer(many=True).data`` for a page of rows (``values(*QUOTE_ROW)``)."""
    return _lay_out(
        request,
        rows,
        model=Quote,
        serializer_class=QuoteSerializer,
        relations=("speakers", "topics"),
        embedded=(
            "corrections",
            CorrectionSerializer,
            QUOTE_CORRECTIONS,
            attrgetter("object_id"),
        ),
        own_values=lambda row, links: {name: row[name] for name in QUOTE_COLUMNS},
    )


def claim_list(request, rows):
    """``ClaimListSerializer(many=True).data`` for a page of rows (``values(*CLAIM_ROW)``)."""
    return _lay_out(
        request,
        rows,
        model=Claim,
        serializer_class=ClaimListSerializer,
        relations=("speakers", "topics", "evidence"),
        embedded=(
            "figures",
            FigureSerializer,
            CLAIM_FIGURES,
            attrgetter("claim_id"),
        ),
        own_values=lambda row, links: {
            **{name: row[name] for name in CLAIM_COLUMNS},
            "checked_on": _iso(row["checked_on"]),
            "resolve_by": _iso(row["resolve_by"]),
            "evidence": [slug for slug, _name in links["evidence"].get(row["pk"], ())],
        },
    )


QUOTE_ROW = STATEMENT_COLUMNS + QUOTE_COLUMNS
CLAIM_ROW = STATEMENT_COLUMNS + CLAIM_COLUMNS
