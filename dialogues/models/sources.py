from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q

from .base import CLEAN_TEXT, ConstraintErrorsOnFields, TimestampedModel
from .fields import HttpsURLField


class FactSourceQuerySet(models.QuerySet):
    def get_by_natural_key(self, app_label, model, *subject_key_and_fact):
        *subject_key, fact = subject_key_and_fact
        content_type = ContentType.objects.db_manager(self.db).get_by_natural_key(app_label, model)
        subject = (
            content_type.model_class()._default_manager.db_manager(self.db).get_by_natural_key(*subject_key)
        )
        return self.get(content_type=content_type, object_id=subject.pk, fact=fact)

    def published(self, *, scheduled=False):
        """Sources of facts about objects readers may see: a fact about an unpublished speaker
        or event would name it. Subjects whose model has no ``published()`` are public."""
        visible = Q(pk__in=[])
        for content_type in ContentType.objects.filter(pk__in=self.values("content_type")):
            model = content_type.model_class()
            published = getattr(model.objects, "published", None) if model is not None else None
            subjects = Q(content_type=content_type)
            if published is not None:
                subjects &= Q(object_id__in=published(scheduled=scheduled).values("pk"))
            visible |= subjects
        return self.filter(visible)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)

    def about(self, instance):
        return self.filter(content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk)


class FactSource(ConstraintErrorsOnFields, TimestampedModel):
    """Where a fact the coverage's text does not state comes from (an event's dates, a speaker's
    Wikidata id, who makes a product), and whether an Editor has confirmed it.

    ``fact`` names the field of the subject it supports, so a page can print the source beside
    the value. Fixtures name the subject by its natural key (``subject: [slug]``); see
    ``dialogues.serialization``."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    fact = models.CharField(
        max_length=60, help_text="The field of the subject this source supports, e.g. “held_on”."
    )
    title = models.CharField(max_length=300, validators=CLEAN_TEXT)
    url = HttpsURLField("URL", max_length=500)
    accessed_on = models.DateField("date accessed")
    note = models.TextField(blank=True, validators=CLEAN_TEXT, help_text="What the source says, briefly.")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = FactSourceQuerySet.as_manager()
    constraint_fields = {"factsource_one_per_fact": "fact"}

    class Meta:
        ordering = ["content_type", "object_id", "fact", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="factsource_subject_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "fact"],
                name="factsource_one_per_fact",
                violation_error_message="This fact already has a source.",
            ),
            models.CheckConstraint(
                condition=Q(url__startswith="https://"),
                name="factsource_url_https",
                violation_error_message="A fact's source must be an https URL.",
            ),
        ]

    def __str__(self):
        return f"{self.subject}: {self.fact} ({self.title})"

    def natural_key(self):
        return (*self.content_type.natural_key(), *self.subject.natural_key(), self.fact)

    natural_key.dependencies = [
        "contenttypes.contenttype",
        "dialogues.event",
        "dialogues.dialogue",
        "dialogues.speaker",
        "dialogues.affiliation",
        "dialogues.organization",
        "dialogues.product",
        "dialogues.evidencesource",
        "dialogues.claim",
    ]

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

    def confirm(self, *, by):
        """An Editor checked the source and it supports the fact (``can_publish`` decides who)."""
        from django.utils import timezone

        self.confirmed_by, self.confirmed_at = by, timezone.now()
        self.save(update_fields=["confirmed_by", "confirmed_at"])

    def clean(self):
        if not self.content_type_id:
            return
        model = self.content_type.model_class()
        try:
            model._meta.get_field(self.fact)
        except FieldDoesNotExist:
            raise ValidationError(
                {"fact": f"{model._meta.verbose_name.capitalize()} has no field “{self.fact}”."}
            ) from None
        if self.object_id and not model._default_manager.filter(pk=self.object_id).exists():
            raise ValidationError({"object_id": f"No {model._meta.verbose_name} with id {self.object_id}."})
