from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogues.perf.urls import slug_url
from dialogues.validators import validate_language_tag, validate_wikidata_id

from .base import (
    CLEAN_TEXT,
    ConstraintErrorsOnFields,
    SluggedModel,
    SlugManager,
    SlugQuerySet,
    TimestampedModel,
    VersionedModel,
    published_q,
)
from .fields import HttpsURLField


class TopicQuerySet(SlugQuerySet):
    def with_content_in(self, content):
        """Topics that something in ``content`` (quotes or claims) is about, by name: a walk of
        the name index that stops as soon as it has as many as it is asked for."""
        return self.filter(Exists(content.filter(topics=OuterRef("pk")))).order_by("name")

    def published(self, *, scheduled=False):
        """Topics with something readers may see on them (a dialogue's page and JSON name its
        topics too): a topic linked only to drafts would name unpublished work."""
        from .coverage import Coverage
        from .events import Dialogue
        from .statements import Claim, Commentary, Quote

        return self.filter(
            Exists(Coverage.objects.published(scheduled=scheduled).filter(topics=OuterRef("pk")))
            | Exists(Quote.objects.published(scheduled=scheduled).filter(topics=OuterRef("pk")))
            | Exists(Claim.objects.published(scheduled=scheduled).filter(topics=OuterRef("pk")))
            | Exists(Commentary.objects.published(scheduled=scheduled).filter(topics=OuterRef("pk")))
            | Exists(Dialogue.objects.published(scheduled=scheduled).filter(topics=OuterRef("pk")))
        )

    def first_with_content(self, *, preview, count):
        """The first ``count`` topics by name with a quote or claim the reader may see.

        Two walks of the name index that each stop after ``count`` topics, then their union in
        name order. In one query, ``EXISTS quotes OR EXISTS claims`` made PostgreSQL hash every
        published claim first: a front page that slowed down with every year of archive."""
        from .statements import Claim, Quote

        pks = set()
        for model in (Quote, Claim):
            visible = model.objects.visible_when(preview=preview)
            pks.update(self.with_content_in(visible).values_list("pk", flat=True)[:count])
        return self.filter(pk__in=pks).order_by("name")[:count]


class Topic(TimestampedModel, SluggedModel):
    name = models.CharField(max_length=120, unique=True, validators=CLEAN_TEXT)
    description = models.TextField(blank=True, validators=CLEAN_TEXT)

    objects = models.Manager.from_queryset(TopicQuerySet)()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("dialogues:topic-detail", self.slug)


class OrganizationQuerySet(SlugQuerySet):
    def named(self, name):
        """Organizations called exactly ``name``: slug, name or any alias, in any script and
        letter case ("英伟达" is NVIDIA), looked up as ``SpeakerQuerySet.named`` does."""
        asked = Upper(Value(name))
        by_slug = self.model.objects.filter(slug=name)
        by_name = self.model.objects.alias(upper_name=Upper("name")).filter(upper_name=asked)
        by_alias = OrganizationAlias.objects.alias(upper_name=Upper("name")).filter(upper_name=asked)
        return self.filter(
            pk__in=by_slug.values("pk")
            .order_by()
            .union(by_name.values("pk").order_by(), by_alias.values("organization").order_by())
        )

    def name_contains(self, text):
        """Organizations whose name or any alias contains ``text``, in any letter case."""
        by_name = self.model.objects.filter(name__icontains=text).values("pk").order_by()
        by_alias = OrganizationAlias.objects.filter(name__icontains=text).values("organization").order_by()
        return self.filter(pk__in=by_name.union(by_alias))


class Organization(ConstraintErrorsOnFields, TimestampedModel, SluggedModel):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        ANALYST_FIRM = "analyst_firm", _("Analyst firm")
        PUBLICATION = "publication", _("Publication")
        EVENT_ORGANIZER = "event_organizer", _("Event organizer")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, validators=CLEAN_TEXT)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.COMPANY)
    website = HttpsURLField(blank=True)
    description = models.TextField(blank=True, validators=CLEAN_TEXT)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="subsidiaries"
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    constraint_fields = {"organization_name_unique_ci": "name"}

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organization_name_unique_ci",
                violation_error_message="An organization with this name exists: {holder}.",
            ),
        ]

    def __str__(self):
        return self.name


class Product(TimestampedModel, SluggedModel):
    """A named product, technology, model or report subject the coverage mentions."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("Platform or ecosystem")
        TECHNOLOGY = "technology", _("Technology")
        AI_MODEL = "ai_model", _("AI model")
        ASSISTANT = "assistant", _("AI assistant")
        DEVICE = "device", _("Device")
        SERVICE = "service", _("Service")

    name = models.CharField(max_length=200, validators=CLEAN_TEXT)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    maker = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    description = models.TextField(blank=True, validators=CLEAN_TEXT)

    fact_sources = GenericRelation("dialogues.FactSource")
    objects = SlugManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SpeakerQuerySet(SlugQuerySet):
    def named(self, name):
        """Speakers called exactly ``name``: slug, published name or any alias, in any script.

        Three index lookups joined by UNION: one ``OR`` across the alias join read every
        speaker and every alias, and cost more with each speaker the archive adds."""
        asked = Upper(Value(name))
        by_slug = self.model.objects.filter(slug=name)
        by_name = self.model.objects.alias(upper_name=Upper("name")).filter(upper_name=asked)
        by_alias = SpeakerAlias.objects.alias(upper_name=Upper("name")).filter(upper_name=asked)
        return self.filter(
            pk__in=by_slug.values("pk")
            .order_by()
            .union(by_name.values("pk").order_by(), by_alias.values("speaker").order_by())
        )

    def name_contains(self, text):
        """Speakers whose published name or any alias contains ``text``, in any letter case.

        A UNION of two lookups: one ``OR`` across the alias join compared every speaker's name,
        however few matched. On PostgreSQL each is served by a trigram index on ``UPPER(name)``
        (migration 0008, outside model state since 0014); SQLite reads the names."""
        by_name = self.model.objects.filter(name__icontains=text).values("pk").order_by()
        by_alias = SpeakerAlias.objects.filter(name__icontains=text).values("speaker").order_by()
        return self.filter(pk__in=by_name.union(by_alias))

    def published(self, *, scheduled=False):
        """Speakers a reader may know of: on stage in, or quoted by, published coverage.

        Asked per speaker (EXISTS through each link table's speaker index), so looking up one
        speaker costs the same however many quotes the archive holds."""
        from .events import Participant
        from .statements import Claim, Quote

        return self.filter(
            Exists(
                Participant.objects.filter(
                    published_q("dialogue__coverages__", scheduled=scheduled), speaker=OuterRef("pk")
                )
            )
            | Exists(
                Quote.objects.filter(published_q("coverage__", scheduled=scheduled), speakers=OuterRef("pk"))
            )
            | Exists(
                Claim.objects.filter(published_q("coverage__", scheduled=scheduled), speakers=OuterRef("pk"))
            )
        )


class Speaker(ConstraintErrorsOnFields, TimestampedModel, VersionedModel, SluggedModel):
    name = models.CharField(
        "published name",
        max_length=200,
        validators=CLEAN_TEXT,
        help_text="As the coverage writes it, e.g. “Huang Renxun”.",
    )
    bio = models.TextField(blank=True, validators=CLEAN_TEXT)
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[validate_wikidata_id]
    )
    organizations = models.ManyToManyField(Organization, through="Affiliation", related_name="people")

    fact_sources = GenericRelation("dialogues.FactSource")
    objects = SpeakerQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    constraint_fields = {"speaker_wikidata_id_unique": "wikidata_id"}

    class Meta:
        ordering = ["name"]
        # ``named()``: a name asked in any letter case is found through an index. PostgreSQL
        # also has a trigram index for ``name_contains``, outside model state (0008, 0014).
        indexes = [models.Index(Upper("name"), name="speaker_name_upper_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="speaker_wikidata_id_unique",
                violation_error_message="Another speaker has this Wikidata ID: {holder}.",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="speaker_wikidata_id_format",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("dialogues:speaker-detail", self.slug)

    @property
    def wikidata_url(self):
        return f"https://www.wikidata.org/wiki/{self.wikidata_id}" if self.wikidata_id else ""

    def affiliations_on(self, day):
        """Affiliations held on ``day``; uses prefetched affiliations when present (a card's
        ``card_affiliations`` list, or ``affiliations``)."""
        affiliations = getattr(self, "card_affiliations", None)
        if affiliations is None:
            affiliations = self.affiliations.all()
        return [a for a in affiliations if a.held_on(day)]

    def title_on(self, day):
        """“founder and CEO, NVIDIA”: the titles held on ``day``, for attributions."""
        return "; ".join(str(a.title_and_organization) for a in self.affiliations_on(day))


class Alias(models.Model):
    """Another name something goes by, in any script: "Jensen Huang" and "黄仁勋" for Huang
    Renxun, "英伟达" for NVIDIA. Search finds the owner, and what names it, by any of them."""

    name = models.CharField(max_length=200, validators=CLEAN_TEXT)
    language = models.CharField(
        max_length=20,
        blank=True,
        validators=[validate_language_tag],
        help_text="BCP 47 tag of the spelling, e.g. en, zh-Hans, zh-Hant.",
    )
    note = models.CharField(max_length=200, blank=True, validators=CLEAN_TEXT)

    class Meta:
        abstract = True


class SpeakerAliasManager(models.Manager):
    def get_by_natural_key(self, speaker_slug, name):
        return self.get(speaker__slug=speaker_slug, name=name)


class SpeakerAlias(ConstraintErrorsOnFields, Alias):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")

    objects = SpeakerAliasManager()
    constraint_fields = {"speaker_alias_unique": "name"}

    class Meta:
        ordering = ["speaker", "name"]
        verbose_name_plural = "speaker aliases"
        indexes = [
            models.Index(Upper("name"), name="speakeralias_name_upper_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "name"],
                name="speaker_alias_unique",
                violation_error_message="This speaker already has this alias.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.speaker})"

    def natural_key(self):
        return (*self.speaker.natural_key(), self.name)

    natural_key.dependencies = ["dialogues.speaker"]


class OrganizationAliasManager(models.Manager):
    def get_by_natural_key(self, organization_slug, name):
        return self.get(organization__slug=organization_slug, name=name)


class OrganizationAlias(ConstraintErrorsOnFields, Alias):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="aliases")

    objects = OrganizationAliasManager()
    constraint_fields = {"organization_alias_unique": "name"}

    class Meta:
        ordering = ["organization", "name"]
        verbose_name_plural = "organization aliases"
        indexes = [
            models.Index(Upper("name"), name="orgalias_name_upper_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="organization_alias_unique",
                violation_error_message="This organization already has this alias.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organization})"

    def natural_key(self):
        return (*self.organization.natural_key(), self.name)

    natural_key.dependencies = ["dialogues.organization"]


class TopicAliasManager(models.Manager):
    def get_by_natural_key(self, topic_slug, name):
        return self.get(topic__slug=topic_slug, name=name)


class TopicAlias(ConstraintErrorsOnFields, Alias):
    """A topic's name in another language or script ("开源" for Open source): search finds the
    topic by it, and a page in that language heads the topic with it."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="aliases")

    objects = TopicAliasManager()
    constraint_fields = {"topic_alias_unique": "name"}

    class Meta:
        ordering = ["topic", "name"]
        verbose_name_plural = "topic aliases"
        indexes = [
            models.Index(Upper("name"), name="topicalias_name_upper_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "name"],
                name="topic_alias_unique",
                violation_error_message="This topic already has this alias.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.topic})"

    def natural_key(self):
        return (*self.topic.natural_key(), self.name)

    natural_key.dependencies = ["dialogues.topic"]


class AffiliationManager(models.Manager):
    def get_by_natural_key(self, speaker_slug, organization_slug, title):
        return self.get(speaker__slug=speaker_slug, organization__slug=organization_slug, title=title)


class Affiliation(ConstraintErrorsOnFields, models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="affiliations")
    title = models.CharField(max_length=200, validators=CLEAN_TEXT, help_text="e.g. “founder and CEO”.")
    valid_from = models.DateField(null=True, blank=True, help_text="Empty: since before our records.")
    valid_to = models.DateField(null=True, blank=True, help_text="Empty: still held.")

    fact_sources = GenericRelation("dialogues.FactSource")
    objects = AffiliationManager()
    constraint_fields = {"affiliation_unique_title": "title"}

    class Meta:
        ordering = ["speaker", "valid_from", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["speaker", "organization", "title"],
                name="affiliation_unique_title",
                violation_error_message="This speaker already has this title at this organization.",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="affiliation_valid_range",
                violation_error_message="An affiliation cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.speaker}: {self.title_and_organization}"

    def natural_key(self):
        return (self.speaker.slug, self.organization.slug, self.title)

    natural_key.dependencies = ["dialogues.speaker", "dialogues.organization"]

    @property
    def title_and_organization(self):
        return f"{self.title}, {self.organization}"

    def held_on(self, day):
        if day is None:
            return self.valid_to is None
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


# A speaker's affiliations as cards print them ("title, organization" on the day).
AFFILIATIONS = models.Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization"))
