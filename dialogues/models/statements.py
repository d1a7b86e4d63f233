import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogues.perf.urls import slug_url
from dialogues.readable import readable_figure
from dialogues.validators import validate_language_tag

from .base import (
    CLEAN_TEXT,
    WITHDRAWAL_FIELDS,
    AnchoredModel,
    ConstraintErrorsOnFields,
    CorrectableMixin,
    RowOfCorrectable,
    SluggedModel,
    SlugManager,
    SlugQuerySet,
    TimestampedModel,
    VersionedModel,
    WithdrawableModel,
    published_q,
)
from .coverage import Coverage, Section
from .events import Dialogue
from .fields import HttpsURLField
from .people import AFFILIATIONS, Affiliation, Organization, Product, Speaker, Topic


class CorrectionQuerySet(models.QuerySet):
    def about_each(self, model):
        """Corrections of any ``model`` instance, matched by label: no ContentType lookup first."""
        return self.filter(
            content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
        )

    def about(self, instance):
        return self.about_each(type(instance)).filter(object_id=instance.pk)

    def about_any(self, instances):
        """Corrections of any of ``instances`` (of one model or several), in one query."""
        by_model = {}
        for instance in instances:
            by_model.setdefault(type(instance), []).append(instance.pk)
        condition = Q(pk__in=[])
        for model, pks in by_model.items():
            condition |= Q(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
                object_id__in=pks,
            )
        return self.filter(condition)

    def recent(self):
        return self.order_by("-made_at", "-pk")


# What site search matches: their documents on PostgreSQL (migration 0009) and their FTS5 tables
# on SQLite (0006) are built from exactly these.
QUOTE_SEARCH_FIELDS = ("text", "original_text")
CLAIM_SEARCH_FIELDS = ("statement", "check_note")
COMMENTARY_SEARCH_FIELDS = ("title", "body")  # migration 0021


class Correction(models.Model):
    """A public correction note on published content, shown to readers in date order."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    note = models.TextField(validators=CLEAN_TEXT)
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["made_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="correction_subject_idx")]

    def __str__(self):
        return f"Correction of {self.made_at:%Y-%m-%d}: {self.note[:60]}"

    # Append-only: a mistaken note is corrected by adding another, never by rewriting this one.
    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Corrections are never changed: add another correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Corrections are never deleted: add another correction instead.")


class CoverageContentQuerySet(SlugQuerySet):
    """Quotes, claims and commentary live inside a coverage and share its visibility."""

    def published(self, *, scheduled=False):
        return self.filter(published_q("coverage__", scheduled=scheduled))

    def published_per_row(self):
        """``published``, checked row by row: each row's coverage is looked up by its key
        rather than joined with its conditions, for a list that walks its own table in order
        until a page is full (the JSON lists).

        Given the join, SQLite (3.38 and later, with statistics) first builds a Bloom filter of
        every published coverage, reading all their rows, long texts and all: a page of 50
        claims by status took 0.2 ms at 100 coverages and 0.9 ms at 1,000. A correlated lookup
        has no join to filter: 0.09 ms at either size. PostgreSQL runs it as a semi-join on
        the primary key, as fast as the join."""
        return self.filter(Exists(Coverage.objects.filter(published_q(), pk=OuterRef("coverage_id"))))

    def visible_per_row_when(self, *, preview):
        """``visible_when``, with ``published_per_row`` for readers who may not see drafts."""
        return self if preview else self.published_per_row()

    def newest_first(self):
        """By their coverage's publication, newest first: how feeds and "the latest" read."""
        return self.order_by("-coverage__publish_at", "-pk")

    def newest_first_sorted(self):
        """``newest_first`` for a few of many (one topic's): joined to their coverage and sorted.

        Asked for the newest 30 by ``-coverage__publish_at``, PostgreSQL walks
        ``coverage_published_idx`` newest first and re-reads all of the topic's rows for every
        coverage it passes, a cost of coverages walked × the topic's rows, both growing with the
        archive. It cannot walk the index for an expression, so it reads the topic's rows once and
        keeps the newest. Unpublished coverage has no publish time; drafts sort by creation.

        A topic's page lists its commentary, quotes and claims in this order (``newest_on_topic``)."""
        return self.order_by(Coalesce("coverage__publish_at", "coverage__created_at").desc(), "-pk")


# An item's page links to its coverage and dialogue but never prints their long texts.
DETAIL_DEFERRED = (
    "coverage__source_text",
    "coverage__copyright_notice",
    "coverage__dek",
    "dialogue__summary",
)


class WithdrawableContentQuerySet(CoverageContentQuerySet):
    """Quotes, claims and commentary readers have seen are withdrawn, never deleted."""

    # Withdrawn items leave every list, feed, search and sitemap: their own URL (or, for
    # commentary, the article's correction log) says why. Staff previews (``visible_when``) still
    # list them.
    def published(self, *, scheduled=False):
        return super().published(scheduled=scheduled).filter(withdrawn_at__isnull=True)

    def published_per_row(self):
        return super().published_per_row().filter(withdrawn_at__isnull=True)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)

    def gone(self):
        """Withdrawn from published coverage: their URL answers 410 with the date and note."""
        return super().published().withdrawn().select_related("coverage")


class StatementQuerySet(WithdrawableContentQuerySet):
    # What a card, and the pages of cards around it, print: the card's own text and badges, the
    # title of its coverage, the date and event of its dialogue. Fetching the whole rows of all
    # four tables (56 columns for a quote card) cost a tenth of each page of cards, in compiling
    # the query, reading the rows and building the instances.
    card_fields = (
        "slug",
        "version",
        "kind",
        "coverage__slug",
        "coverage__title",
        "coverage__language",  # the card's words are in it: marked where the page's differs
        "dialogue__held_on",
        "dialogue__event__name",
        "dialogue__event__short_name",
    )

    def with_last_correction(self):
        """Each row's latest public correction time as ``last_corrected_at`` (None if none)."""
        latest = (
            Correction.objects.about_each(self.model)
            .filter(object_id=OuterRef("pk"))
            .order_by("-made_at")
            .values("made_at")[:1]
        )
        return self.annotate(last_corrected_at=Subquery(latest))

    def by_speaker(self, speaker):
        return self.filter(speakers=speaker)

    def on_topic(self, topic):
        return self.filter(topics=topic)

    def newest_on_topic(self, topic):
        """What is on ``topic``, newest coverage first (``newest_first_sorted``)."""
        return self.on_topic(topic).newest_first_sorted()

    def count_per_dialogue(self):
        """An annotation for dialogues: how many of these each holds (no query per dialogue)."""
        counted = self.filter(dialogue=OuterRef("pk")).order_by().values("dialogue").annotate(n=Count("pk"))
        return Coalesce(Subquery(counted.values("n")), 0)

    def card_rows(self, *, joined=True):
        """The columns of ``card_fields``; what else a card prints is ``card_lookups()``, for
        ``prefetch_related`` or for the cards rendered afresh (``dialogues.templating.cards``).

        ``joined=False`` is the whole row and its section, without the coverage and dialogue,
        for the coverage page: it has them loaded already and hands them to every card, and it
        places each card at its passage."""
        if not joined:
            return self.select_related("section")
        return self.select_related("coverage", "dialogue__event").only(*self.card_fields)

    def detail_rows(self):
        """The whole row, with its coverage, dialogue, event and section: an item's own page."""
        return self.select_related("coverage", "dialogue__event", "section").defer(*DETAIL_DEFERRED)


class QuoteQuerySet(StatementQuerySet):
    card_fields = (*StatementQuerySet.card_fields, "text")

    def featured_visible_when(self, *, preview):
        """Featured quotes a reader may see, from the newest coverage first.

        Each quote's coverage is checked on its own (``EXISTS``) rather than joined, so the
        database walks ``quote_featured_idx`` newest first and stops after the few it needs.
        Joined to published coverage, SQLite started from every published coverage and sorted
        their featured quotes (0.68 ms at scale 10, 0.07 ms now)."""
        visible_coverage = Coverage.objects.visible_when(preview=preview).filter(pk=OuterRef("coverage_id"))
        # A withdrawn quote is featured for no one, previews included: its link answers 410.
        return self.filter(Exists(visible_coverage), is_featured=True, withdrawn_at__isnull=True).order_by(
            "-coverage_id", "-pk"
        )

    @staticmethod
    def card_lookups():
        """What a quote card prints besides its row: speakers with their titles, as lists
        (``card_speakers``, each with ``card_affiliations``)."""
        return (_titled_speakers(),)

    def for_cards(self):
        """What a quote card shows in a fixed number of queries."""
        return self.card_rows().prefetch_related(*self.card_lookups())

    def for_detail(self):
        """An item's own page; its card's lists are made from these (``views.CardOnPageMixin``)."""
        return self.detail_rows().prefetch_related(
            models.Prefetch("speakers", queryset=Speaker.objects.prefetch_related(AFFILIATIONS)),
            "topics",
            "corrections",
        )


def _titled_speakers():
    # Lists (to_attr), not ``.all()``: prefetching into a manager builds a manager and a
    # filtered queryset per card and per speaker, which cost more than the queries themselves
    # on a page of 60 cards rendered afresh.
    titles = models.Prefetch(
        "affiliations",
        queryset=Affiliation.objects.select_related("organization"),
        to_attr="card_affiliations",
    )
    return models.Prefetch(
        "speakers", queryset=Speaker.objects.prefetch_related(titles), to_attr="card_speakers"
    )


class Quote(
    CorrectableMixin, TimestampedModel, WithdrawableModel, VersionedModel, AnchoredModel, SluggedModel
):
    class Kind(models.TextChoices):
        VERBATIM = "verbatim", _("Verbatim")
        PARAPHRASE = "paraphrase", _("Paraphrase")
        REPORTED = "reported", _("Reported speech")
        TRANSLATED = "translated", _("Translated")

    CORRECTED_FIELDS = (
        "text",
        "kind",
        "speakers",
        "original_text",
        "original_language",
        "dialogue",
        "section",
        "anchor_exact",
        *WITHDRAWAL_FIELDS,
    )
    SEARCH_FIELDS = QUOTE_SEARCH_FIELDS

    text = models.TextField("words", validators=CLEAN_TEXT)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    original_text = models.TextField(
        blank=True, validators=CLEAN_TEXT, help_text="For a translated quote, the words as spoken."
    )
    original_language = models.CharField(max_length=20, blank=True, validators=[validate_language_tag])
    speakers = models.ManyToManyField(Speaker, related_name="quotes")
    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="quotes")
    coverage = models.ForeignKey(Coverage, on_delete=models.CASCADE, related_name="quotes")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="quotes")
    is_featured = models.BooleanField(default=False)
    corrections = GenericRelation(Correction)

    objects = QuoteQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[speakers, topics], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["coverage", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(original_language="") | ~Q(original_text=""),
                name="quote_original_language_needs_text",
                violation_error_message="Give the original text along with its language.",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_not_empty"),
        ]
        indexes = [
            # The front page's featured quotes: a few rows out of the archive, found directly.
            models.Index(fields=["coverage", "id"], condition=Q(is_featured=True), name="quote_featured_idx"),
        ]

    def __str__(self):
        # No quotation marks of its own: Django's messages put the name in “…” already.
        return self.text if len(self.text) <= 70 else self.text[:67] + "…"

    def get_absolute_url(self):
        return slug_url("dialogues:quote-detail", self.slug)

    def clean(self):
        errors = {}
        if self.coverage_id and self.dialogue_id and self.coverage.dialogue_id != self.dialogue_id:
            errors["dialogue"] = f"The coverage is about “{self.coverage.dialogue}”, not this dialogue."
        if self.section_id and self.coverage_id and self.section.coverage_id != self.coverage_id:
            errors["section"] = "The section belongs to another coverage."
        if self.original_language and not self.original_text:
            errors["original_text"] = "Give the original text along with its language."
        if errors:
            raise ValidationError(errors)
        self.clean_anchor()

    def clean_speakers(self, speakers):
        """Speakers must have taken part in the dialogue; m2m data is only known to forms."""
        outsiders = self.dialogue.non_participants(speakers)
        if outsiders:
            raise ValidationError(
                {"speakers": f"Not a participant of “{self.dialogue}”: {', '.join(outsiders)}."}
            )
        if not speakers:
            raise ValidationError({"speakers": "A quote needs at least one speaker."})


class EvidenceSource(TimestampedModel, SluggedModel):
    """A report, filing or announcement that a claim can be checked against."""

    title = models.CharField(max_length=300, validators=CLEAN_TEXT)
    publisher = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_sources"
    )
    url = HttpsURLField(blank=True, max_length=500)
    published_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, validators=CLEAN_TEXT)

    fact_sources = GenericRelation("dialogues.FactSource")
    objects = SlugManager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class ClaimQuerySet(StatementQuerySet):
    card_fields = (
        *StatementQuerySet.card_fields,
        "statement",
        "attribution",
        "status",
        "outcome",
        "resolve_by",
        "resolution_criteria",
    )

    def predictions(self):
        return self.filter(kind=Claim.Kind.PREDICTION)

    def predictions_due(self, *, within=datetime.timedelta(days=30)):
        """Open predictions whose resolve-by date has passed or falls ``within`` from today:
        the desk's list of verdicts to write. Soonest (most overdue) first."""
        today = timezone.localdate()
        return (
            self.predictions()
            .filter(outcome=Claim.Outcome.OPEN, resolve_by__lte=today + within)
            .order_by("resolve_by", "pk")
        )

    def by_publication(self):
        return self.filter(attribution=Claim.Attribution.PUBLICATION)

    @staticmethod
    def card_lookups():
        """What a claim card prints besides its row: claimants and evidence, as lists
        (``card_speakers``, ``card_evidence``; see ``_titled_speakers``)."""
        return (
            models.Prefetch("speakers", to_attr="card_speakers"),
            models.Prefetch("evidence", to_attr="card_evidence"),
        )

    def for_cards(self):
        """What a claim card shows in a fixed number of queries."""
        return self.card_rows().prefetch_related(*self.card_lookups())

    def for_detail(self):
        return self.detail_rows().prefetch_related(
            "speakers",
            "topics",
            "figures",
            "organizations_mentioned",
            "products_mentioned",
            "evidence__publisher",
            "corrections",
        )


# What each kind and status means, for the editors choosing one (the claim form's help).
CLAIM_KIND_HELP = {
    "fact": "Something true or false now, that a source can confirm.",
    "figure": "A number (money, share, count): add it under Figures with its unit and date.",
    "prediction": "What will happen: say by when it can be judged, and how.",
    "opinion": "A view or judgement: attributed, not checked for truth.",
    "definition": "What a term means as the speaker uses it.",
}
CLAIM_STATUS_HELP = {
    "unverified": "Not checked yet.",
    "supported": "Evidence confirms it: give the date checked and at least one evidence source.",
    "disputed": "Sources disagree, or it is contested.",
    "refuted": "Evidence contradicts it: give the date checked and at least one evidence source.",
    "outdated": "True when said, no longer.",
}


class Claim(
    CorrectableMixin, TimestampedModel, WithdrawableModel, VersionedModel, AnchoredModel, SluggedModel
):
    class Kind(models.TextChoices):
        FACT = "fact", _("Fact")
        FIGURE = "figure", _("Figure")
        PREDICTION = "prediction", _("Prediction")
        OPINION = "opinion", _("Opinion")
        DEFINITION = "definition", _("Definition")

        @property
        def help(self):
            return CLAIM_KIND_HELP[self.value]

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("Unverified")
        SUPPORTED = "supported", _("Supported")
        DISPUTED = "disputed", _("Disputed")
        REFUTED = "refuted", _("Refuted")
        OUTDATED = "outdated", _("Outdated")

        @property
        def needs_evidence(self):
            """A verdict either way must say when it was checked and on what evidence."""
            return self in (self.SUPPORTED, self.REFUTED)

        @property
        def help(self):
            return CLAIM_STATUS_HELP[self.value]

    class Attribution(models.TextChoices):
        SPEAKER = "speaker", "A speaker"
        PUBLICATION = "publication", "The publication itself"

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        CAME_TRUE = "came_true", _("Came true")
        DID_NOT = "did_not", _("Did not come true")

    CORRECTED_FIELDS = (
        "statement",
        "kind",
        "attribution",
        "speakers",
        "dialogue",
        "section",
        "anchor_exact",
        "status",
        "checked_on",
        "check_note",
        "evidence",
        "resolve_by",
        "resolution_criteria",
        "outcome",
        "figures",  # its rows (ClaimFigure), changed inline or through a proposal
        *WITHDRAWAL_FIELDS,
    )
    SEARCH_FIELDS = CLAIM_SEARCH_FIELDS

    statement = models.TextField(validators=CLEAN_TEXT)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    attribution = models.CharField(max_length=20, choices=Attribution.choices)
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="claims")
    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="claims")
    coverage = models.ForeignKey(Coverage, on_delete=models.CASCADE, related_name="claims")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    checked_on = models.DateField(null=True, blank=True)
    check_note = models.TextField(blank=True, validators=CLEAN_TEXT)
    evidence = models.ManyToManyField(EvidenceSource, blank=True, related_name="claims")
    organizations_mentioned = models.ManyToManyField(Organization, blank=True, related_name="claims")
    products_mentioned = models.ManyToManyField(Product, blank=True, related_name="claims")
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    resolve_by = models.DateField(null=True, blank=True, help_text="Predictions: when it can be judged.")
    resolution_criteria = models.TextField(blank=True, validators=CLEAN_TEXT)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    corrections = GenericRelation(Correction)

    fact_sources = GenericRelation("dialogues.FactSource")
    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[speakers, evidence, topics], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["coverage", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["supported", "refuted"]) | Q(checked_on__isnull=False),
                name="claim_verdict_has_check_date",
                violation_error_message="A supported or refuted claim needs the date it was checked.",
            ),
            models.CheckConstraint(
                condition=Q(kind="prediction", outcome__in=["open", "came_true", "did_not"])
                | (~Q(kind="prediction") & Q(outcome="", resolve_by__isnull=True, resolution_criteria="")),
                name="claim_outcome_only_for_predictions",
                violation_error_message="Only predictions have a resolve-by date, criteria and an outcome.",
            ),
        ]
        indexes = [
            # PostgreSQL also has claim_coverage_status_idx, outside model state (migrations 0005
            # and 0014): SQLite's planner would start the page query from it.
            models.Index(fields=["kind", "status"], name="claim_kind_status_idx"),
            models.Index(fields=["resolve_by"], name="claim_resolve_by_idx"),
        ]

    def __str__(self):
        words = self.statement if len(self.statement) <= 70 else self.statement[:67] + "…"
        return f"{self.get_kind_display()}: {words}"

    def get_absolute_url(self):
        return slug_url("dialogues:claim-detail", self.slug)

    def save(self, *args, **kwargs):
        if self.kind == self.Kind.PREDICTION and not self.outcome:
            self.outcome = self.Outcome.OPEN
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.kind == self.Kind.PREDICTION and not self.outcome:
            self.outcome = self.Outcome.OPEN
        if self.kind != self.Kind.PREDICTION:
            for field in ("resolve_by", "resolution_criteria", "outcome"):
                if getattr(self, field):
                    errors[field] = "Only predictions have this."
        if self.Status(self.status).needs_evidence and not self.checked_on:
            errors["checked_on"] = (
                f"A claim marked {self.get_status_display().lower()} needs the date it was checked."
            )
        if self.coverage_id and self.dialogue_id and self.coverage.dialogue_id != self.dialogue_id:
            errors["dialogue"] = f"The coverage is about “{self.coverage.dialogue}”, not this dialogue."
        if self.section_id and self.coverage_id and self.section.coverage_id != self.coverage_id:
            errors["section"] = "The section belongs to another coverage."
        if errors:
            raise ValidationError(errors)
        self.clean_anchor()

    def clean_related(self, *, speakers, evidence):
        """Rules on many-to-many data, which only forms and serializers hold before saving."""
        errors = {}
        if self.attribution == self.Attribution.SPEAKER and not speakers:
            errors["speakers"] = "Name the speaker who makes this claim."
        if self.attribution == self.Attribution.PUBLICATION and speakers:
            errors["speakers"] = "A claim by the publication itself has no speakers."
        if speakers and self.dialogue_id:
            outsiders = self.dialogue.non_participants(speakers)
            if outsiders:
                errors["speakers"] = f"Not a participant of “{self.dialogue}”: {', '.join(outsiders)}."
        if self.Status(self.status).needs_evidence and not evidence:
            errors["evidence"] = (
                f"A claim marked {self.get_status_display().lower()} needs at least one evidence source."
            )
        if errors:
            raise ValidationError(errors)


class ClaimFigureManager(models.Manager):
    def get_by_natural_key(self, claim_slug, label):
        return self.get(claim__slug=claim_slug, label=label)


class ClaimFigure(RowOfCorrectable, ConstraintErrorsOnFields, models.Model):
    """A number a claim states, with its unit and the date it holds for."""

    class Qualifier(models.TextChoices):
        EXACT = "exact", "exactly"
        ABOUT = "about", "about"
        NEARLY = "nearly", "nearly (just under)"
        OVER = "over", "over"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="figures")
    label = models.CharField(max_length=200, validators=CLEAN_TEXT, help_text="What is measured.")
    value = models.DecimalField(max_digits=24, decimal_places=4)
    unit = models.CharField(max_length=40, validators=CLEAN_TEXT, help_text="USD, %, ×, users …")
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    as_of = models.DateField(null=True, blank=True)

    objects = ClaimFigureManager()
    constraint_fields = {"claim_figure_label_unique": "label"}

    class Meta:
        ordering = ["claim", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(unit=""),
                name="claim_figure_has_unit",
                violation_error_message="A figure needs a unit.",
            ),
            models.UniqueConstraint(
                fields=["claim", "label"],
                name="claim_figure_label_unique",
                violation_error_message="This claim already has a figure with this label.",
            ),
        ]

    def __str__(self):
        return f"{self.label}: {readable_figure(self)}"

    def natural_key(self):
        return (self.claim.slug, self.label)

    natural_key.dependencies = ["dialogues.claim"]

    PARENT = "claim"
    VISIBLE_FIELDS = ("claim", "label", "value", "unit", "qualifier", "as_of")


class Commentary(CorrectableMixin, TimestampedModel, WithdrawableModel, VersionedModel, SluggedModel):
    """The publication's own analysis, tied to a section of its coverage."""

    coverage = models.ForeignKey(Coverage, on_delete=models.CASCADE, related_name="commentaries")
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commentaries",
        help_text="Empty: the coverage's introduction.",
    )
    title = models.CharField(max_length=250, validators=CLEAN_TEXT)
    body = models.TextField(validators=CLEAN_TEXT, help_text="Markdown; rendered sanitized.")
    position = models.PositiveSmallIntegerField(default=0)
    quotes = models.ManyToManyField(Quote, blank=True, related_name="commentaries")
    claims = models.ManyToManyField(Claim, blank=True, related_name="commentaries")
    topics = models.ManyToManyField(Topic, blank=True, related_name="commentaries")
    corrections = GenericRelation(Correction)

    CORRECTED_FIELDS = ("title", "body", "section", "quotes", "claims", *WITHDRAWAL_FIELDS)
    SEARCH_FIELDS = COMMENTARY_SEARCH_FIELDS

    objects = WithdrawableContentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["coverage", "section__number", "position"]
        verbose_name_plural = "commentaries"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.coverage.get_absolute_url()}#commentary-{self.slug}"

    def clean(self):
        if self.section_id and self.coverage_id and self.section.coverage_id != self.coverage_id:
            raise ValidationError({"section": "The section belongs to another coverage."})
