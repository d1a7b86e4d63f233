from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from dialogues.labels import titled


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Proposal.Status.PENDING)

    def sent_back_to(self, user):
        """``user``'s proposals an Editor sent back, the latest first."""
        return self.filter(status=Proposal.Status.SENT_BACK, proposed_by=user).order_by("-reviewed_at", "-pk")

    def about(self, items):
        """Proposals that change any of ``items`` (saved objects of one model)."""
        items = list(items)
        if not items:
            return self.none()
        content_type = ContentType.objects.get_for_model(type(items[0]))
        return self.filter(content_type=content_type, object_id__in=[item.pk for item in items])

    def visible_to(self, user):
        """Editors review everyone's proposals; a Contributor follows their own."""
        from dialogues.permissions import is_editor

        return self if is_editor(user) else self.filter(proposed_by=user)


class Proposal(models.Model):
    """A Contributor's change to what readers see, waiting for an Editor.

    ``target`` is the published item or live entity to change; empty for a new item added to
    published coverage (or a new entity readers would see at once), which gets its id when it is
    approved. ``changes`` holds the proposed field values, as ``services.propose_change`` writes
    them, and ``rows`` the rows typed into the tables inside the target's form (a claim's figures);
    ``base_version`` and ``base_values`` (and each row's ``was``) what they change as it was then,
    so approving never silently undoes an edit made in between (``services.proposal_conflicts``)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SENT_BACK = "sent_back", "Sent back"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)  # empty: rows only
    # Each {"model", "fk", "id", "values", "delete", "was"}: id None for a new row.
    rows = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)
    # Empty for proposals made before these were recorded: those are approved as they are.
    base_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The target's version when this was proposed."
    )
    base_values = models.JSONField(
        default=dict, blank=True, encoder=DjangoJSONEncoder, help_text="The changed fields' values then."
    )
    correction_note = models.TextField(blank=True, help_text="Shown to readers if approved.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [models.Index(fields=["status", "proposed_at"], name="proposal_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(reviewed_at__isnull=False),
                name="proposal_reviewed_has_time",
            ),
        ]

    def __str__(self):
        return f"Proposal: {self.subject_title}"

    def get_absolute_url(self):
        return reverse("admin:dialogues_proposal_change", args=[self.pk])

    @property
    def subject_title(self):
        """What it changes, as an editor reads it (``labels.titled``): “Quote: AI will become
        your digital partner”, or “New quote”. Lists prefetch ``target``."""
        name = self.content_type.name
        if not self.object_id:
            return f"New {name}"
        target = self.target
        return titled(target) if target is not None else f"{capfirst(name)} #{self.object_id} (deleted)"

    def model(self):
        return self.content_type.model_class()
