"""The article fixtures: they load anywhere, load idempotently, pass model validation, and say
what the article says."""

import io
import re
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
from dialogues.rendering import PAGE_DATE_AND_VIEWS

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
    # The article gives Wang Jian no statement of his own, and what it says of both men is its
    # own narration: a claim by the publication (below), not speech.
    assert quotes_of("wang-jian") == set()
    assert quotes_of("huang-renxun", "wang-jian") == set()
    assert not Quote.objects.filter(kind=Quote.Kind.VERBATIM).exists()


def test_the_articles_own_analysis_is_the_publications_not_a_speakers(article):
    publication = Claim.objects.by_publication()
    assert publication.count() == Claim.objects.count() - 2
    assert not publication.filter(speakers__isnull=False).exists()
    for slug in [
        "both-crucial-issues-for-ai",
        "both-importance-of-open-source",
        "both-bioengineering-keyword",
    ]:
        narration = Claim.objects.get(slug=slug)
        assert narration.attribution == "publication" and not narration.speakers.exists()
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
    # The other numbers the article gives: the dialogue's length and NVLink Fusion's age.
    (length,) = Claim.objects.get(slug="dialogue-lasted-nearly-half-an-hour").figures.all()
    assert (length.value, length.unit, length.qualifier, length.as_of) == (30, "minutes", "nearly", None)
    (age,) = Claim.objects.get(slug="nvlink-fusion-opened-ecosystem").figures.all()
    assert (age.value, age.unit, str(age.as_of)) == (2, "months", "2025-07-23")
    assistants = Claim.objects.get(slug="native-assistants-considerable-share")
    report = EvidenceSource.objects.get(slug="questmobile-2025-ai-application-report")
    assert list(assistants.evidence.all()) == [report]
    assert report.publisher.name == "QuestMobile"
    assert {p.name for p in assistants.products_mentioned.all()} == {"Xiao Yi", "Xiao Bu", "Xiao V"}


def test_checked_claims_have_date_and_evidence(article):
    for claim in Claim.objects.filter(status__in=["supported", "refuted"]):
        assert claim.checked_on and claim.evidence.exists() and claim.check_note


def test_no_check_is_dated_before_the_sources_it_rests_on_were_read(article):
    """A check note's sources were read for the check: on its day or before, never after."""
    checked = {claim.pk: claim for claim in Claim.objects.exclude(checked_on=None)}
    sources = FactSource.objects.filter(content_type__model="claim", object_id__in=checked)
    assert sources.exists()
    for source in sources:
        claim = checked[source.object_id]
        assert source.accessed_on <= claim.checked_on, (claim.slug, source.fact)


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


NARRATION = ("both leaders", "both mentioned", "keyword repeatedly mentioned", "both men")


def test_no_quote_is_narration_credited_to_both_speakers(article):
    for quote in Quote.objects.prefetch_related("speakers"):
        text = f"{quote.text} {quote.anchor_exact}".lower()
        assert not any(phrase in text for phrase in NARRATION), quote.slug
        assert quote.speakers.count() == 1 or not quote.is_featured, quote.slug
    assert not Quote.objects.filter(slug__startswith="both-").exists()


@pytest.mark.parametrize(
    ("slug", "anchor"),
    [
        (
            "did-not-discuss-products-or-competition",
            "did not directly discuss products or commercial competition",
        ),
        ("robots-and-autonomous-driving-are-physical-ai", "humanoid robots and autonomous driving"),
        ("coreweave-growth-tracks-nvidia", "synchronizing with the heat of NVIDIA itself"),
        ("humans-ran-through-the-dialogue", "runs through the entirety of the dialogue"),
        ("phone-assistants-used-infrequently", "usage frequency"),
        ("dialogue-lasted-nearly-half-an-hour", "lasting nearly half an hour"),
        ("physical-ai-versus-generative-ai", 'centered on "instruction-reasoning,"'),
        ("physical-ai-shifts-training-logic", "shift in the training logic"),
        ("hardware-grows-ai-senses-and-limbs", '"six senses" and "limbs"'),
        ("iaas-becomes-utility", "a new round of adjustments"),
        ("model-evaluation-beyond-parameter-scale", "core variables for competition"),
        ("model-companies-may-reorganize", "difficult to support rapid iterations"),
        ("ai-runs-production-lines-and-products", "AI control production lines"),
        ("open-source-key-to-scenario-deployment", "controllable boundaries"),
        ("adjustable-models-make-firms-adaptable", "autonomously adjust model behavior"),
        ("rights-and-responsibilities-matter-more", "division of related rights"),
        ("open-source-clarifies-responsibilities", "developers widely participating"),
        ("digital-partner-questions-for-ai-firms", "capability boundaries of this partner"),
        ("nvidia-heavily-invested-in-coreweave", "its AI Infra strategy"),
        ("physical-ai-brings-edge-platforms", 'does not stop at "cloud."'),
        ("edge-serves-latency-critical-scenarios", "beyond the capabilities of traditional cloud"),
        ("alibaba-cloud-situation-more-complex", "much more complex"),
        ("alibaba-cloud-iaas-paas-integration", "from a resource seller into a product provider"),
    ],
)
def test_the_articles_own_assertions_are_claims_at_their_passage(article, slug, anchor):
    claim = Claim.objects.get(slug=slug)
    assert claim.attribution == "publication"
    assert anchor in claim.anchor_exact
    start, end = claim.anchor_span()
    assert article.source_text[start:end] == claim.anchor_exact


def test_hedged_passages_stay_hedged(article):
    closed_loops = Claim.objects.get(slug="ecosystem-closed-loops-decide-competition")
    assert "may lie" in closed_loops.anchor_exact and "may lie" in closed_loops.statement
    assert Claim.objects.get(slug="differentiation-may-return-to-product").kind == "opinion"
    hedged = 0
    for claim in Claim.objects.all():
        in_passage = {h.lower() for h in HEDGE.findall(claim.anchor_exact)}
        in_statement = {h.lower() for h in HEDGE.findall(claim.statement)}
        # Restating a passage keeps its hedges; a passage wider than what the claim restates
        # is an anchor to narrow, not a hedge to drop.
        assert in_passage <= in_statement, (claim.slug, in_passage - in_statement)
        # And a hedged statement is never filed as a plain fact or figure.
        if in_statement:
            hedged += 1
            assert claim.kind not in ("fact", "figure"), claim.slug
    assert hedged >= 8


HEDGE = re.compile(
    r"\b(may|might|could|potentially|possibly|perhaps|probably|likely|expected to|foreseeable)\b",
    re.IGNORECASE,
)


def article_sentences(article):
    """``(start, end, sentence)`` for each sentence of the article's own prose: not its title,
    date line, standfirst, section headings, copyright notice or the caption of its figure."""
    furniture = {
        article.title,
        article.dek,
        article.copyright_notice,
        "QuestMobile 2025 AI Application Report",
    }
    for section in article.sections.all():
        furniture |= {section.title, section.subtitle, f"{section.number:02d}"}
    for line in re.finditer(r"[^\n]+", article.source_text):
        paragraph = line.group().strip()
        if paragraph in furniture or PAGE_DATE_AND_VIEWS.fullmatch(paragraph):
            continue
        for sentence in re.finditer(r".+?(?:[.?!:][\"”]?(?=\s|$)|$)", line.group()):
            if sentence.group().strip():
                yield line.start() + sentence.start(), line.start() + sentence.end(), sentence.group().strip()


def test_every_sentence_that_asserts_something_has_a_quote_or_claim(article):
    spans = [item.anchor_span() for item in [*Quote.objects.all(), *Claim.objects.all()]]
    checked = 0
    for start, end, sentence in article_sentences(article):
        if sentence.endswith(("?", ":")):
            continue  # the article's questions, and the lead-ins to what follows them
        checked += 1
        assert any(s < end and e > start for s, e in spans), sentence
    assert checked > 70


def test_each_quote_is_attributed_to_its_speaker_at_its_passage(article):
    """A quote is what the article says a speaker said: its paragraph names him, alone."""
    text = article.source_text
    for quote in Quote.objects.prefetch_related("speakers__aliases"):
        start, end = quote.anchor_span()
        paragraph = text[text.rfind("\n", 0, start) + 1 : text.find("\n", end) % (len(text) + 1)]
        for speaker in quote.speakers.all():
            names = {speaker.name, *(alias.name for alias in speaker.aliases.all())}
            assert any(name in paragraph for name in names), (quote.slug, speaker.slug)
        assert not any(phrase in paragraph.lower() for phrase in NARRATION), quote.slug


# Criteria that were already met on the article's date, counted a party's own say-so, or could
# not be measured ("sold as a commodity", "the leading vendors", "major market surveys").
RESOLVED_OR_UNTESTABLE = {
    "native-physical-ai-devices-emerge": "at least three major manufacturers",
    "physical-ai-is-the-next-wave": "NVIDIA's own reporting",
    "ai-lifelong-companion": "smartphone users",
    "sensor-and-reducer-makers-move-to-core": "annual reports",
    "post-training-becomes-crucial": "leading model developers report",
    "iaas-becomes-utility": "priced as a commodity utility",
    "manufacturing-core-ai-scenario": "major market surveys",
    "compute-demand-next-order-of-magnitude": "e.g.",
    "ecosystem-closed-loops-decide-competition": "the leading large-model vendors",
    "startups-lose-independent-space": "outpace new large funding rounds",
    "compute-platform-fulcrum-wins": "set the dominant standards",
}

# Who, other than the subject of each prediction, can tell whether it came true.
CHECKED_BY = {
    "physical-ai-is-the-next-wave": "International Federation of Robotics",
    "post-training-becomes-crucial": "Epoch AI",
    "compute-demand-next-order-of-magnitude": "Epoch AI",
    "sensor-and-reducer-makers-move-to-core": "Yole Group",
    "iaas-becomes-utility": "Gartner",
    "model-evaluation-beyond-parameter-scale": "LMArena",
    "manufacturing-core-ai-scenario": "IDC",
    "native-physical-ai-devices-emerge": "IDC",
    "ecosystem-closed-loops-decide-competition": "LMArena",
    "startups-lose-independent-space": "PitchBook",
    "ai-lifelong-companion": "QuestMobile",
    "compute-platform-fulcrum-wins": "Synergy Research Group",
}


def test_each_prediction_has_a_criterion_a_third_party_can_check(article):
    predictions = Claim.objects.predictions()
    # A new prediction needs its checker named here, and so a criterion someone else can apply.
    assert {c.slug for c in predictions} == set(CHECKED_BY)
    for claim in predictions:
        assert claim.resolve_by > article.original_published_on, claim.slug
        assert "own reporting" not in claim.resolution_criteria, claim.slug
        assert CHECKED_BY[claim.slug] in claim.resolution_criteria, claim.slug
        # Measurable: a threshold or a date to hold the outcome against.
        assert any(ch.isdigit() for ch in claim.resolution_criteria), claim.slug
    for slug, stale in RESOLVED_OR_UNTESTABLE.items():
        criteria = Claim.objects.get(slug=slug).resolution_criteria
        assert stale not in criteria, slug
    glasses = Claim.objects.get(slug="native-physical-ai-devices-emerge").resolution_criteria
    assert "IDC" in glasses and "20 million" in glasses
    assert "children" in Claim.objects.get(slug="ai-lifelong-companion").resolution_criteria


def test_the_rendered_article_has_no_leftovers_of_the_web_page(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    body = html[html.index('class="article-part"') :]
    assert "07/23 2025 566" not in body
    assert "<p>l " not in body and "<li>l " not in body
    assert body.count(article.dek) == 0  # shown once, in the header, not again as a paragraph
    assert html.count(article.dek) >= 1
    assert '<ul class="article-list"><li>As AI enters the era of' in body
    # The verbatim source keeps them, for the anchors.
    assert "07/23 2025 566" in article.source_text and "\nl As AI enters" in article.source_text


def test_public_pages_show_where_a_fact_comes_from(client, article):
    html = client.get(article.dialogue.get_absolute_url()).content.decode()
    assert "17 July 2025" in html
    assert 'Source: <a href="https://news.hangzhou.com.cn/' in html
    assert "unconfirmed" in html
    event = client.get(article.dialogue.event.get_absolute_url()).content.decode()
    assert "https://news.rthk.hk/" in event
    speaker = client.get(Speaker.objects.get(slug="wang-jian").get_absolute_url()).content.decode()
    assert "director, Zhejiang Lab" in speaker and "accessed" in speaker
    claim = client.get("/claims/nvlink-fusion-opened-ecosystem/").content.decode()
    assert "https://news.ltn.com.tw/" in claim


def test_confirmed_sources_say_so(client, article, django_user_model):
    editor = django_user_model.objects.create_user("fact-editor")
    source = Dialogue.objects.get().fact_sources.get(fact="held_on")
    source.confirm(by=editor)
    html = client.get(article.dialogue.get_absolute_url()).content.decode()
    line = html[html.index('class="fact-source"') :].split("</small>")[0]
    assert "unconfirmed" not in line


def test_the_api_lists_fact_sources_read_only(client, article):
    response = client.get("/api/v1/fact-sources/", {"subject_type": "dialogues.dialogue"})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["fact"] for row in rows] == ["held_on"]
    assert rows[0]["confirmed"] is False and rows[0]["url"].startswith("https://")
    assert client.post("/api/v1/fact-sources/", {}).status_code in (401, 403, 405)


@pytest.mark.django_db
def test_bin_dev_serve_loads_the_article_once_and_keeps_edits_after(capsys):
    """``bin/dev serve`` runs ``load_article`` on every start: the first loads the article; later
    ones must neither undo an editor's correction nor stop the server (loading over changed
    published content is refused without a note)."""
    call_command("load_article")
    quote = Quote.objects.get(slug="huang-next-wave-physical-ai")
    quote.text += " (corrected)"
    quote.save()
    call_command("load_article")
    assert "not loaded again" in capsys.readouterr().out
    assert Quote.objects.get(pk=quote.pk).text.endswith("(corrected)")
