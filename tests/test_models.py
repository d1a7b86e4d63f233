import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from freezegun import freeze_time

from dialogues.models import Claim, ClaimFigure, Commentary, Coverage, Dialogue, Quote, Speaker
from tests import factories

pytestmark = pytest.mark.django_db


def test_str_of_each_model(coverage, two_speakers):
    ada, _ = two_speakers
    quote = factories.QuoteFactory(coverage=coverage, speakers=[ada])
    claim = factories.ClaimFactory(coverage=coverage)
    figure = ClaimFigure.objects.create(
        claim=claim, label="Revenue", value=5_000_000_000, unit="USD", qualifier="about"
    )
    affiliation = factories.AffiliationFactory(speaker=ada, title="founder")
    assert str(ada) == "Ada Speaker"
    assert str(coverage) == "A Test Article"
    assert str(coverage.sections.get(number=1)) == "01 First Section"
    assert str(quote) == "The future is open."  # Django's messages add “…”
    assert str(claim) == "Figure: Revenue grew to US$5 billion."
    assert str(figure) == "Revenue: about US$5 billion"
    assert str(affiliation) == f"Ada Speaker: founder, {affiliation.organization.name}"
    assert str(coverage.dialogue.event) == f"{coverage.dialogue.event.name} (2025)"


def test_absolute_urls_use_slugs(coverage):
    assert coverage.get_absolute_url() == f"/coverage/{coverage.slug}/"
    assert coverage.sections.get(number=2).get_absolute_url() == f"/coverage/{coverage.slug}/#section-2"


def test_wikidata_id_is_validated():
    speaker = Speaker(name="X", slug="x", wikidata_id="305177")
    with pytest.raises(ValidationError) as error:
        speaker.full_clean()
    assert "wikidata_id" in error.value.message_dict


def test_wikidata_id_format_is_a_database_constraint():
    with pytest.raises(IntegrityError), transaction.atomic():
        Speaker.objects.create(name="X", slug="x", wikidata_id="Qabc")


def test_control_characters_are_rejected(coverage, two_speakers):
    quote = factories.QuoteFactory.build(
        coverage=coverage, dialogue=coverage.dialogue, text="bad\x08text", slug="bad"
    )
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert "U+0008" in error.value.message_dict["text"][0]


def test_quote_anchor_must_occur_in_source_text(coverage):
    quote = factories.QuoteFactory.build(
        coverage=coverage, dialogue=coverage.dialogue, anchor_exact="never said"
    )
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert "does not occur" in error.value.message_dict["anchor_exact"][0]


def test_ambiguous_anchor_needs_context(coverage):
    quote = factories.QuoteFactory.build(
        coverage=coverage, dialogue=coverage.dialogue, anchor_exact="the future is"
    )
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert "occurs 2 times" in error.value.message_dict["anchor_exact"][0]
    quote.anchor_suffix = " closed"
    quote.full_clean()


def test_anchor_must_lie_in_its_section(coverage):
    quote = factories.QuoteFactory.build(
        coverage=coverage, dialogue=coverage.dialogue, section=coverage.sections.get(number=2)
    )
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert "not in section" in error.value.message_dict["section"][0]


def test_quote_speakers_must_take_part_in_the_dialogue(coverage, two_speakers):
    outsider = factories.SpeakerFactory(name="Outsider")
    quote = factories.QuoteFactory(coverage=coverage)
    quote.clean_speakers(list(two_speakers))
    with pytest.raises(ValidationError, match="Outsider"):
        quote.clean_speakers([outsider])
    with pytest.raises(ValidationError, match="at least one speaker"):
        quote.clean_speakers([])


def test_quote_dialogue_must_match_its_coverage(coverage):
    other = factories.DialogueFactory()
    quote = factories.QuoteFactory.build(coverage=coverage, dialogue=other)
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert "dialogue" in error.value.message_dict


def test_checked_verdict_needs_date_in_clean_and_in_database(coverage):
    claim = factories.ClaimFactory.build(
        coverage=coverage, dialogue=coverage.dialogue, status=Claim.Status.SUPPORTED
    )
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "checked_on" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save()


def test_supported_claim_needs_evidence(coverage):
    claim = factories.ClaimFactory(
        coverage=coverage, status=Claim.Status.SUPPORTED, checked_on=datetime.date(2025, 8, 1)
    )
    with pytest.raises(ValidationError) as error:
        claim.clean_related(speakers=[], evidence=[])
    assert "evidence" in error.value.message_dict


def test_claim_attribution_rules(coverage, two_speakers):
    by_speaker = factories.ClaimFactory(coverage=coverage, attribution=Claim.Attribution.SPEAKER)
    with pytest.raises(ValidationError, match="Name the speaker"):
        by_speaker.clean_related(speakers=[], evidence=[])
    by_publication = factories.ClaimFactory(coverage=coverage)
    with pytest.raises(ValidationError, match="no speakers"):
        by_publication.clean_related(speakers=[two_speakers[0]], evidence=[])


def test_only_predictions_have_outcomes(coverage):
    claim = factories.ClaimFactory.build(
        coverage=coverage, dialogue=coverage.dialogue, resolve_by=datetime.date(2030, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        claim.full_clean()
    assert "resolve_by" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save()


def test_prediction_starts_open(coverage):
    claim = factories.ClaimFactory(
        coverage=coverage, kind=Claim.Kind.PREDICTION, resolve_by=datetime.date(2030, 1, 1)
    )
    assert claim.outcome == Claim.Outcome.OPEN


def test_figure_needs_a_unit(coverage):
    claim = factories.ClaimFactory(coverage=coverage)
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFigure.objects.create(claim=claim, label="Revenue", value=5, unit="")


def test_published_coverage_needs_publish_time(db):
    coverage = factories.CoverageFactory.build(dialogue=factories.DialogueFactory(), publish_at=None)
    with pytest.raises(ValidationError) as error:
        coverage.full_clean()
    assert "publish_at" in error.value.message_dict


def test_affiliation_range_is_ordered(two_speakers):
    affiliation = factories.AffiliationFactory.build(
        speaker=two_speakers[0],
        organization=factories.OrganizationFactory(),
        valid_from=datetime.date(2020, 1, 1),
        valid_to=datetime.date(2019, 1, 1),
    )
    with pytest.raises(ValidationError, match="cannot end before"):
        affiliation.full_clean()


def test_title_on_picks_the_affiliation_held_that_day(two_speakers):
    ada, _ = two_speakers
    org = factories.OrganizationFactory(name="Acme")
    factories.AffiliationFactory(
        speaker=ada, organization=org, title="engineer", valid_to=datetime.date(2019, 12, 31)
    )
    factories.AffiliationFactory(
        speaker=ada, organization=org, title="CEO", valid_from=datetime.date(2020, 1, 1)
    )
    assert ada.title_on(datetime.date(2018, 5, 1)) == "engineer, Acme"
    assert ada.title_on(datetime.date(2025, 5, 1)) == "CEO, Acme"


@freeze_time("2026-01-01 12:00:00")
def test_published_queryset_respects_status_and_time(two_speakers):
    live = factories.CoverageFactory()
    factories.CoverageFactory(draft=True)
    factories.CoverageFactory(in_review=True)
    scheduled = factories.CoverageFactory(scheduled=True)
    assert list(Coverage.objects.published()) == [live]
    assert list(Coverage.objects.scheduled()) == [scheduled]
    with freeze_time(timezone.now() + datetime.timedelta(days=2)):
        assert set(Coverage.objects.published()) == {live, scheduled}


def test_statements_share_their_coverage_visibility(two_speakers):
    ada, _ = two_speakers
    dialogue = factories.DialogueFactory(speakers=[ada])
    live = factories.QuoteFactory(coverage=factories.CoverageFactory(dialogue=dialogue), speakers=[ada])
    factories.QuoteFactory(coverage=factories.CoverageFactory(dialogue=dialogue, draft=True), speakers=[ada])
    assert list(Quote.objects.published()) == [live]
    assert list(Quote.objects.published().by_speaker(ada)) == [live]


@freeze_time("2026-01-01 12:00:00")
@pytest.mark.parametrize("model", [Quote, Claim])
def test_published_per_row_is_published(model, two_speakers):
    """The JSON lists' per-row check of each item's coverage and the join say the same."""
    for coverage in (
        factories.CoverageFactory(),
        factories.CoverageFactory(draft=True),
        factories.CoverageFactory(in_review=True),
        factories.CoverageFactory(scheduled=True),
    ):
        factory = factories.QuoteFactory if model is Quote else factories.ClaimFactory
        factory.create_batch(2, coverage=coverage)
    published = set(model.objects.published())
    assert len(published) == 2
    assert set(model.objects.published_per_row()) == published
    assert set(model.objects.visible_per_row_when(preview=False)) == published
    assert model.objects.visible_per_row_when(preview=True).count() == 8
    with freeze_time(timezone.now() + datetime.timedelta(days=2)):
        assert set(model.objects.published_per_row()) == set(model.objects.published())
        assert len(set(model.objects.published())) == 4


def test_newest_first_sorted_orders_as_newest_first_and_drafts_by_creation(two_speakers):
    """The topic page's order (``newest_first_sorted``) is ``newest_first``'s for what readers
    see, ties broken by the newest quote; drafts, which have no publish time, by creation."""
    ada, _ = two_speakers
    dialogue = factories.DialogueFactory(speakers=[ada])
    now = timezone.now()
    older, newer, same_time = (
        factories.CoverageFactory(dialogue=dialogue, publish_at=now - datetime.timedelta(days=days))
        for days in (3, 1, 1)
    )
    quotes = [factories.QuoteFactory(coverage=c, speakers=[ada]) for c in (newer, older, same_time, newer)]
    expected = [quotes[3], quotes[2], quotes[0], quotes[1]]
    assert list(Quote.objects.published().newest_first()) == expected
    assert list(Quote.objects.published().newest_first_sorted()) == expected
    with freeze_time(now + datetime.timedelta(hours=1)):
        first_draft = factories.QuoteFactory(
            coverage=factories.CoverageFactory(dialogue=dialogue, draft=True)
        )
    with freeze_time(now - datetime.timedelta(days=2)):
        second_draft = factories.QuoteFactory(
            coverage=factories.CoverageFactory(dialogue=dialogue, draft=True)
        )
    assert list(Quote.objects.newest_first_sorted()) == [first_draft, *expected[:3], second_draft, quotes[1]]


def test_dialogues_are_published_once_through_any_published_coverage(two_speakers):
    twice = factories.DialogueFactory(speakers=two_speakers)
    factories.CoverageFactory(dialogue=twice)
    factories.CoverageFactory(dialogue=twice)
    mixed = factories.DialogueFactory(speakers=two_speakers)
    factories.CoverageFactory(dialogue=mixed, draft=True)
    factories.CoverageFactory(dialogue=mixed)
    factories.CoverageFactory(dialogue=factories.DialogueFactory(speakers=two_speakers), draft=True)
    factories.CoverageFactory(dialogue=factories.DialogueFactory(speakers=two_speakers), scheduled=True)
    assert sorted(Dialogue.objects.published().values_list("pk", flat=True)) == sorted([twice.pk, mixed.pk])


def test_speakers_only_known_through_drafts_are_not_published(two_speakers):
    ada, bo = two_speakers
    factories.CoverageFactory(dialogue=factories.DialogueFactory(speakers=[ada]))
    factories.CoverageFactory(dialogue=factories.DialogueFactory(speakers=[bo]), draft=True)
    assert list(Speaker.objects.published()) == [ada]


def test_version_increases_on_each_save(coverage):
    quote = factories.QuoteFactory(coverage=coverage)
    assert quote.version == 1
    quote.text = "Changed."
    quote.save()
    quote.refresh_from_db()
    assert quote.version == 2


def test_every_versioned_model_saves_an_edit(article):
    """The version check locks the row; ordered by a nullable relation (commentary by section)
    that lock was an outer join, which PostgreSQL refuses: editing commentary failed there."""
    from dialogues.models.base import VersionedModel

    versioned = [
        model for model in apps.get_app_config("dialogues").get_models() if issubclass(model, VersionedModel)
    ]
    assert Commentary in versioned and len(versioned) > 5
    for model in versioned:
        instance = model.objects.first()
        before = instance.version
        instance.save()
        instance.refresh_from_db()
        assert instance.version == before + 1, model


def test_natural_keys_round_trip(article):
    from django.apps import apps

    for model in apps.get_app_config("dialogues").get_models():
        if not hasattr(model, "natural_key") or model.__name__.startswith("Historical"):
            continue
        for obj in model.objects.all():
            assert model.objects.get_by_natural_key(*obj.natural_key()) == obj


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_choice_label_says_what_django_says_for_every_choice_of_every_model(language):
    """``labels.choice_label`` keeps a table per language instead of Django's per-call one: it
    must read the same as ``get_<field>_display()`` for every value, in every language."""
    from django.utils import translation

    from dialogues.labels import choice_label

    fields = [
        (model, field)
        for model in apps.get_app_config("dialogues").get_models()
        for field in model._meta.concrete_fields
        if field.choices and not field.many_to_one
    ]
    assert len(fields) >= 8
    with translation.override(language):
        for model, field in fields:
            for value, _label in field.flatchoices:
                obj = model(**{field.attname: value})
                shown = getattr(obj, f"get_{field.name}_display")()
                assert choice_label(obj, field.name) == shown, (model, field.name, value)
        # A value that is not a choice reads as itself, as Django's does.
        assert choice_label(Claim(status="bogus"), "status") == "bogus"
    if language == "zh-hans":
        with translation.override(language):
            assert choice_label(Claim(status="supported"), "status") != "Supported"
