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


def visible_change(*, instance, changed_fields, note="", typo_fix=False, by):
    """The one rule for changing what readers of published content saw, whatever the path
    (admin form, history restore, API, services): it needs a public correction note, or an
    Editor's mark that it is a typo fix, kept in history (``history_change_reason``) instead.

    Returns the note to publish once the change is saved (``correction_add``), or ``""``;
    raises ``ValidationError`` on ``correction_note`` or ``typo_fix``."""
    note = (note or "").strip()
    needs_note = getattr(instance, "needs_correction_note", None)
    changed = needs_note(list(changed_fields)) if needs_note else []
    if typo_fix:
        if by is None or not can_publish(by):
            raise ValidationError({"typo_fix": "Only editors may mark a change as a typo fix."})
        instance._change_reason = f"Typo fix: {note or ', '.join(changed) or 'no visible change'}"
        return ""
    if changed and not note:
        labels = ", ".join(str(instance._meta.get_field(name).verbose_name) for name in changed)
        raise ValidationError(
            {"correction_note": f"This is published: say in a public correction note why {labels} changed."}
        )
    return note


@transaction.atomic
def coverage_submit_for_review(*, coverage, by):
    if coverage.status == Coverage.Status.PUBLISHED:
        raise ValidationError("Published coverage cannot go back to review; unpublish it first.")
    coverage.status = Coverage.Status.IN_REVIEW
    return _save(coverage, by)


@transaction.atomic
def coverage_publish(*, coverage, by, at=None, note="", typo_fix=False):
    """Publish now, or schedule for ``at``: until then readers do not see it. Publishing again
    what readers have seen (a new date) needs a correction note; its first publication stays."""
    if not can_publish(by):
        raise PermissionDenied("Only editors can publish.")
    note = visible_change(
        instance=coverage, changed_fields=["status", "publish_at"], note=note, typo_fix=typo_fix, by=by
    )
    coverage.status = Coverage.Status.PUBLISHED
    coverage.publish_at = at or timezone.now()
    return _noted(_save(coverage, by), note, by)


@transaction.atomic
def coverage_unpublish(*, coverage, by, note="", typo_fix=False):
    """Back to draft. Taking down what readers have seen needs a correction note."""
    if not can_publish(by):
        raise PermissionDenied("Only editors can unpublish.")
    note = visible_change(instance=coverage, changed_fields=["status"], note=note, typo_fix=typo_fix, by=by)
    coverage.status = Coverage.Status.DRAFT
    return _noted(_save(coverage, by), note, by)


def _noted(subject, note, by):
    if note:
        correction_add(subject=subject, note=note, by=by)
    return subject


@transaction.atomic
def withdraw(*, item, by, note):
    """Take a published quote or claim back: it leaves every list, its URL answers 410 with the
    date and ``note``, and the article's correction log lists the withdrawal. Never a delete."""
    if by is None or not can_publish(by):
        raise PermissionDenied("Only editors can withdraw published content.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"withdrawal_note": "Say why it is withdrawn: readers see this note."})
    if item.withdrawn_at is not None:
        raise ValidationError("This was withdrawn already.")
    item.withdrawn_at, item.withdrawal_note = timezone.now(), note
    item._history_user = by
    item._change_reason = f"Withdrawn: {note}"
    item.save()
    return item


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
