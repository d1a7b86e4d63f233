"""The article fixtures: they load anywhere, load idempotently, pass model validation, and say
what the article says."""

import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from dialogues.models import (
    Affiliation,
    Claim,
    Coverage,
    Dialogue,
    Event,
    EvidenceSource,
    FactSource,
    Organization,
    Product,
    Quote,
    Speaker,
)

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_22478d979e53901e.txt"


def content_models():
    return [
        m for m in apps.get_app_config("dialogues").get_models() if not m.__name__.startswith("Historical")
    ]


def dump():
    out = io.StringIO()
    call_command("dumpdata", "dialogues", natural_foreign=True, natural_primary=True, stdout=out, indent=0)
    return out.getvalue()


def test_every_loaded_object_passes_model_validation(article):
    checked = 0
    for model in content_models():
        for obj in model.objects.all():
            obj.full_clean()
            checked += 1
    assert checked > 90


def test_loading_twice_changes_nothing(article):
    before = dump()
    counts = {m: m.objects.count() for m in content_models()}
    call_command("loaddata", "chain_expo_2025", verbosity=0)
    assert {m: m.objects.count() for m in content_models()} == counts
    assert dump() == before


def test_source_text_is_the_article_verbatim(article):
    if SEED.exists():  # shared/ sits beside the clone on our machines and in CI
        assert article.source_text == SEED.read_text(encoding="utf-8")
    assert article.source_text.startswith(
        "Huang Renxun and Wang Jian's Dialogue: Three Overlooked Key Insights"
    )
    assert article.source_text.endswith("Thank you.")


def test_every_quote_and_claim_anchors_inside_its_section(article):
    for item in [*Quote.objects.all(), *Claim.objects.all()]:
        start, end = item.anchor_span()
        assert article.source_text[start:end] == item.anchor_exact
        if item.section:
            section_start, section_end = item.section.span()
            assert section_start <= start < end <= section_end, item.slug


def test_sections_are_the_articles_three(article):
    assert [str(s) for s in article.sections.all()] == [
        "01 From Cognitive AI to Physical AI",
        '02 Three Key Propositions: "Open Source," "Bioengineering," "AI and Humans"',
        "03 NVIDIA and Alibaba Cloud's Next Decade: Where Are the Layouts and Breakthroughs?",
    ]


def test_dialogue_has_both_speakers_at_the_chain_expo(article):
    dialogue = article.dialogue
    assert dialogue.event.short_name == "Chain Expo"
    assert dialogue.format == "fireside_chat"
    assert dialogue.duration_minutes == 30
    assert sorted(p.speaker.name for p in dialogue.participants.all()) == ["Huang Renxun", "Wang Jian"]


def test_speakers_names_titles_and_aliases(article):
    huang = Speaker.objects.get(slug="huang-renxun")
    assert {"Jensen Huang", "黄仁勋"} <= {a.name for a in huang.aliases.all()}
    assert huang.title_on(article.dialogue.held_on) == "founder and CEO, NVIDIA"
    wang = Speaker.objects.get(slug="wang-jian")
    # Then also Zhejiang Lab's director (not in the article: sourced, see the fact sources).
    assert set(wang.title_on(article.dialogue.held_on).split("; ")) == {
        "founder, Alibaba Cloud",
        "director, Zhejiang Lab",
    }
    assert "王坚" in {a.name for a in wang.aliases.all()}


def test_quotes_are_attributed_as_the_article_attributes_them(article):
    def quotes_of(*slugs):
        return {
            q.slug for q in Quote.objects.all() if sorted(s.slug for s in q.speakers.all()) == sorted(slugs)
        }

    assert quotes_of("huang-renxun") == {
        "huang-next-wave-physical-ai",
        "huang-ai-companion-birth-to-old-age",
        "huang-ai-digital-partner",
    }
    # The article gives Wang Jian no statement of his own; it attributes these to both men.
    assert quotes_of("wang-jian") == set()
    assert quotes_of("huang-renxun", "wang-jian") == {
        "both-importance-of-open-source",
        "both-bioengineering-keyword",
        "both-crucial-issues-for-ai",
    }
    assert not Quote.objects.filter(kind=Quote.Kind.VERBATIM).exists()


def test_the_articles_own_analysis_is_the_publications_not_a_speakers(article):
    publication = Claim.objects.by_publication()
    assert publication.count() == Claim.objects.count() - 2
    assert not publication.filter(speakers__isnull=False).exists()
    speaker_claims = Claim.objects.exclude(attribution=Claim.Attribution.PUBLICATION)
    assert {c.slug for c in speaker_claims} == {"physical-ai-is-the-next-wave", "ai-lifelong-companion"}
    assert all(list(c.speakers.values_list("slug", flat=True)) == ["huang-renxun"] for c in speaker_claims)
    assert Claim.objects.get(slug="open-source-is-a-means").attribution == "publication"


def test_figures_carry_units_dates_and_their_evidence(article):
    coreweave = Claim.objects.get(slug="coreweave-market-value-tripled")
    figures = {f.unit: f for f in coreweave.figures.all()}
    assert figures["USD"].value == 73_000_000_000
    assert figures["USD"].qualifier == "nearly"
    assert str(figures["USD"].as_of) == "2025-07-23"
    assert figures["×"].value == 3
    assistants = Claim.objects.get(slug="native-assistants-considerable-share")
    report = EvidenceSource.objects.get(slug="questmobile-2025-ai-application-report")
    assert list(assistants.evidence.all()) == [report]
    assert report.publisher.name == "QuestMobile"
    assert {p.name for p in assistants.products_mentioned.all()} == {"Xiao Yi", "Xiao Bu", "Xiao V"}


def test_checked_claims_have_date_and_evidence(article):
    for claim in Claim.objects.filter(status__in=["supported", "refuted"]):
        assert claim.checked_on and claim.evidence.exists() and claim.check_note


def test_predictions_have_resolve_by_and_criteria(article):
    predictions = Claim.objects.predictions()
    assert predictions.count() >= 10
    for claim in predictions:
        assert claim.resolve_by and claim.resolution_criteria and claim.outcome == "open"


def test_every_named_organization_and_product_is_there(article):
    text = article.source_text
    names = {
        "NVIDIA": "nvidia",
        "Alibaba Cloud": "alibaba-cloud",
        "Sony": "sony",
        "ADI": "analog-devices",
        "Harmonic Drive": "harmonic-drive",
        "Nabtesco": "nabtesco",
        "Mila": "mila",
        "Apple": "apple",
        "CoreWeave": "coreweave",
        "QuestMobile": "questmobile",
    }
    for name, slug in names.items():
        assert name in text
        assert Organization.objects.filter(slug=slug).exists(), name
    for product in ["CUDA", "NVLink Fusion", "La-Proteina", "Xiao Yi", "Xiao Bu", "Xiao V"]:
        assert product in text
        assert Product.objects.filter(name=product).exists(), product
    assert (
        Claim.objects.get(slug="sensor-and-reducer-makers-move-to-core").organizations_mentioned.count() == 4
    )


def test_commentary_covers_every_section(article):
    sections_with_commentary = set(article.commentaries.values_list("section__number", flat=True))
    assert sections_with_commentary == {None, 1, 2, 3}
    assert all(c.claims.exists() for c in article.commentaries.all())


def test_article_is_published_and_translated(article):
    assert Coverage.objects.published().get() == article
    assert article.translated_from == "zh"
    assert article.copyright_notice.startswith("Solemnly declare")


def test_the_dialogue_was_on_the_expos_second_day(article):
    dialogue = article.dialogue
    assert str(dialogue.held_on) == "2025-07-17"
    assert (dialogue.held_on - dialogue.event.starts_on).days == 1


# Facts the article does not state: (model, natural key, field). Each needs its source.
FACTS_FROM_ELSEWHERE = [
    (Dialogue, ("huang-renxun-wang-jian-chain-expo-2025",), "held_on"),
    (Event, ("chain-expo-2025",), "starts_on"),
    (Event, ("chain-expo-2025",), "ends_on"),
    (Event, ("chain-expo-2025",), "city"),
    (Event, ("chain-expo-2025",), "edition"),
    (Event, ("chain-expo-2025",), "organizer"),
    (Speaker, ("huang-renxun",), "wikidata_id"),
    (Affiliation, ("huang-renxun", "nvidia", "founder and CEO"), "valid_from"),
    (Affiliation, ("wang-jian", "alibaba-cloud", "founder"), "valid_from"),
    (Affiliation, ("wang-jian", "zhejiang-lab", "director"), "title"),
    (Product, ("xiao-yi",), "maker"),
    (Product, ("xiao-bu",), "maker"),
    (Product, ("xiao-v",), "maker"),
    (EvidenceSource, ("nvidia-nvlink-fusion-computex-2025",), "published_on"),
    (Claim, ("nvlink-fusion-opened-ecosystem",), "check_note"),
]


@pytest.mark.parametrize(("model", "key", "fact"), FACTS_FROM_ELSEWHERE)
def test_each_fact_not_in_the_article_carries_its_source(article, model, key, fact):
    subject = model.objects.get_by_natural_key(*key)
    source = subject.fact_sources.get(fact=fact)
    assert source.url.startswith("https://") and source.title and source.accessed_on
    # None of these is stated by the article, so none is confirmed until an Editor checks it.
    assert not source.is_confirmed
    source.full_clean()


def test_fact_sources_load_by_natural_key_into_any_database(article):
    assert FactSource.objects.count() == len(FACTS_FROM_ELSEWHERE)
    for source in FactSource.objects.all():
        assert FactSource.objects.get_by_natural_key(*source.natural_key()) == source
