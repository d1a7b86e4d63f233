"""Writes that touch several rows or carry a workflow rule. The admin, the API and management
commands all call these, so a rule lives in exactly one place."""

import dataclasses
import json

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator, capfirst

from dialogues.models import Correction, Coverage, Proposal
from dialogues.models.base import EditConflict
from dialogues.permissions import (
    MANAGING_EDITOR,
    ROLES,
    Access,
    can_manage_users,
    can_publish,
    can_schedule,
    is_editor,
    write_access,
)


def set_change_reason(instance, text):
    """Record ``text`` as the history row's change reason, cut to what that column holds (100
    characters): a long public note is kept whole where readers see it (the correction or the
    withdrawal note), and must not fail the save (PostgreSQL refuses an over-long value)."""
    history = getattr(type(instance), "history", None)
    limit = history.model._meta.get_field("history_change_reason").max_length if history else None
    instance._change_reason = Truncator(text).chars(limit) if limit else text


def _save(coverage, by):
    coverage.full_clean()
    coverage._history_user = by  # django-simple-history records who made the change
    coverage.save()
    return coverage


def field_label(model, name):
    """What a form calls ``name``: its verbose name, or for rows of another table (a claim's
    figures) that table's plural name."""
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", None) or field.related_model._meta.verbose_name_plural)


def row_relation(row_model, fk):
    """The name a parent reaches the rows of ``row_model`` by (``figures`` for ClaimFigure)."""
    return row_model._meta.get_field(fk).remote_field.get_accessor_name()


def visible_change(*, instance, changed_fields, note="", typo_fix=False, by):
    """The one rule for changing what readers of published content saw, whatever the path
    (admin form, history restore, API, services): it needs a public correction note, or an
    Editor's mark that it is a typo fix, kept in history (``history_change_reason``) instead.

    Returns the note to publish once the change is saved (``correction_add``), or ``""`` (also
    when nothing readers see changed: no correction for that); raises ``ValidationError`` on
    ``correction_note`` or ``typo_fix``."""
    note = (note or "").strip()
    needs_note = getattr(instance, "needs_correction_note", None)
    changed = needs_note(list(changed_fields)) if needs_note else []
    if typo_fix:
        if by is None or not can_publish(by):
            raise ValidationError(
                {
                    "typo_fix": "Only editors may mark a change as a typo fix: write a public correction note instead."
                }
            )
        # Labels as the form shows them ("Words"), not field names ("text").
        labels = ", ".join(capfirst(field_label(type(instance), name)) for name in changed)
        set_change_reason(instance, f"Typo fix: {note or labels or 'no visible change'}")
        return ""
    if changed and not note:
        labels = ", ".join(field_label(type(instance), name) for name in changed)
        raise ValidationError(
            {"correction_note": f"This is published: say in a public correction note why {labels} changed."}
        )
    if needs_note and not changed:
        # Nothing readers see changed: a correction would point them to a change they cannot
        # find, and saving for it alone would move the version under other editors.
        return ""
    if note:
        set_change_reason(instance, note)  # the history's "change reason" is the public note
    return note


@transaction.atomic
def coverage_submit_for_review(*, coverage, by):
    if coverage.status == Coverage.Status.PUBLISHED:
        raise ValidationError(
            "Published coverage cannot go back to review; unpublish it first."
            if can_publish(by)
            # Contributors cannot unpublish: say what they can do.
            else "Readers see this already, so it is not submitted again: change it on its form "
            "(an Editor reviews your change), or ask an Editor to take it down."
        )
    if write_access(by, "change", coverage) is not Access.ALLOW:
        raise PermissionDenied("This draft is another contributor's: ask them, or an Editor, to submit it.")
    coverage.status = Coverage.Status.IN_REVIEW
    coverage.review_note = ""  # answered by this submission
    return _save(coverage, by)


@transaction.atomic
def coverage_send_back(*, coverage, by, note):
    """An Editor returns coverage in review to its author as a draft, saying why: the note is
    on the author's desk ("Sent back to you") until they submit it again."""
    if not is_editor(by):
        raise PermissionDenied("Only editors send coverage back: ask an Editor.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"review_note": "Say why it goes back, in a note to its author."})
    if coverage.status != Coverage.Status.IN_REVIEW:
        raise ValidationError("Only coverage in review is sent back.")
    coverage.status, coverage.review_note = Coverage.Status.DRAFT, note
    coverage._change_reason = "Sent back to its author"
    return _save(coverage, by)


def publish_time_now():
    """Now, to the second, as the admin's date and time fields post it: saving the form
    afterwards must not read as a new publish time (a visible change asking for a note)."""
    return timezone.now().replace(microsecond=0)


@transaction.atomic
def coverage_publish(*, coverage, by, at=None, note="", typo_fix=False):
    """Publish now, or schedule for ``at``: until then readers do not see it. Publishing again
    what readers have seen (a new date) needs a correction note; its first publication stays."""
    if not can_publish(by):
        raise PermissionDenied("Only editors can publish: submit it for review and an Editor publishes it.")
    note = visible_change(
        instance=coverage, changed_fields=["status", "publish_at"], note=note, typo_fix=typo_fix, by=by
    )
    coverage.status = Coverage.Status.PUBLISHED
    coverage.publish_at = at or publish_time_now()
    coverage.review_note = ""
    return _noted(_save(coverage, by), note, by)


@transaction.atomic
def coverage_unpublish(*, coverage, by, note="", typo_fix=False):
    """Back to draft. Taking down what readers have seen needs a correction note."""
    if not can_publish(by):
        raise PermissionDenied("Only editors can unpublish: ask an Editor, with the reason readers will see.")
    note = visible_change(instance=coverage, changed_fields=["status"], note=note, typo_fix=typo_fix, by=by)
    coverage.status = Coverage.Status.DRAFT
    return _noted(_save(coverage, by), note, by)


@transaction.atomic
def coverage_unschedule(*, coverage, by, to=Coverage.Status.IN_REVIEW, note="", typo_fix=False):
    """Take scheduled coverage off the schedule, back to ``to`` (in review by default, so the
    desk shows it waiting for a decision again). Readers never saw it, so no note is needed
    unless it is coverage they saw that was rescheduled to go live again later."""
    if not can_schedule(by):
        raise PermissionDenied("Only editors can unschedule: ask an Editor.")
    if not coverage.is_scheduled:
        raise ValidationError("This is not scheduled: there is nothing to unschedule.")
    if to not in (Coverage.Status.DRAFT, Coverage.Status.IN_REVIEW):
        raise ValidationError("Unscheduled coverage goes back to draft or to review.")
    note = visible_change(instance=coverage, changed_fields=["status"], note=note, typo_fix=typo_fix, by=by)
    coverage.status = to
    return _noted(_save(coverage, by), note, by)


def _noted(subject, note, by):
    if note:
        correction_add(subject=subject, note=note, by=by)
    return subject


@transaction.atomic
def withdraw(*, item, by, note):
    """Take a published quote, claim or commentary back: it leaves every list, its URL answers
    410 with the date and ``note``, and the article's correction log lists the withdrawal.
    Never a delete."""
    if by is None or not can_publish(by):
        raise PermissionDenied(
            "Only editors can withdraw published content: ask an Editor, with the reason readers will see."
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"withdrawal_note": "Say why it is withdrawn: readers see this note."})
    if item.withdrawn_at is not None:
        raise ValidationError("This was withdrawn already.")
    item.withdrawn_at, item.withdrawal_note = timezone.now(), note
    item._history_user = by
    set_change_reason(item, f"Withdrawn: {note}")
    item.save()
    return item


@transaction.atomic
def correction_add(*, subject, note, by):
    """Record a public correction note on published content (on what readers see it as part
    of: a claim for its figure)."""
    subject = getattr(subject, "correction_subject", subject)
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


# --- Users and their roles (POLICY.md, Roles): one newsroom role per account.


def user_role(user):
    """The newsroom role ``user`` has (``permissions.ROLES``), the most trusted if several;
    None for none. Reads ``user.groups.all()``, so a prefetch serves a list of users."""
    names = {group.name for group in user.groups.all()}
    return next((role for role in reversed(ROLES) if role in names), None)


@transaction.atomic
def keeps_a_managing_editor(*, user, role, is_active):
    """Refuse to leave the newsroom with no active Managing editor: nobody could then add an
    account or change a role. ``role`` and ``is_active`` are what ``user`` is about to have."""
    from django.contrib.auth import get_user_model

    if role == MANAGING_EDITOR and is_active:
        return
    others = get_user_model().objects.filter(is_active=True, groups__name=MANAGING_EDITOR).exclude(pk=user.pk)
    if user.pk is not None and user_role(user) == MANAGING_EDITOR and not others.exists():
        raise ValidationError(
            f"This is the only active {MANAGING_EDITOR.lower()}: make someone else one first, "
            "or nobody can manage users."
        )


def user_set_role(*, user, role, by):
    """Give ``user`` exactly ``role`` (None: no role, and no admin), which makes them staff, or
    not. Only those who manage users may, and nobody makes a superuser this way."""
    from django.contrib.auth.models import Group

    if not can_manage_users(by):
        raise PermissionDenied("Only managing editors manage users and their roles.")
    if role is not None and role not in ROLES:
        raise ValidationError({"role": f"No role “{role}”: choose one of {', '.join(ROLES)}."})
    if user.is_superuser and not by.is_superuser:
        raise PermissionDenied("Operators' accounts are not the newsroom's to change.")
    keeps_a_managing_editor(user=user, role=role, is_active=user.is_active)
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    if role is not None:
        user.groups.add(Group.objects.get(name=role))
    if user.is_staff != (role is not None or user.is_superuser):
        user.is_staff = role is not None or user.is_superuser
        user.save(update_fields=["is_staff"])
    return user


# --- Proposals: a Contributor's change to what readers see, applied when an Editor approves it.


def _encoded(model, values):
    """Field values as JSON can hold them: related objects by id, lists of them as id lists."""
    encoded = {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.many_to_many:
            encoded[name] = sorted(item.pk for item in value)
        elif field.is_relation:
            encoded[name] = value.pk if value is not None else None
        else:
            encoded[name] = value
    return json.loads(json.dumps(encoded, cls=DjangoJSONEncoder))


def current_values(obj, names):
    """``obj``'s values for ``names``, encoded like a proposal's."""
    values = {}
    for name in names:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = list(getattr(obj, name).all()) if obj.pk else []
        else:
            values[name] = getattr(obj, name)
    return _encoded(type(obj), values)


def _apply(obj, changes):
    """Set ``changes`` on ``obj``; returns the many-to-many ones, which need a saved object."""
    related = {}
    for name, value in changes.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            related[name] = list(field.related_model._base_manager.filter(pk__in=value))
        elif field.is_relation:
            setattr(obj, field.attname, value)
        else:
            setattr(obj, name, field.to_python(value))
    return related


@dataclasses.dataclass(frozen=True)
class RowChange:
    """A row of a table edited inside its parent's form (a claim's figures, a speaker's aliases):
    ``pk`` is None for a new row; ``values`` are the fields typed; ``delete`` removes the row.
    ``fk`` names the row's foreign key to the parent."""

    model: type
    fk: str
    pk: int | None = None
    values: dict = dataclasses.field(default_factory=dict)
    delete: bool = False


def _proposed_row(row, target, by):
    """``row`` as a proposal keeps it (``Proposal.rows``), or None when it changes nothing."""
    model = row.model
    values = {k: v for k, v in _encoded(model, row.values).items() if k != row.fk}
    kept = {"model": model._meta.label_lower, "fk": row.fk, "id": row.pk, "values": values}
    if row.pk is None:
        if row.delete:
            return None
        subject, action = model(), "add"
        _apply(subject, {k: v for k, v in values.items() if not model._meta.get_field(k).many_to_many})
        if target is not None:
            setattr(subject, model._meta.get_field(row.fk).attname, target.pk)
    else:
        # Only a row of this target: a forged id cannot reach another parent's rows.
        subject = model._base_manager.get(pk=row.pk, **{row.fk: target.pk})
        if row.delete:
            action, kept["delete"], kept["values"] = "delete", True, {}
            names = [f.name for f in model._meta.concrete_fields if not f.primary_key and f.name != row.fk]
            kept["was"] = current_values(subject, names)
        else:
            action, now = "change", current_values(subject, values)
            kept["values"] = {k: v for k, v in values.items() if now[k] != v}
            if not kept["values"]:
                return None
            kept["was"] = {k: now[k] for k in kept["values"]}
    if write_access(by, action, subject) is Access.DENY:
        raise PermissionDenied(f"You may not {action} this {model._meta.verbose_name}: ask an Editor.")
    return kept


@transaction.atomic
def propose_change(*, by, values, target=None, model=None, correction_note="", rows=()):
    """Keep ``values`` (field name → value) for ``target``, or for a new ``model`` instance, and
    ``rows`` (``RowChange``) of the tables inside its form, as a pending proposal; returns it, or
    None when nothing would change."""
    model = type(target) if target is not None else model
    values = _encoded(model, values)  # once: related objects become ids
    base_version, base_values = None, {}
    if target is not None:
        stored = model._base_manager.get(pk=target.pk)  # what approving would change, not a copy
        now = current_values(stored, values)
        values = {k: v for k, v in values.items() if now[k] != v}
        base_version = getattr(stored, "version", None)
        base_values = {k: now[k] for k in values}
    rows = [kept for kept in (_proposed_row(row, target, by) for row in rows) if kept is not None]
    if target is not None and not values and not rows:
        return None
    subject = target if target is not None else model()
    if target is None:
        _apply(subject, {k: v for k, v in values.items() if not model._meta.get_field(k).many_to_many})
    if write_access(by, "change" if target is not None else "add", subject) is Access.DENY:
        raise PermissionDenied("You may not change this: ask an Editor.")
    proposal = Proposal(
        content_type=ContentType.objects.get_for_model(model),
        object_id=target.pk if target is not None else None,
        changes=values,
        base_version=base_version,
        base_values=base_values,
        rows=rows,
        correction_note=correction_note.strip(),
        proposed_by=by,
        proposed_at=timezone.now(),
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def _check_related(obj, related):
    """Rules on many-to-many data (speakers who took part, evidence for a verdict)."""
    if hasattr(obj, "clean_speakers") and ("speakers" in related or obj.pk is None):
        obj.clean_speakers(related.get("speakers", []))
    if hasattr(obj, "clean_related"):
        obj.clean_related(
            speakers=related.get("speakers", list(obj.speakers.all()) if obj.pk else []),
            evidence=related.get("evidence", list(obj.evidence.all()) if obj.pk else []),
        )


class StaleProposal(EditConflict):
    """What a proposal changes was changed after it was made: approving it would undo that."""


def proposal_conflicts(proposal, target=None):
    """Why approving ``proposal`` now would overwrite a later change, one reason a line (empty when
    nothing changed since): a versioned target's version moved on, or another target's proposed
    fields no longer hold the values they had. ``target``: the stored target, if loaded already."""
    if not proposal.object_id:
        return []
    model = proposal.model()
    name = model._meta.verbose_name
    if target is None:
        target = model._base_manager.filter(pk=proposal.object_id).first()
    if target is None:
        return [f"The {name} was deleted."]
    conflicts = []
    if proposal.base_version is not None and proposal.base_version != target.version:
        conflicts.append(
            f"The {name} was changed since this was proposed (now version {target.version}, "
            f"proposed on version {proposal.base_version})."
        )
    if proposal.base_version is None and proposal.base_values:
        now = current_values(target, proposal.base_values)
        changed = [k for k, v in proposal.base_values.items() if now[k] != v]
        if changed:
            labels = ", ".join(str(model._meta.get_field(k).verbose_name) for k in changed)
            conflicts.append(f"The {name}'s {labels} changed since this was proposed.")
    for row in proposal.rows:
        if row["id"] is None:
            continue
        row_model = apps.get_model(row["model"])
        item = row_model._base_manager.filter(pk=row["id"]).first()
        if item is None:
            conflicts.append(f"A {row_model._meta.verbose_name} it changes was deleted since.")
        elif current_values(item, row["was"]) != row["was"]:
            conflicts.append(f"{row_model._meta.verbose_name.capitalize()} “{item}” was changed since.")
    return conflicts


def _refuse_if_stale(proposal, target=None):
    conflicts = proposal_conflicts(proposal, target)
    if conflicts:
        raise StaleProposal(
            " ".join(conflicts) + " Approving would undo that change: send it back so it can be "
            "proposed again on what is there now.",
            code="stale_proposal",
        )


@transaction.atomic
def approve_proposal(*, proposal, by):
    """Apply ``proposal`` through the model's normal save path: validation, versions, history
    and the correction-note rule hold as for any edit. A proposal whose target changed after it
    was made is refused (``StaleProposal``) and stays pending."""
    if not is_editor(by):
        raise PermissionDenied("Only editors approve proposals: yours wait on an Editor's desk.")
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.PENDING:
        raise ValidationError(f"This proposal was already {proposal.get_status_display().lower()}.")
    model = proposal.model()
    obj = model()
    if proposal.object_id:
        # Locked until approved, so no edit lands between the check and the save; by pk, as a
        # model's ordering may outer-join what PostgreSQL cannot lock (VersionedModel.save).
        rows = model._base_manager.select_for_update().filter(pk=proposal.object_id)
        obj = rows.order_by("pk").first()
        for row_model, ids in _row_ids(proposal.rows).items():
            list(row_model._base_manager.select_for_update().filter(pk__in=ids).order_by("pk"))
        _refuse_if_stale(proposal, obj)
    related = _apply(obj, proposal.changes)
    obj.full_clean()
    _check_related(obj, related)
    # Rows typed into the parent's form (a claim's figures) are a change of the parent's too.
    changed = [
        *proposal.changes,
        *{row_relation(apps.get_model(row["model"]), row["fk"]) for row in proposal.rows},
    ]
    needs_note = getattr(obj, "needs_correction_note", lambda changed: [])(changed)
    if needs_note and not proposal.correction_note:
        raise ValidationError(
            f"This is published: give a public correction note for {', '.join(needs_note)} before approving."
        )
    obj._history_user = by
    if proposal.correction_note and needs_note:
        set_change_reason(obj, proposal.correction_note)
    obj.save()
    for name, items in related.items():
        getattr(obj, name).set(items)
    _apply_rows(obj, proposal.rows)
    if proposal.correction_note and needs_note:
        correction_add(subject=obj, note=proposal.correction_note, by=by)
    proposal.object_id = obj.pk
    proposal.status = Proposal.Status.APPROVED
    proposal.reviewed_by, proposal.reviewed_at = by, timezone.now()
    proposal.save()
    return proposal


def _row_ids(rows):
    ids = {}
    for row in rows:
        if row["id"] is not None:
            ids.setdefault(apps.get_model(row["model"]), []).append(row["id"])
    return ids


def _apply_rows(obj, rows):
    """Write a proposal's rows under ``obj``, now saved: deletions first, so a row may replace
    one it removes; every row validated as in the form it was typed into."""
    for row in sorted(rows, key=lambda row: not row.get("delete")):
        model = apps.get_model(row["model"])
        item = model() if row["id"] is None else model._base_manager.get(pk=row["id"])
        if row.get("delete"):
            item.delete()
            continue
        related = _apply(item, row["values"])
        setattr(item, model._meta.get_field(row["fk"]).attname, obj.pk)
        try:
            item.full_clean()
        except ValidationError as error:
            raise ValidationError(
                f"{model._meta.verbose_name.capitalize()} “{item}”: {' '.join(error.messages)}"
            ) from error
        item.save()
        for name, items in related.items():
            getattr(item, name).set(items)


@transaction.atomic
def add_topic(*, item, topic, by):
    """File ``item`` (a quote or claim) under ``topic`` too, as its form would: written at
    once, or kept as a proposal where ``write_access`` says so. Returns the proposal, if any."""
    access = write_access(by, "change", item)
    if access is Access.DENY:
        raise PermissionDenied(f"You may not change “{item}”: ask an Editor.")
    topics = list(item.topics.all())
    if topic in topics:
        return None
    if access is Access.PROPOSE:
        return propose_change(by=by, values={"topics": [*topics, topic]}, target=item)
    item.topics.add(topic)
    # Saved after the link, so the history row lists the topic, and the new version re-renders
    # the item's cached card and API item.
    item._history_user = by
    item.save()
    return None


@transaction.atomic
def send_back_proposal(*, proposal, by, note):
    if not is_editor(by):
        raise PermissionDenied("Only editors send proposals back: ask an Editor.")
    if not note or not note.strip():
        raise ValidationError({"review_note": "Say why the proposal goes back, in a note to its author."})
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.PENDING:
        raise ValidationError(f"This proposal was already {proposal.get_status_display().lower()}.")
    proposal.status = Proposal.Status.SENT_BACK
    proposal.review_note = note.strip()
    proposal.reviewed_by, proposal.reviewed_at = by, timezone.now()
    proposal.save()
    return proposal
