"""IdListQuery and CompiledQuery: SQL compiled once per shape answers like the queryset it came from."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from dialogues.models import Claim, ClaimFigure, Correction, Quote, Speaker
from dialogues.models.compiled import CompiledQuery, IdListQuery, ids_in
from tests import factories

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


# --- CompiledQuery ---------------------------------------------------------------------------


def _latest_quotes(preview, *, speaker, now):
    return (
        Quote.objects.visible_when(preview=preview)
        .by_speaker(speaker)
        .card_rows()
        .annotate(speaker_count=Count("speakers", distinct=True))
        .prefetch_related("topics")
        .order_by("-coverage__publish_at", "-pk")
    )


def test_compiled_query_answers_as_its_queryset_for_any_values(article, django_assert_num_queries):
    build, calls = _counting_kw(_latest_quotes)
    query = CompiledQuery(build)
    now = timezone.now()
    for slug in ("huang-renxun", "wang-jian", "huang-renxun"):
        speaker = Speaker.objects.get(slug=slug)
        expected = list(_latest_quotes(False, speaker=speaker.pk, now=now))
        with django_assert_num_queries(2):  # the rows, then the prefetched topics
            compiled = query(False, speaker=speaker.pk, now=now)
        assert [q.pk for q in compiled] == [q.pk for q in expected] != []
        for mine, theirs in zip(compiled, expected, strict=True):
            assert (mine.text, mine.speaker_count) == (theirs.text, theirs.speaker_count)
            with django_assert_num_queries(0):  # joined rows and prefetches are in place
                assert mine.coverage.title == theirs.coverage.title
                assert mine.dialogue.held_on == theirs.dialogue.held_on
                assert mine.dialogue.event.display_name == theirs.dialogue.event.display_name
                assert [t.slug for t in mine.topics.all()] == [t.slug for t in theirs.topics.all()]
    assert len(calls) == 1
    query(True, speaker=speaker.pk, now=now)
    assert len(calls) == 2  # a reader who sees drafts is another shape


def test_published_is_judged_at_each_runs_now(coverage, two_speakers):
    ada = two_speakers[0]
    scheduled = factories.CoverageFactory(dialogue=coverage.dialogue, scheduled=True)
    factories.QuoteFactory(coverage=scheduled, speakers=[ada], slug="later-words")
    factories.QuoteFactory(coverage=coverage, speakers=[ada], slug="earlier-words")
    build, calls = _counting_kw(_latest_quotes)
    query = CompiledQuery(build)
    now = timezone.now()
    assert [q.slug for q in query(False, speaker=ada.pk, now=now)] == ["earlier-words"]
    later = scheduled.publish_at + datetime.timedelta(seconds=1)
    assert [q.slug for q in query(False, speaker=ada.pk, now=later)] == ["later-words", "earlier-words"]
    assert len(calls) == 1
    assert len(query(True, speaker=ada.pk, now=now)) == 2  # staff see it before it is out


def test_compiled_query_refuses_what_it_cannot_re_run(coverage, two_speakers):
    ada = two_speakers[0].pk
    query = CompiledQuery(_latest_quotes)
    query(False, speaker=ada, now=timezone.now())
    with pytest.raises(TypeError):
        query(False, speaker=None, now=timezone.now())  # None is no id
    with pytest.raises(TypeError):
        query(False, speaker=ada)
    unused = CompiledQuery(lambda *, speaker, slug: Quote.objects.filter(speakers=speaker))
    with pytest.raises(ValueError, match="slug"):
        unused(speaker=ada, slug="ada")
    # "Published" with no time to judge it at would freeze the first run's time into the SQL.
    timeless = CompiledQuery(lambda *, speaker: Quote.objects.published().filter(speakers=speaker))
    with pytest.raises(TypeError, match="now="):
        timeless(speaker=ada)


def _counting_kw(build):
    calls = []

    def counted(*shape, **values):
        calls.append((shape, values))
        return build(*shape, **values)

    return counted, calls


def test_a_contains_pattern_is_filled_with_each_runs_text_escaped(two_speakers):
    ada, grace = two_speakers
    factories.SpeakerFactory(name="Per_cent 100% Sure")
    named = CompiledQuery(lambda *, text: Speaker.objects.filter(name__icontains=text).order_by("name"))
    for text in (ada.name[1:4].upper(), grace.name[-3:], "_cent 100%", "%", "_", "\\"):
        expected = [s.pk for s in Speaker.objects.filter(name__icontains=text).order_by("name")]
        assert [s.pk for s in named(text=text)] == expected, text
    # LIKE's wildcards in the text are text: "%" finds only the name that holds one, and "o_S"
    # is not "Bo Speaker".
    assert [s.name for s in named(text="%")] == ["Per_cent 100% Sure"]
    assert named(text="o_S") == []


def test_beyond_most_shapes_a_shape_runs_as_its_queryset(coverage, two_speakers):
    build, calls = _counting_kw(
        lambda start, stop, *, now: Speaker.objects.published().order_by("name")[start:stop]
    )
    query = CompiledQuery(build, most_shapes=2)
    now = timezone.now()
    for shape in ((0, 1), (1, 2), (0, 1), (1, 2), (0, 2), (0, 2)):
        expected = [s.pk for s in Speaker.objects.published().order_by("name")[slice(*shape)]]
        assert [s.pk for s in query(*shape, now=now)] == expected != []
    # (0, 1) and (1, 2) compiled once each, then re-run; (0, 2) built as a queryset every time.
    assert [shape for shape, _values in calls] == [(0, 1), (1, 2), (0, 2), (0, 2)]
    assert list(query._compiled) == [(0, 1), (1, 2)]
    # Built for its values: "published" is judged at the run's now, not a stand-in's.
    assert query(0, 2, now=now - datetime.timedelta(days=3650)) == []


def _fields(instance):
    """What an instance holds of its row (and annotations), without its state and prefetches."""
    return {name: value for name, value in instance.__dict__.items() if not name.startswith("_")}


def test_instances_are_made_as_from_db_makes_them(article, django_assert_num_queries):
    speaker = Speaker.objects.get(slug="huang-renxun")
    compiled = CompiledQuery(_latest_quotes)(False, speaker=speaker.pk, now=timezone.now())
    expected = list(_latest_quotes(False, speaker=speaker.pk, now=timezone.now()))
    for mine, theirs in zip(compiled, expected, strict=True):
        assert _fields(mine) == _fields(theirs)  # the same values, the same fields deferred
        assert mine.get_deferred_fields() == theirs.get_deferred_fields() != set()
        assert (
            (mine._state.db, mine._state.adding)
            == (theirs._state.db, theirs._state.adding)
            == ("default", False)
        )
        for related in ("coverage", "dialogue"):
            assert _fields(getattr(mine, related)) == _fields(getattr(theirs, related))
        with django_assert_num_queries(2):  # a deferred field loads as it would, one query each
            assert mine.original_text == theirs.original_text
    mine.text = "Changed."
    mine.save(update_fields=["text"])
    assert Quote.objects.get(pk=mine.pk).text == "Changed."


def test_a_model_with_init_receivers_is_made_by_its_init(article):
    from django.db.models.signals import post_init

    from dialogues.models.compiled import _instance_maker

    made = []

    def receiver(sender, instance, **kwargs):
        made.append(instance)

    assert _instance_maker(Speaker) is not Speaker.from_db
    post_init.connect(receiver, sender=Speaker)
    try:
        assert _instance_maker(Speaker) == Speaker.from_db
        named = CompiledQuery(lambda *, slug: Speaker.objects.filter(slug=slug))
        (speaker,) = named(slug="huang-renxun")
        assert made == [speaker]
    finally:
        post_init.disconnect(receiver, sender=Speaker)


def test_values_rows_equal_the_querysets_dates_converted(article):
    def build(*, after, now):
        return (
            Claim.objects.published()
            .filter(resolve_by__gte=after)
            .order_by("pk")
            .values("pk", "slug", "resolve_by", "checked_on", "coverage__publish_at")
        )

    query = CompiledQuery(build)
    now = timezone.now()
    for after in (datetime.date(2020, 1, 1), datetime.date(2031, 1, 1), datetime.date(2099, 1, 1)):
        expected = list(build(after=after, now=now))
        assert query(after=after, now=now) == expected, after
        assert all(isinstance(row["resolve_by"], datetime.date) for row in expected)
    assert query(after=datetime.date(2020, 1, 1), now=now) != query(after=datetime.date(2031, 1, 1), now=now)
    assert len(query._compiled) == 1
