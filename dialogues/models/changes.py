from django.db import models
from django.utils import timezone


class PublicRecord(models.Model):
    """One item readers could see when the change feed last looked, as it was then: the feed
    compares the archive with these to tell what was published, updated or taken away since."""

    resource = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    slug = models.CharField(max_length=120, null=True, help_text="None for what has no slug (fact sources).")
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "object_id"], name="public_record_once_per_item"),
        ]

    def __str__(self):
        return f"{self.resource} {self.object_id}"


class Change(models.Model):
    """An entry of the API's change feed (``/api/v1/changes/``): what happened to an item
    readers can or could see. Its ``pk`` is the feed's cursor."""

    class Action(models.TextChoices):
        PUBLISHED = "published", "published"
        UPDATED = "updated", "updated"
        WITHDRAWN = "withdrawn", "withdrawn"
        UNPUBLISHED = "unpublished", "unpublished"
        DELETED = "deleted", "deleted"

    resource = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    slug = models.CharField(
        max_length=120,
        null=True,
        help_text="The item's slug when the change was recorded; None for what has no slug (fact sources).",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = "change feed entry"
        verbose_name_plural = "change feed"

    def __str__(self):
        return f"{self.resource} {self.object_id} {self.action}"


class ChangeFeedState(models.Model):
    """The one row saying which content generation the feed last caught up with; its update
    also serialises the feed's writers."""

    generation = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return self.generation or "never"
