import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogues.perf.urls import slug_url
from dialogues.validators import validate_language_tag

from .base import (
    CLEAN_TEXT,
    ConstraintErrorsOnFields,
    CorrectableMixin,
    RowOfCorrectable,
    SluggedModel,
    SlugQuerySet,
    TimestampedModel,
    VersionedModel,
    published_q,
    seen_q,
)
from .events import Dialogue
from .fields import HttpsURLField
from .people import Topic


class CoverageQuerySet(SlugQuerySet):
    def published(self, *, scheduled=False):
        return self.filter(published_q(scheduled=scheduled))

    def scheduled(self):
        return self.filter(status=Coverage.Status.PUBLISHED, publish_at__gt=timezone.now())

    def gone(self):
        """Coverage readers saw that an Editor has taken down (unpublished, or rescheduled for
        later): its URL answers 410, as a withdrawn quote's does, with ``withdrawn_at`` and
        ``withdrawal_note`` from its latest correction, the note taking it down required."""
        from .statements import Correction  # statements imports this module

        latest = Correction.objects.about_each(Coverage).filter(object_id=OuterRef("pk")).order_by("-made_at")
        return (
            self.filter(seen_q())
            .exclude(published_q())
            .annotate(
                withdrawn_at=Coalesce(Subquery(latest.values("made_at")[:1]), "updated_at"),
                withdrawal_note=Coalesce(
                    Subquery(latest.values("note")[:1]), models.Value(""), output_field=models.TextField()
                ),
            )
        )

    def in_review(self):
        """Coverage waiting for an Editor, with who submitted it and since when
        (``submitted_by``, ``submitted_at``): the first save of its current stretch in review,
        from its history. Oldest first: the longest wait is the first to take."""
        history = Coverage.history.model.objects.filter(id=OuterRef("pk")).order_by()
        left_review = history.exclude(status=Coverage.Status.IN_REVIEW).order_by("-history_date")
        since = Coalesce(
            OuterRef("left_review_at"), models.Value(datetime.datetime.min.replace(tzinfo=datetime.UTC))
        )
        submission = history.filter(status=Coverage.Status.IN_REVIEW, history_date__gt=since).order_by(
            "history_date"
        )
        return (
            self.filter(status=Coverage.Status.IN_REVIEW)
            .annotate(left_review_at=Subquery(left_review.values("history_date")[:1]))
            .annotate(
                submitted_at=Subquery(submission.values("history_date")[:1]),
                submitted_by=Subquery(submission.values("history_user__username")[:1]),
            )
            .order_by(models.F("submitted_at").asc(nulls_first=True), "pk")
        )

    def drafts_of(self, user):
        return self.filter(status=Coverage.Status.DRAFT, created_by=user)

    def sent_back_to(self, user):
        """``user``'s drafts an Editor sent back with a note (``review_note``): theirs to fix."""
        return self.drafts_of(user).exclude(review_note="")

    def for_page(self):
        """The article's row with its dialogue and event, and whether any correction was made;
        what else its page prints is ``page_lookups()``, loaded only when the page's cached
        sections are missing."""
        from .statements import Correction

        corrections = Correction.objects.about_each(Coverage).filter(object_id=OuterRef("pk"))
        return self.select_related("dialogue__event").annotate(has_corrections=Exists(corrections))

    @staticmethod
    def page_lookups():
        """For ``prefetch_related``: participants with their titles, sections, topics."""
        from .events import Participant
        from .people import Affiliation

        participants = Participant.objects.select_related("speaker").prefetch_related(
            models.Prefetch(
                "speaker__affiliations", queryset=Affiliation.objects.select_related("organization")
            )
        )
        return ("sections", "topics", models.Prefetch("dialogue__participants", queryset=participants))

    def teasers(self):
        """What a list of coverage prints (title, dek, event, date): never the verbatim article,
        which is most of each row."""
        return self.select_related("dialogue__event").defer(
            "source_text", "copyright_notice", "dialogue__summary"
        )


# What site search matches: its document on PostgreSQL (migration 0009) and its FTS5 table on
# SQLite (0006) are built from exactly these.
COVERAGE_SEARCH_FIELDS = ("title", "dek", "source_text")


class Coverage(CorrectableMixin, TimestampedModel, VersionedModel, SluggedModel):
    """An article about a dialogue, with its full source text kept verbatim."""

    CORRECTED_FIELDS = (
        "title",
        "dek",
        "dialogue",
        "source_publication",
        "author",
        "copyright_notice",
        "original_url",
        "language",
        "translated_from",
        "original_published_on",
        "source_text",
        "status",
        "publish_at",
        "first_published_at",  # kept by save(); only a load can change it
        "sections",  # rows of its form (``RowsFormSet``): numbers and headings readers see
    )
    SEARCH_FIELDS = COVERAGE_SEARCH_FIELDS

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")

    title = models.CharField(max_length=300, validators=CLEAN_TEXT)
    dek = models.TextField(blank=True, validators=CLEAN_TEXT, help_text="The standfirst under the title.")
    dialogue = models.ForeignKey(Dialogue, on_delete=models.PROTECT, related_name="coverages")
    source_publication = models.CharField(max_length=200, blank=True, validators=CLEAN_TEXT)
    author = models.CharField(max_length=200, blank=True, validators=CLEAN_TEXT)
    copyright_notice = models.TextField(blank=True, validators=CLEAN_TEXT)
    original_url = HttpsURLField(blank=True, max_length=500)
    language = models.CharField(max_length=20, default="en", validators=[validate_language_tag])
    translated_from = models.CharField(
        max_length=20,
        blank=True,
        validators=[validate_language_tag],
        help_text="Language of the original, if this text is a translation.",
    )
    original_published_on = models.DateField(
        null=True, blank=True, help_text="When the source publication first ran it."
    )
    source_text = models.TextField(
        validators=CLEAN_TEXT,
        help_text="The article exactly as published: quotes and claims anchor into this text.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When it goes (or went) live; a future time schedules it."
    )
    first_published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When readers first saw it; never moves after."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="coverages")
    corrections = GenericRelation("Correction")
    # The draft's owner: another Contributor may not change it (dialogues.permissions).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Why an Editor sent it back to its author (services.coverage_send_back); cleared when it is
    # submitted again. Staff only: readers never see it.
    review_note = models.TextField(blank=True, editable=False)

    objects = CoverageQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-publish_at", "-original_published_on", "title"]
        verbose_name_plural = "coverage"
        permissions = [("publish_coverage", "Can publish, schedule and unpublish coverage")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="coverage_published_has_publish_time",
                violation_error_message="Published coverage needs a publish time.",
            ),
            models.CheckConstraint(
                condition=~Q(translated_from=models.F("language")),
                name="coverage_translated_from_other_language",
                violation_error_message="A translation comes from a language other than its own.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="coverage_published_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("dialogues:coverage-detail", self.slug)

    def save(self, *args, **kwargs):
        now = timezone.now()
        # Until readers have seen it, the first publication follows the (scheduled) publish time;
        # from then on it stays, through unpublishing, rescheduling and publishing again.
        if self.first_published_at is None:
            self.first_published_at = self.first_seen_as_stored(now)
        if self.first_published_at is None or self.first_published_at > now:
            scheduled = self.status == self.Status.PUBLISHED and self.publish_at is not None
            self.first_published_at = self.publish_at if scheduled else None
        super().save(*args, **kwargs)

    def first_seen_as_stored(self, now):
        """When readers first saw the saved row: ``first_published_at``, or for rows loaded raw
        (fixtures, restores), which know only whether they were live, their publish time then."""
        if self.first_published_at is not None or self.pk is None:
            return self.first_published_at
        return (
            type(self)
            ._base_manager.filter(pk=self.pk, status=self.Status.PUBLISHED, publish_at__lte=now)
            .values_list("publish_at", flat=True)
            .first()
        )

    @property
    def first_published(self):
        """When readers first saw it; rows loaded raw (fixtures) may only know their publish time."""
        if self.first_published_at is not None:
            return self.first_published_at
        return self.publish_at if self.status == self.Status.PUBLISHED else None

    @property
    def was_published(self):
        """Readers have seen it, whether or not it is published now."""
        return self.is_published or (
            self.first_published_at is not None and self.first_published_at <= timezone.now()
        )

    def is_live(self):
        return self.was_published

    def readers_see_from(self):
        """When readers see it (a time to come, if scheduled), or None while it is not published.
        The one answer the caches, webhooks and write rules ask of coverage and what is in it."""
        return self.publish_at if self.status == self.Status.PUBLISHED else None

    @property
    def is_scheduled(self):
        """Published with a time still to come: readers see it from then."""
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    def get_state_display(self):
        """The status as the desk reads it: “Scheduled” for published with a time to come."""
        return "Scheduled" if self.is_scheduled else self.get_status_display()

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    def clean(self):
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            raise ValidationError({"publish_at": "Set a publish time to publish (now or later)."})
        now = timezone.now()
        first = self.first_seen_as_stored(now)
        # To the second: forms post times without microseconds (``publish_time_now``).
        if (
            first is not None
            and first <= now
            and self.publish_at
            and self.publish_at < first.replace(microsecond=0)
        ):
            # Lists, feeds and the API date coverage by its publish time: earlier than when
            # readers first saw it would backdate it (POLICY.md: the first publication stays).
            raise ValidationError(
                {
                    "publish_at": "Readers first saw this on "
                    f"{timezone.localtime(first):%Y-%m-%d %H:%M}: its publish time cannot be earlier."
                }
            )
        broken = self.anchors_broken_by(self.source_text)
        if broken:
            from dialogues.labels import sentence

            raise ValidationError(
                {
                    "source_text": sentence(
                        "This edit removes passages that these point to: " + "; ".join(broken)
                    )
                }
            )

    def anchors_broken_by(self, source_text):
        """The quotes and claims whose passage ``source_text`` no longer holds: their pages would
        have nothing to show (it made them 500s)."""
        from dialogues.anchors import AnchorError, locate

        if self.pk is None:
            return []
        from dialogues.labels import titled

        broken = []
        for items, words in ((self.quotes.all(), "text"), (self.claims.all(), "statement")):
            for item in items.only(words, "anchor_exact", "anchor_prefix", "anchor_suffix"):
                try:
                    locate(source_text, item.selector)
                except AnchorError:
                    broken.append(titled(item))  # by its words: editors do not know slugs
        return broken

    def section_at(self, position):
        """The section the character at ``position`` of the source text sits in (the last
        heading before it, as ``Section.span`` reads), or None in the introduction."""
        found = None
        for section in self.sections.all():
            start = section.heading_start()
            if 0 <= start <= position and (found is None or start > found[0]):
                found = (start, section)
        return found[1] if found else None


class SectionManager(models.Manager):
    def get_by_natural_key(self, coverage_slug, number):
        return self.get(coverage__slug=coverage_slug, number=number)


class Section(RowOfCorrectable, ConstraintErrorsOnFields, models.Model):
    """A numbered section of a coverage (“01 From Cognitive AI to Physical AI”)."""

    coverage = models.ForeignKey(Coverage, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(
        max_length=250, validators=CLEAN_TEXT, help_text="The heading exactly as the source text has it."
    )
    subtitle = models.CharField(max_length=300, blank=True, validators=CLEAN_TEXT)

    objects = SectionManager()
    constraint_fields = {"section_number_unique": "number"}

    class Meta:
        ordering = ["coverage", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["coverage", "number"],
                name="section_number_unique",
                violation_error_message="This coverage already has a section with this number.",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="section_number_positive"),
        ]

    def __str__(self):
        return f"{self.number:02d} {self.title}"

    def get_absolute_url(self):
        return f"{self.coverage.get_absolute_url()}#{self.html_id}"

    PARENT = "coverage"
    VISIBLE_FIELDS = ("coverage", "number", "title", "subtitle")

    def natural_key(self):
        return (self.coverage.slug, self.number)

    natural_key.dependencies = ["dialogues.coverage"]

    @property
    def html_id(self):
        return f"section-{self.number}"

    def heading_start(self):
        """Where the heading stands in the source text; -1 when it is not there."""
        return self.coverage.source_text.find(self.title)

    def span(self):
        """``(start, end)`` of the section in the source text: up to the next section."""
        start = self.heading_start()
        following = [s.heading_start() for s in self.coverage.sections.all() if s.number > self.number]
        following = [position for position in following if position > start]
        return start, min(following, default=len(self.coverage.source_text))

    def clean(self):
        # On a new coverage's form the inline's row holds the unsaved coverage (no id yet): its
        # headings are checked then too, not first on the next save.
        coverage = self.coverage if self.coverage_id or Section.coverage.is_cached(self) else None
        if coverage is not None and self.title:
            count = coverage.source_text.count(self.title)
            if count != 1:
                raise ValidationError(
                    {
                        "title": "The heading must occur exactly once in the source text "
                        f"(found {count} times)."
                    }
                )
