from decimal import InvalidOperation

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst

from dialogues.readable import readable_number

from .base import AnchoredModel
from .coverage import Coverage
from .people import Organization
from .statements import Claim, ClaimFigure, Quote


class ImportProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ImportProposal.Status.PENDING)

    def reviewable_by(self, user):
        """The proposals ``user`` may review, as ``permissions.write_access`` decides for their
        coverage: all for Editors; for a Contributor, those of coverage they created, of
        coverage with no owner on record, and of coverage readers see (changes proposed)."""
        from dialogues.permissions import is_editor

        if is_editor(user):
            return self
        return self.filter(
            Q(coverage__created_by=user)
            | Q(coverage__created_by__isnull=True)
            | Q(coverage__in=Coverage.objects.published(scheduled=True))
        )

    def for_review(self, coverage):
        """A coverage's proposals in text order, each with what accepting it made."""
        return self.filter(coverage=coverage).select_related("parent", "result_type", "decided_by")


class ImportProposal(AnchoredModel):
    """Something the import assistant found in a coverage's text (a quote, claim, figure or
    entity), kept apart from the content until an editor accepts it.

    Proposals are rows of their own, not drafts marked as imported: organizations and
    products are public the moment they exist (``permissions.PUBLIC_ON_CREATION``), a figure
    needs its claim first, and a rejected proposal should leave nothing behind to clean up.
    Accepting one writes through the normal rule (``importing.service.accept``)."""

    class Kind(models.TextChoices):
        QUOTE = "quote", "Quote"
        CLAIM = "claim", "Claim"
        FIGURE = "figure", "Figure"
        ENTITY = "entity", "Entity"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        MERGED = "merged", "Merged into another"

    class EntityKind(models.TextChoices):
        """What an entity proposal (``data["entity_kind"]``) becomes when accepted."""

        ORGANIZATION = "organization", "Organization"
        PRODUCT = "product", "Product"
        REPORT = "report", "Report (a fact source)"

    coverage = models.ForeignKey(Coverage, on_delete=models.CASCADE, related_name="import_proposals")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    position = models.PositiveIntegerField(help_text="Where the passage starts in the source text.")
    data = models.JSONField(default=dict, help_text="The proposed fields, as the assistant found them.")
    # A figure belongs to the claim proposal of its sentence.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    # What accepting it made or linked: a quote, claim, figure or entity, or the pending
    # ``Proposal`` a Contributor's accepted entity became.
    result_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result_id = models.PositiveBigIntegerField(null=True, blank=True)
    result = GenericForeignKey("result_type", "result_id")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ImportProposalQuerySet.as_manager()

    class Meta:
        ordering = ["coverage", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="import_proposal_decided_has_time",
            ),
        ]
        indexes = [models.Index(fields=["coverage", "status"], name="import_proposal_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary}"

    @property
    def summary(self):
        data = self.data
        words = data.get("text") or data.get("statement") or data.get("name") or data.get("label") or ""
        if self.kind == self.Kind.FIGURE:
            # As readers will see it ("about US$4.5 billion"), not the stored "about 4500000000 USD".
            try:
                amount = readable_number(data.get("value"), data.get("unit", ""), data.get("qualifier", ""))
            except (InvalidOperation, TypeError, ValueError):
                amount = f"{data.get('value')} {data.get('unit', '')}".strip()
            words = f"{data.get('label')}: {amount}"
        return words if len(words) <= 80 else words[:77] + "…"

    # A proposal's fields are named after those of what accepting it makes: their labels too.
    BECOMES = {"quote": Quote, "claim": Claim, "figure": ClaimFigure, "entity": Organization}

    @classmethod
    def field_label(cls, kind, name):
        """The human label of a proposed field ("As of", not "as_of"), for the review screen
        and the reasons it gives."""
        if name == "entity_kind":
            return "Kind of entity"
        try:
            return capfirst(cls.BECOMES[kind]._meta.get_field(name).verbose_name)
        except (KeyError, FieldDoesNotExist):
            return capfirst(name.replace("_", " "))

    @property
    def entity_kind_label(self):
        kind = self.data.get("entity_kind", "")
        return self.EntityKind(kind).label if kind in self.EntityKind.values else kind
