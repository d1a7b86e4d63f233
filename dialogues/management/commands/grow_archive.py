"""Grow the database to a benchmark scale on top of the article fixtures.

Scale 1 is about 100 coverages, 300 speakers, 10,000 quotes and 5,000 claims; scale 10 ten
times that. The same seed gives the same archive, on SQLite and PostgreSQL alike."""

import datetime
import itertools
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from dialogues import search_index
from dialogues.caching import new_generation
from dialogues.models import (
    Affiliation,
    Claim,
    Coverage,
    Dialogue,
    Event,
    Organization,
    Participant,
    Quote,
    Speaker,
    Topic,
)

PER_SCALE = {"coverages": 100, "speakers": 300, "topics": 30, "organizations": 50, "events": 10}
QUOTES_PER_COVERAGE = 100
CLAIMS_PER_COVERAGE = 50
SPEAKERS_PER_DIALOGUE = 3
BATCH = 2000
PREFIX = "grown"

WORDS = [
    "model",
    "inference",
    "training",
    "cluster",
    "token",
    "latency",
    "open",
    "source",
    "robot",
    "factory",
    "chip",
    "memory",
    "bandwidth",
    "network",
    "agent",
    "cloud",
    "data",
    "centre",
    "energy",
    "power",
    "cost",
    "price",
    "market",
    "customer",
    "developer",
    "platform",
    "ecosystem",
    "partner",
    "supply",
    "chain",
    "export",
    "research",
    "physics",
    "simulation",
    "vision",
    "language",
    "reasoning",
    "safety",
    "regulation",
    "standard",
    "startup",
    "capital",
    "revenue",
    "margin",
    "growth",
    "scale",
    "efficiency",
]
# And in each sentence one of 600 less common words, as real text has names and terms that a
# fraction of a percent of items use. PostgreSQL's statistics of the search documents keep such
# words, and guess that a word they do not hold is half as common as the least common one they
# do. With the common words alone, nothing they held was in fewer than 17% of the items, so any
# other word (a search for "CoreWeave") was guessed at the default, 0.5%: 250 claims at scale 10,
# for which search hashed every coverage, dialogue and event to join the 2 that matched.
SYLLABLES = ["ka", "lo", "mi", "ren", "zu", "tav", "pe", "sor", "qui", "dan"]
UNCOMMON_WORDS = ["".join(syllables) for syllables in itertools.product(SYLLABLES, repeat=3)][:600]


class Command(BaseCommand):
    help = "Grow the archive with generated, published coverage for benchmarking (bulk inserts)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 ≈ 10,000 quotes; 10 ≈ 100,000.")
        parser.add_argument("--seed", type=int, default=2025)

    def handle(self, *args, scale, seed, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        if Speaker.objects.filter(slug__startswith=f"{PREFIX}-").exists():
            raise CommandError("This database has already been grown; start from a fresh one.")
        rng = random.Random(seed)
        with transaction.atomic():
            counts = Grower(rng, scale).grow()
            # Bulk inserts send no signals: index the new rows for search in the same transaction.
            search_index.rebuild()
        # Fresh statistics, as after any bulk import: without them SQLite's planner walks every
        # published quote to find one speaker's.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        new_generation()
        self.stdout.write(", ".join(f"{count} {name}" for name, count in counts.items()))


class Grower:
    def __init__(self, rng, scale):
        self.rng = rng
        self.scale = scale
        self.now = timezone.now()

    def quoted(self, on_stage, i):
        """Who the ``i``th quote of a dialogue is by: every other one by the first on stage, the
        headliner, the rest by anyone on stage. A headliner has at least 50 quotes at any scale,
        a full page for the benchmark's list of quotes by speaker (even shares gave about 33)."""
        return on_stage[0] if i % 2 == 0 else self.rng.choice(on_stage)

    def sentence(self, words=12):
        picked = [self.rng.choice(WORDS) for _ in range(words - 1)] + [self.rng.choice(UNCOMMON_WORDS)]
        return " ".join(picked).capitalize() + "."

    def grow(self):
        n = {name: count * self.scale for name, count in PER_SCALE.items()}
        organizations = Organization.objects.bulk_create(
            Organization(slug=f"{PREFIX}-org-{i}", name=f"Grown Organization {i}")
            for i in range(n["organizations"])
        )
        topics = Topic.objects.bulk_create(
            Topic(slug=f"{PREFIX}-topic-{i}", name=f"Grown topic {i}") for i in range(n["topics"])
        )
        speakers = Speaker.objects.bulk_create(
            (Speaker(slug=f"{PREFIX}-speaker-{i}", name=f"Grown Speaker {i}") for i in range(n["speakers"])),
            batch_size=BATCH,
        )
        Affiliation.objects.bulk_create(
            (
                Affiliation(
                    speaker=speaker, organization=self.rng.choice(organizations), title="Chief Scientist"
                )
                for speaker in speakers
            ),
            batch_size=BATCH,
        )
        events = Event.objects.bulk_create(
            Event(slug=f"{PREFIX}-event-{i}", name=f"Grown Summit {i}", year=2015 + i % 11)
            for i in range(n["events"])
        )
        dialogues = Dialogue.objects.bulk_create(
            (
                Dialogue(
                    slug=f"{PREFIX}-dialogue-{i}",
                    title=f"Grown dialogue {i}",
                    event=events[i % len(events)],
                    held_on=datetime.date(2015, 1, 1) + datetime.timedelta(days=i * 3),
                )
                for i in range(n["coverages"])
            ),
            batch_size=BATCH,
        )
        # Round robin: every speaker is on stage somewhere, so each has a page at any scale.
        on_stage = {
            dialogue.pk: [
                speakers[(i * SPEAKERS_PER_DIALOGUE + k) % len(speakers)]
                for k in range(SPEAKERS_PER_DIALOGUE)
            ]
            for i, dialogue in enumerate(dialogues)
        }
        Participant.objects.bulk_create(
            (
                Participant(dialogue=dialogue, speaker=speaker, position=position)
                for dialogue in dialogues
                for position, speaker in enumerate(on_stage[dialogue.pk])
            ),
            batch_size=BATCH,
        )

        quote_texts = {d.pk: [self.sentence() for _ in range(QUOTES_PER_COVERAGE)] for d in dialogues}
        claim_texts = {d.pk: [self.sentence(10) for _ in range(CLAIMS_PER_COVERAGE)] for d in dialogues}
        coverages = Coverage.objects.bulk_create(
            (
                Coverage(
                    slug=f"{PREFIX}-coverage-{i}",
                    title=f"Grown coverage {i}: {self.sentence(5)}",
                    dek=self.sentence(),
                    dialogue=dialogue,
                    source_text="\n\n".join(quote_texts[dialogue.pk] + claim_texts[dialogue.pk]),
                    status=Coverage.Status.PUBLISHED,
                    publish_at=self.now - datetime.timedelta(hours=i + 1),
                )
                for i, dialogue in enumerate(dialogues)
            ),
            batch_size=BATCH,
        )

        quotes, quote_speakers = [], []
        claims, claim_speakers = [], []
        for coverage in coverages:
            dialogue = coverage.dialogue
            for i, text in enumerate(quote_texts[dialogue.pk]):
                quotes.append(
                    Quote(
                        slug=f"{PREFIX}-quote-{coverage.pk}-{i}",
                        text=text,
                        anchor_exact=text,
                        kind=Quote.Kind.PARAPHRASE,
                        dialogue=dialogue,
                        coverage=coverage,
                        is_featured=i == 0,
                    )
                )
                quote_speakers.append(self.quoted(on_stage[dialogue.pk], i))
            for i, text in enumerate(claim_texts[dialogue.pk]):
                kind = self.rng.choice(Claim.Kind.values)
                status = self.rng.choice(Claim.Status.values)
                claims.append(
                    Claim(
                        slug=f"{PREFIX}-claim-{coverage.pk}-{i}",
                        statement=text,
                        anchor_exact=text,
                        kind=kind,
                        attribution=Claim.Attribution.SPEAKER,
                        status=status,
                        checked_on=dialogue.held_on if status in ("supported", "refuted") else None,
                        outcome="open" if kind == Claim.Kind.PREDICTION else "",
                        dialogue=dialogue,
                        coverage=coverage,
                    )
                )
                claim_speakers.append(self.rng.choice(on_stage[dialogue.pk]))
        quotes = Quote.objects.bulk_create(quotes, batch_size=BATCH)
        claims = Claim.objects.bulk_create(claims, batch_size=BATCH)
        self.link(Quote.speakers.through, "quote", quotes, "speaker", quote_speakers)
        self.link(Claim.speakers.through, "claim", claims, "speaker", claim_speakers)
        self.link(Quote.topics.through, "quote", quotes, "topic", [self.rng.choice(topics) for _ in quotes])
        self.link(Claim.topics.through, "claim", claims, "topic", [self.rng.choice(topics) for _ in claims])
        return {
            "coverages": len(coverages),
            "speakers": len(speakers),
            "quotes": len(quotes),
            "claims": len(claims),
            "topics": len(topics),
        }

    @staticmethod
    def link(through, owner_name, owners, target_name, targets):
        through.objects.bulk_create(
            (
                through(**{f"{owner_name}_id": owner.pk, f"{target_name}_id": target.pk})
                for owner, target in zip(owners, targets, strict=True)
            ),
            batch_size=BATCH,
        )
