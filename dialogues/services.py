"""Writes that touch several rows or carry a workflow rule. The admin, the API and management
commands all call these, so a rule lives in exactly one place."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dialogues.models import Correction, Coverage
from dialogues.permissions import can_publish


def _save(coverage, by):
    coverage.full_clean()
    coverage._history_user = by  # django-simple-history records who made the change
    coverage.save()
    return coverage


@transaction.atomic
def coverage_submit_for_review(*, coverage, by):
    if coverage.status == Coverage.Status.PUBLISHED:
        raise ValidationError("Published coverage cannot go back to review; unpublish it first.")
    coverage.status = Coverage.Status.IN_REVIEW
    return _save(coverage, by)


@transaction.atomic
def coverage_publish(*, coverage, by, at=None):
    """Publish now, or schedule for ``at``: until then readers do not see it."""
    if not can_publish(by):
        raise PermissionDenied("Only editors can publish.")
    coverage.status = Coverage.Status.PUBLISHED
    coverage.publish_at = at or timezone.now()
    return _save(coverage, by)


@transaction.atomic
def coverage_unpublish(*, coverage, by):
    if not can_publish(by):
        raise PermissionDenied("Only editors can unpublish.")
    coverage.status = Coverage.Status.DRAFT
    return _save(coverage, by)


@transaction.atomic
def correction_add(*, subject, note, by):
    """Record a public correction note on published content."""
    correction = Correction(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        note=note,
        made_at=timezone.now(),
        made_by=by if by is not None and by.is_authenticated else None,
    )
    correction.full_clean()
    correction.save()
    return correction
