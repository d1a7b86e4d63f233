from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from dialogues.perf.urls import slug_url

from .base import (
    CLEAN_TEXT,
    ConstraintErrorsOnFields,
    SluggedModel,
    SlugQuerySet,
    TimestampedModel,
    VersionedModel,
    published_q,
)
from .fields import HttpsURLField
from .people import Organization, Speaker


class EventQuerySet(SlugQuerySet):
    def published(self, *, scheduled=False):
        return self.filter(
            pk__in=self.model.objects.filter(
                published_q("dialogues__coverages__", scheduled=scheduled)
            ).values("pk")
        )


class Event(TimestampedModel, VersionedModel, SluggedModel):
    name = models.CharField(max_length=200, validators=CLEAN_TEXT)
    short_name = models.CharField(max_length=80, blank=True, validators=CLEAN_TEXT)
    edition = models.CharField(max_length=40, blank=True, help_text="e.g. “3rd”.", validators=CLEAN_TEXT)
    year = models.PositiveSmallIntegerField()
    city = models.CharField(max_length=120, blank=True, validators=CLEAN_TEXT)
    country = models.CharField(max_length=120, blank=True, validators=CLEAN_TEXT)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    website = HttpsURLField(blank=True)
    organizer = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    description = models.TextField(blank=True, validators=CLEAN_TEXT)

    fact_sources = GenericRelation("dialogues.FactSource")
    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="event_dates_in_order",
                violation_error_message="An event cannot end before it starts.",
            ),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=2200), name="event_year_plausible"),
        ]

    def __str__(self):
        edition = f"{self.edition} " if self.edition else ""
        return f"{edition}{self.name} ({self.year})"

    def get_absolute_url(self):
        return slug_url("dialogues:event-detail", self.slug)

    @property
    def display_name(self):
        return self.short_name or self.name


class DialogueQuerySet(SlugQuerySet):
    def published(self, *, scheduled=False):
        from .coverage import Coverage

        # EXISTS per dialogue, not ``pk IN (every dialogue with published coverage)``: that
        # list grows with the archive and was built for each speaker page.
        published = Coverage.objects.published(scheduled=scheduled)
        return self.filter(Exists(published.filter(dialogue=OuterRef("pk"))))

    def with_counts_by(self, speaker, *, preview):
        """The dialogues ``speaker`` took part in, each with how many of their quotes and claims
        a reader who may (``preview``) or may not see drafts can read."""
        from .statements import Claim, Quote

        return (
            self.filter(participants__speaker=speaker)
            .select_related("event")
            .annotate(
                quote_count=Quote.objects.visible_when(preview=preview)
                .by_speaker(speaker)
                .count_per_dialogue(),
                claim_count=Claim.objects.visible_when(preview=preview)
                .by_speaker(speaker)
                .count_per_dialogue(),
            )
        )


class Dialogue(TimestampedModel, VersionedModel, SluggedModel):
    class Format(models.TextChoices):
        FIRESIDE_CHAT = "fireside_chat", _("Fireside chat")
        PANEL = "panel", _("Panel")
        INTERVIEW = "interview", _("Interview")
        KEYNOTE = "keynote", _("Keynote")
        DEBATE = "debate", _("Debate")

    title = models.CharField(max_length=250, validators=CLEAN_TEXT)
    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="dialogues")
    held_on = models.DateField(null=True, blank=True)
    format = models.CharField(max_length=32, choices=Format.choices, default=Format.FIRESIDE_CHAT)
    duration_minutes = models.PositiveSmallIntegerField(
        "approximate duration (minutes)", null=True, blank=True
    )
    summary = models.TextField(blank=True, validators=CLEAN_TEXT)
    speakers = models.ManyToManyField(Speaker, through="Participant", related_name="dialogues")
    topics = models.ManyToManyField("Topic", blank=True, related_name="dialogues")

    fact_sources = GenericRelation("dialogues.FactSource")
    objects = DialogueQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[topics], excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-held_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__gt=0, duration_minutes__lte=24 * 60),
                name="dialogue_duration_plausible",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("dialogues:dialogue-detail", self.slug)

    def non_participants(self, speakers):
        """Names of the given speakers who were not on stage in this dialogue."""
        on_stage = set(self.participants.values_list("speaker_id", flat=True))
        return [speaker.name for speaker in speakers if speaker.pk not in on_stage]

    def clean(self):
        event = self.event if self.event_id else None
        known_dates = event and self.held_on and event.starts_on and event.ends_on
        if known_dates and not event.starts_on <= self.held_on <= event.ends_on:
            raise ValidationError({"held_on": f"{event} ran from {event.starts_on} to {event.ends_on}."})


class ParticipantManager(models.Manager):
    def get_by_natural_key(self, dialogue_slug, speaker_slug):
        return self.get(dialogue__slug=dialogue_slug, speaker__slug=speaker_slug)


class Participant(ConstraintErrorsOnFields, models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        PANELIST = "panelist", _("Panelist")
        INTERVIEWER = "interviewer", _("Interviewer")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="participants")
    speaker = models.ForeignKey(Speaker, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SPEAKER)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order of appearance on stage.")

    objects = ParticipantManager()
    constraint_fields = {"participant_once_per_dialogue": "speaker"}

    class Meta:
        ordering = ["dialogue", "position", "speaker__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "speaker"],
                name="participant_once_per_dialogue",
                violation_error_message="This speaker already takes part in this dialogue.",
            ),
        ]

    def __str__(self):
        return f"{self.speaker} ({self.get_role_display().lower()}) in {self.dialogue}"

    def natural_key(self):
        return (self.dialogue.slug, self.speaker.slug)

    natural_key.dependencies = ["dialogues.dialogue", "dialogues.speaker"]
