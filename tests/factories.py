import datetime

import factory
from django.utils import timezone

from dialogues import models

SOURCE_TEXT = (
    "A Test Article\n\n"
    "Intro paragraph about the dialogue.\n\n"
    "01\n\nFirst Section\n\n"
    "Ada Speaker said the future is open. Bo Speaker said the future is closed.\n\n"
    "The publication thinks both are right. The future is open.\n\n"
    "02\n\nSecond Section\n\n"
    "Revenue grew to US$5 billion last year."
)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Organization

    name = factory.Sequence(lambda n: f"Org {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Affiliation

    speaker = factory.SubFactory(SpeakerFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = "CEO"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Event

    name = factory.Sequence(lambda n: f"Expo {n}")
    slug = factory.Sequence(lambda n: f"expo-{n}")
    year = 2025
    starts_on = datetime.date(2025, 7, 16)
    ends_on = datetime.date(2025, 7, 20)


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Dialogue
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Dialogue {n}")
    slug = factory.Sequence(lambda n: f"dialogue-{n}")
    event = factory.SubFactory(EventFactory)
    held_on = datetime.date(2025, 7, 16)

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        for position, speaker in enumerate(extracted or []):
            models.Participant.objects.create(dialogue=self, speaker=speaker, position=position)


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Coverage

    title = "A Test Article"
    slug = factory.Sequence(lambda n: f"coverage-{n}")
    dek = "What was said."
    dialogue = factory.SubFactory(DialogueFactory)
    source_text = SOURCE_TEXT
    status = models.Coverage.Status.PUBLISHED
    publish_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    class Params:
        draft = factory.Trait(status=models.Coverage.Status.DRAFT, publish_at=None)
        in_review = factory.Trait(status=models.Coverage.Status.IN_REVIEW, publish_at=None)
        scheduled = factory.Trait(
            publish_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
        )


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Section

    coverage = factory.SubFactory(CoverageFactory)
    number = 1
    title = "First Section"


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Quote
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"quote-{n}")
    text = "The future is open."
    kind = models.Quote.Kind.PARAPHRASE
    coverage = factory.SubFactory(CoverageFactory)
    dialogue = factory.SelfAttribute("coverage.dialogue")
    anchor_exact = "Ada Speaker said the future is open."

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if extracted:
            self.speakers.set(extracted)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Claim
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"claim-{n}")
    statement = "Revenue grew to US$5 billion."
    kind = models.Claim.Kind.FIGURE
    attribution = models.Claim.Attribution.PUBLICATION
    coverage = factory.SubFactory(CoverageFactory)
    dialogue = factory.SelfAttribute("coverage.dialogue")
    anchor_exact = "Revenue grew to US$5 billion last year."

    @factory.post_generation
    def speakers(self, create, extracted, **kwargs):
        if extracted:
            self.speakers.set(extracted)
