"""IdListQuery: SQL compiled once per number of ids answers like the queryset it came from."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from dialogues.models import Claim, ClaimFigure, Correction, Quote
from dialogues.models.compiled import IdListQuery, ids_in

pytestmark = pytest.mark.django_db


def _counting(build):
    calls = []

    def counted(ids):
        calls.append(list(ids))
        return build(ids)

    return counted, calls


def _links(ids):
    return (
        Claim.speakers.through.objects.filter(claim_id__in=ids)
        .values_list("claim_id", "speaker_id")
        .order_by("claim_id", "speaker_id")
    )


def test_rows_equal_the_querysets_for_other_ids_of_the_same_count(article):
    build, calls = _counting(_links)
    query = IdListQuery(build)
    claim_ids = list(Claim.objects.filter(coverage=article).values_list("pk", flat=True))
    first, second, longer = claim_ids[:3], claim_ids[3:6], claim_ids[6:10]
    for ids in (first, second, longer):
        assert query.rows(ids) == list(_links(ids)), ids
    assert len(calls) == 2  # once for three ids, once for four
    assert query.rows(first) != query.rows(second)
    assert query.rows([*first, first[0]]) == query.rows(first)  # repeats dropped, as by IN
    assert query.rows([]) == []


def test_instances_are_converted_as_the_orm_converts_them(article):
    quote = Quote.objects.filter(coverage=article).first()
    made_at = timezone.now() - datetime.timedelta(days=2)
    Correction.objects.create(subject=quote, note="A date fixed.", made_at=made_at)
    corrections = IdListQuery(lambda ids: Correction.objects.about_each(Quote).filter(object_id__in=ids))
    (loaded,) = corrections.instances([quote.pk])
    assert isinstance(loaded, Correction) and loaded.made_at == made_at and loaded.subject == quote

    claim_ids = list(
        Claim.objects.filter(coverage=article, figures__isnull=False).values_list("pk", flat=True)
    )
    figures = IdListQuery(lambda ids: ClaimFigure.objects.filter(claim_id__in=ids))
    loaded = figures.instances(claim_ids)
    expected = list(ClaimFigure.objects.filter(claim_id__in=claim_ids))
    assert len(loaded) == len(expected) > 0
    assert [vars(f) | {"_state": None} for f in loaded] == [vars(f) | {"_state": None} for f in expected]


def test_a_query_that_does_not_use_the_ids_is_refused(article):
    with pytest.raises(ValueError, match="does not use every id"):
        IdListQuery(lambda ids: Quote.objects.filter(pk__in=ids[:1])).rows([1, 2])


def test_ids_in_sends_postgresql_each_list_as_one_array(article):
    def links(ids):
        return (
            Claim.speakers.through.objects.filter(ids_in("claim_id", ids))
            .values_list("claim_id", "speaker_id")
            .order_by("claim_id", "speaker_id")
        )

    query = IdListQuery(links)
    claim_ids = list(Claim.objects.filter(coverage=article).values_list("pk", flat=True))
    statements = []
    for ids in (claim_ids[:3], claim_ids[3:7]):
        assert query.rows(ids) == list(_links(ids))
        _model, sql, params = query._statement([ids])
        statements.append((sql, params))
    (three_sql, three_params), (four_sql, four_params) = statements
    if connection.vendor == "postgresql":
        # One statement, prepared once, for any number of ids.
        assert three_sql == four_sql and "= ANY(" in three_sql
        assert [len(three_params), len(four_params)] == [1, 1] and three_params[0] == claim_ids[:3]
    else:
        assert "IN (%s, %s, %s)" in three_sql and len(four_params) == 4
