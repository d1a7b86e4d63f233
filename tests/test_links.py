"""load_cards: the links it fills read like prefetch_related's, and cannot run a query by mistake."""

from unittest import mock

import pytest
from django.db.models.fields.related_descriptors import ManyToManyDescriptor, ReverseManyToOneDescriptor

from dialogues.models import Claim, Quote, Speaker, load_cards, loaded
from dialogues.models.people import AFFILIATIONS

pytestmark = pytest.mark.django_db


def test_loaded_links_equal_prefetch_related(article, django_assert_num_queries):
    quotes, claims = load_cards(
        Quote.objects.filter(coverage=article).card_rows(),
        Claim.objects.filter(coverage=article).card_rows(),
        topics=True,
    )
    expected = {
        (type(item), item.pk): ([s.pk for s in item.speakers.all()], [t.pk for t in item.topics.all()])
        for item in [
            *Quote.objects.filter(coverage=article).prefetch_related("speakers", "topics"),
            *Claim.objects.filter(coverage=article).prefetch_related("speakers", "topics"),
        ]
    }
    assert len(quotes) + len(claims) == len(expected) > 20
    with django_assert_num_queries(0):
        loaded = {
            (type(item), item.pk): ([s.pk for s in item.speakers.all()], [t.pk for t in item.topics.all()])
            for item in quotes + claims
        }
        first = quotes[0].speakers.all()
        assert len(first) == first.count() == len(list(first)) and first.exists()
        assert first[0] == list(first)[0]
    assert loaded == expected
    assert any(len(speakers) > 1 for speakers, _ in loaded.values())


def test_loaded_links_refuse_a_new_query(article):
    (quote,), _ = load_cards(Quote.objects.filter(coverage=article).card_rows()[:1], [])
    # Unlike prefetch_related's holder, this one has no filter to its quote: a new query from it
    # would read every speaker.
    for run_a_query in (
        lambda: quote.speakers.filter(name__startswith="H"),
        lambda: quote.speakers.order_by("slug"),
        lambda: quote.speakers.all().values_list("name"),
    ):
        with pytest.raises(TypeError, match="read-only"):
            run_a_query()
    assert quote.speakers.all().first() == list(quote.speakers.all())[0]  # read from memory
    fresh = Quote.objects.get(pk=quote.pk)
    assert list(fresh.speakers.order_by("slug")) == sorted(quote.speakers.all(), key=lambda s: s.slug)


def test_loaded_reads_stored_links_without_building_a_related_manager(article, django_assert_num_queries):
    quotes, claims = load_cards(Quote.objects.filter(coverage=article).card_rows(), [], topics=True)
    quote = next(q for q in quotes if len(q.speakers.all()) > 1)
    speaker = quote.speakers.all()[0]
    expected = (list(quote.speakers.all()), list(quote.topics.all()), list(speaker.affiliations.all()))
    building = mock.patch.object(
        ManyToManyDescriptor, "__get__", side_effect=AssertionError("built a related manager")
    )
    building_reverse = mock.patch.object(
        ReverseManyToOneDescriptor, "__get__", side_effect=AssertionError("built a related manager")
    )
    with django_assert_num_queries(0), building, building_reverse:
        found = (
            list(loaded(quote, "speakers")),
            list(loaded(quote, "topics")),
            list(loaded(speaker, "affiliations")),
        )
    assert found == expected and expected[2]

    # Nothing stored: the related manager's query, as before.
    fresh = Speaker.objects.get(pk=speaker.pk)
    with django_assert_num_queries(1):
        assert list(loaded(fresh, "affiliations")) == expected[2]


def test_titles_are_loaded_for_speakers_of_quotes_not_for_claimants_alone(article):
    """A quote card prints its speakers' titles; a claim card only names its claimants."""
    claimant = Speaker.objects.create(slug="claimant-only", name="Claimant Only")
    claim = Claim.objects.filter(coverage=article).first()
    claim.speakers.add(claimant)
    quotes, claims = load_cards(
        Quote.objects.filter(coverage=article).card_rows(),
        Claim.objects.filter(coverage=article).card_rows(),
    )
    quote_speakers = {speaker for quote in quotes for speaker in loaded(quote, "speakers")}
    claimants = {speaker for claim in claims for speaker in loaded(claim, "speakers")}
    assert claimant in claimants and claimant not in quote_speakers and quote_speakers
    assert all("affiliations" in speaker._prefetched_objects_cache for speaker in quote_speakers)
    (loaded_claimant,) = [speaker for speaker in claimants if speaker == claimant]
    assert "affiliations" not in getattr(loaded_claimant, "_prefetched_objects_cache", {})


def test_claims_evidence_and_speakers_titles_read_as_prefetch_related_reads_them(
    article, django_assert_num_queries
):
    quote_rows = list(Quote.objects.filter(coverage=article).card_rows())
    claim_rows = list(Claim.objects.filter(coverage=article).card_rows())
    with django_assert_num_queries(4):  # the links in one UNION, the speakers, the evidence, titles
        quotes, claims = load_cards(quote_rows, claim_rows)
    with django_assert_num_queries(0):
        evidence = {claim.pk: [source.pk for source in loaded(claim, "evidence")] for claim in claims}
        titles = {
            speaker.pk: [(a.title, a.organization.name) for a in loaded(speaker, "affiliations")]
            for quote in quotes
            for speaker in loaded(quote, "speakers")
        }
    expected_evidence = {
        claim.pk: [source.pk for source in claim.evidence.all()]
        for claim in Claim.objects.filter(coverage=article).prefetch_related("evidence")
    }
    expected_titles = {
        speaker.pk: [(a.title, a.organization.name) for a in speaker.affiliations.all()]
        for speaker in Speaker.objects.filter(pk__in=titles).prefetch_related(AFFILIATIONS)
    }
    assert evidence == expected_evidence and any(evidence.values())
    assert titles == expected_titles and any(titles.values())
    assert not any("evidence" in quote._prefetched_objects_cache for quote in quotes)
