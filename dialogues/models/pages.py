"""What the public pages read, compiled once per process (``compiled.CompiledQuery``).

Each is called with the reader's ``preview`` (``can_preview``: may they see drafts?), the ids
or slug the page is about, and ``now``, the time “published” is judged at; each returns model
instances as the queryset would.
"""

from django.db.models import Exists, OuterRef

from .compiled import CompiledQuery, IdListQuery, ids_in
from .coverage import Coverage, Section
from .events import Dialogue, Participant
from .links import load_affiliations, store_loaded
from .people import Speaker, SpeakerAlias, Topic
from .statements import Claim, Commentary, Correction, Quote

# --- A speaker's page -------------------------------------------------------------------------

_speaker_by_slug = CompiledQuery(
    lambda preview, *, slug, now: Speaker.objects.visible_when(preview=preview).filter(slug=slug)
)
_aliases_of_speaker = CompiledQuery(lambda *, speaker: SpeakerAlias.objects.filter(speaker=speaker))


def speaker_by_slug(preview, *, slug, now):
    """The speaker, or None, with their aliases loaded as ``prefetch_related`` would."""
    found = _speaker_by_slug(preview, slug=slug, now=now)
    if not found:
        return None
    (speaker,) = found
    store_loaded(speaker, "aliases", SpeakerAlias, _aliases_of_speaker(speaker=speaker.pk))
    return speaker


def _latest_by_speaker(model):
    return CompiledQuery(
        lambda preview, latest, *, speaker, now: (
            model.objects.visible_when(preview=preview)
            .by_speaker(speaker)
            .card_rows()
            .newest_first()[:latest]
        )
    )


latest_quotes_by_speaker = _latest_by_speaker(Quote)
latest_claims_by_speaker = _latest_by_speaker(Claim)

speaker_dialogues = CompiledQuery(
    lambda preview, *, speaker, now: (
        Dialogue.objects.visible_when(preview=preview)
        .filter(participants__speaker=speaker)
        .select_related("event")
        .annotate(
            quote_count=Quote.objects.visible_when(preview=preview).by_speaker(speaker).count_per_dialogue(),
            claim_count=Claim.objects.visible_when(preview=preview).by_speaker(speaker).count_per_dialogue(),
        )
    )
)


# --- The front page ---------------------------------------------------------------------------

latest_coverage = CompiledQuery(
    lambda preview, count, *, now: Coverage.objects.visible_when(preview=preview).teasers()[:count]
)

featured_quotes = CompiledQuery(
    lambda preview, count, *, now: Quote.objects.featured_visible_when(preview=preview).for_cards()[:count]
)


def _topics_with(model):
    return CompiledQuery(
        lambda preview, count, *, now: Topic.objects.with_content_in(
            model.objects.visible_when(preview=preview)
        ).only("pk")[:count]
    )


_topics_with_quotes, _topics_with_claims = _topics_with(Quote), _topics_with(Claim)
_topics_by_name = IdListQuery(lambda pks: Topic.objects.filter(ids_in("id", pks)).order_by("name"))


def first_topics_with_content(preview, count, *, now):
    """The first ``count`` topics by name with a quote or claim the reader may see.

    Two walks of the name index that each stop after ``count`` topics, then their union in
    name order. In one query, ``EXISTS quotes OR EXISTS claims`` made PostgreSQL hash every
    published claim first: a front page that slowed down with every year of archive."""
    pks = {
        topic.pk
        for walk in (_topics_with_quotes, _topics_with_claims)
        for topic in walk(preview, count, now=now)
    }
    return _topics_by_name.instances(pks)[:count]


# --- A topic's page ---------------------------------------------------------------------------

_topic_by_slug = CompiledQuery(lambda *, slug: Topic.objects.filter(slug=slug))


def topic_by_slug(preview, *, slug, now):
    """The topic, or None. Topics are public: who reads, and when, does not matter."""
    found = _topic_by_slug(slug=slug)
    return found[0] if found else None


def _latest_on_topic(model):
    return CompiledQuery(
        lambda preview, latest, *, topic, now: (
            model.objects.visible_when(preview=preview).newest_on_topic(topic).card_rows()[:latest]
        )
    )


latest_quotes_on_topic, latest_claims_on_topic = _latest_on_topic(Quote), _latest_on_topic(Claim)

latest_commentary_on_topic = CompiledQuery(
    lambda preview, latest, *, topic, now: (
        Commentary.objects.visible_when(preview=preview)
        .filter(topics=topic)
        .select_related("coverage")
        .newest_first_sorted()[:latest]
    )
)


# --- A coverage page (the article) ------------------------------------------------------------

_coverage_by_slug = CompiledQuery(
    lambda preview, *, slug, now: (
        Coverage.objects.visible_when(preview=preview)
        .filter(slug=slug)
        .select_related("dialogue__event")
        .annotate(
            has_corrections=Exists(Correction.objects.about_each(Coverage).filter(object_id=OuterRef("pk")))
        )
    )
)
_sections_of_coverage = CompiledQuery(lambda *, coverage: Section.objects.filter(coverage=coverage))
_topics_of_coverage = CompiledQuery(lambda *, coverage: Topic.objects.filter(coverages=coverage))
_participants_in_dialogue = CompiledQuery(
    lambda *, dialogue: Participant.objects.filter(dialogue=dialogue).select_related("speaker")
)


def coverage_by_slug(preview, *, slug, now):
    """The coverage, or None, with what its page prints of it loaded: its sections, topics and
    participants with their titles, as ``prefetch_related`` would leave them."""
    found = _coverage_by_slug(preview, slug=slug, now=now)
    if not found:
        return None
    (coverage,) = found
    dialogue = coverage.dialogue
    sections = _sections_of_coverage(coverage=coverage.pk)
    participants = _participants_in_dialogue(dialogue=dialogue.pk)
    # Sections find their passages in this coverage's text: they share this instance, as
    # prefetched ones would, instead of loading the article once each.
    for section in sections:
        section.coverage = coverage
    for participant in participants:
        participant.dialogue = dialogue
    store_loaded(coverage, "sections", Section, sections)
    store_loaded(coverage, "topics", Topic, _topics_of_coverage(coverage=coverage.pk))
    store_loaded(dialogue, "participants", Participant, participants)
    load_affiliations([participant.speaker for participant in participants])
    return coverage


# Whole rows: the article places each card at its passage. Their coverage and dialogue are
# the page's own, handed to every card.
quotes_in_coverage = CompiledQuery(
    lambda *, coverage: Quote.objects.filter(coverage=coverage).card_rows(joined=False)
)
claims_in_coverage = CompiledQuery(
    lambda *, coverage: Claim.objects.filter(coverage=coverage).card_rows(joined=False)
)
commentary_in_coverage = CompiledQuery(
    lambda *, coverage: Commentary.objects.filter(coverage=coverage).select_related("section")
)
