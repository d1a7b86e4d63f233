"""The API's change feed: what readers can see, compared with what they could see before.

A client that keeps a copy of the archive reads ``/api/v1/changes/?since=<cursor>`` instead of
every list again. Rather than logging writes (a coverage going live at its scheduled time is no
write, and publishing one makes its speakers, topics and dialogue visible with it), the feed
keeps the public record, ``PublicRecord``: every item readers could see, with its slug,
version and last save. Whenever the content generation has moved on since it last looked (it
moves on with every change readers see, and at every scheduled publish time), the first
request to the feed compares that record with what ``published()`` now gives, model by model,
and writes a ``Change`` for every difference. So the feed can only ever name what readers were
shown, and it names everything that came and went, however it happened.
"""

from django.db import transaction
from django.db.models import CharField, DateTimeField, F, Value
from django.utils import timezone

from dialogues.caching import current_generation
from dialogues.models import (
    Affiliation,
    Change,
    ChangeFeedState,
    Claim,
    ClaimFigure,
    Commentary,
    Correction,
    Coverage,
    Dialogue,
    Event,
    EvidenceSource,
    FactSource,
    Organization,
    OrganizationAlias,
    Participant,
    PublicRecord,
    Quote,
    Section,
    Speaker,
    SpeakerAlias,
    Topic,
    TopicAlias,
)
from dialogues.models.base import TimestampedModel

# The API's collection name and detail route name for each model the feed follows, parents
# first, so that a client adding what was published finds an item's coverage before the item.
RESOURCES = {
    "topics": (Topic, "topic"),
    "organizations": (Organization, "organization"),
    "speakers": (Speaker, "speaker"),
    "events": (Event, "event"),
    "dialogues": (Dialogue, "dialogue"),
    "coverage": (Coverage, "coverage"),
    "quotes": (Quote, "quote"),
    "claims": (Claim, "claim"),
    "commentary": (Commentary, "commentary"),
    # No slug: its entries and its URL name it by id alone.
    "fact-sources": (FactSource, "fact-source"),
}


def has_slug(model):
    return any(field.name == "slug" for field in model._meta.fields)


def _public_items(model):
    """``{pk: (slug, version, updated_at)}`` of what anonymous readers see of ``model`` now (slug
    None for a model without)."""
    version = "version" if any(f.name == "version" for f in model._meta.fields) else Value(0)
    slug = "slug" if has_slug(model) else Value(None, output_field=CharField())
    rows = model.objects.published().order_by().values_list("pk", slug, version, "updated_at")
    return {pk: (slug, version, updated_at) for pk, slug, version, updated_at in rows}


def _in_chunks(pks, size=500):
    """``pks`` a few hundred at a time: SQLite refuses a query with too many parameters."""
    pks = list(pks)
    return (pks[start : start + size] for start in range(0, len(pks), size))


def _why_gone(model, pks):
    """``{pk: action}`` for items readers no longer see: withdrawn, deleted or unpublished."""
    withdrawable = any(f.name == "withdrawn_at" for f in model._meta.fields)
    existing, withdrawn = set(), set()
    for chunk in _in_chunks(pks):
        for pk, withdrawn_at in model._base_manager.filter(pk__in=chunk).values_list(
            "pk", "withdrawn_at" if withdrawable else Value(None, output_field=DateTimeField())
        ):
            existing.add(pk)
            if withdrawn_at is not None:
                withdrawn.add(pk)
    return {
        pk: Change.Action.WITHDRAWN
        if pk in withdrawn
        else Change.Action.UNPUBLISHED
        if pk in existing
        else Change.Action.DELETED
        for pk in pks
    }


def _compare(resource, model):
    """The changes of one model since its public record was taken, and the record's update."""
    now = timezone.now()
    current = _public_items(model)
    recorded = {
        object_id: (slug, version, updated_at, pk)
        for pk, object_id, slug, version, updated_at in PublicRecord.objects.filter(
            resource=resource
        ).values_list("pk", "object_id", "slug", "version", "updated_at")
    }
    changes, new_records, changed_records = [], [], []
    for object_id, (slug, version, updated_at) in current.items():
        was = recorded.get(object_id)
        if was is None:
            action = Change.Action.PUBLISHED
            new_records.append(
                PublicRecord(
                    resource=resource, object_id=object_id, slug=slug, version=version, updated_at=updated_at
                )
            )
        elif was[:3] != (slug, version, updated_at):
            action = Change.Action.UPDATED
            changed_records.append(
                PublicRecord(
                    pk=was[3],
                    resource=resource,
                    object_id=object_id,
                    slug=slug,
                    version=version,
                    updated_at=updated_at,
                )
            )
        else:
            continue
        changes.append(
            Change(resource=resource, object_id=object_id, slug=slug, action=action, recorded_at=now)
        )
    gone = [object_id for object_id in recorded if object_id not in current]
    for object_id, action in _why_gone(model, gone).items():
        changes.append(
            Change(
                resource=resource,
                object_id=object_id,
                slug=recorded[object_id][0],
                action=action,
                recorded_at=now,
            )
        )
    return changes, new_records, changed_records, [recorded[object_id][3] for object_id in gone]


def catch_up():
    """Record what changed for readers since the feed last looked, once per generation."""
    generation = current_generation()["token"]
    state = ChangeFeedState.objects.filter(pk=1)
    if state.filter(generation=generation).exists():
        return
    with transaction.atomic():
        # A write first: it takes the row's lock (the database's, on SQLite), so two requests
        # catching up at once take turns, and the second finds the work done.
        if not state.update(generation=F("generation")):
            ChangeFeedState.objects.get_or_create(pk=1)
        if state.filter(generation=generation).exists():
            return
        for resource, (model, _route) in RESOURCES.items():
            changes, new_records, changed_records, gone_records = _compare(resource, model)
            Change.objects.bulk_create(changes)
            PublicRecord.objects.bulk_create(new_records)
            PublicRecord.objects.bulk_update(changed_records, ["slug", "version", "updated_at"])
            for chunk in _in_chunks(gone_records):
                PublicRecord.objects.filter(pk__in=chunk).delete()
        state.update(generation=generation)


# --- Keeping ``updated_at`` true to what clients are shown.
#
# An item's JSON shows rows of other models: a quote its speakers' names and its topics, a
# speaker its aliases, a commentary its quotes. Saving one of those changes the items that show
# it, so they count as updated too (their ``updated_at`` moves; their version does not, as no
# one edited them). One level is enough: each JSON shows only rows directly related to it.

# Rows that only ever show inside one parent: ``{model: [(parent model, key attribute)]}``.
SHOWN_IN_PARENT = {
    SpeakerAlias: [(Speaker, "speaker_id")],
    OrganizationAlias: [(Organization, "organization_id")],
    TopicAlias: [(Topic, "topic_id")],
    Affiliation: [(Speaker, "speaker_id")],
    Participant: [(Dialogue, "dialogue_id")],
    Section: [(Coverage, "coverage_id")],
    ClaimFigure: [(Claim, "claim_id")],
}

# Items shown in other items: ``{model: [(model showing it, lookup from there to it, fields
# of it the showing JSON prints)]}``. Most show another item by its slug only: a dialogue's new
# description changes none of its quotes, and reporting them all as updated would send every
# client back for thousands of rows that read the same. ``None``: shown whole.
SLUG = ("slug",)
SHOWN_IN = {
    Topic: [
        (Coverage, "topics", SLUG),
        (Dialogue, "topics", SLUG),
        (Quote, "topics", SLUG),
        (Claim, "topics", SLUG),
        (Commentary, "topics", SLUG),
    ],
    Organization: [
        (Speaker, "affiliations__organization", ("slug", "name")),
        (Event, "organizer", SLUG),
        (Claim, "organizations_mentioned", SLUG),
        (Claim, "evidence__publisher", SLUG),
    ],
    Speaker: [
        (Dialogue, "participants__speaker", ("slug", "name")),
        (Quote, "speakers", ("slug", "name")),
        (Claim, "speakers", ("slug", "name")),
    ],
    Event: [(Dialogue, "event", SLUG)],
    Dialogue: [(Coverage, "dialogue", SLUG), (Quote, "dialogue", SLUG), (Claim, "dialogue", SLUG)],
    Coverage: [(Quote, "coverage", SLUG), (Claim, "coverage", SLUG), (Commentary, "coverage", SLUG)],
    Section: [
        (Quote, "section", ("number",)),
        (Claim, "section", ("number",)),
        (Commentary, "section", ("number",)),
    ],
    # Commentary names only the quotes and claims readers may see: a withdrawal changes it.
    Quote: [(Commentary, "quotes", ("slug", "withdrawn_at"))],
    Claim: [(Commentary, "claims", ("slug", "withdrawn_at"))],
    EvidenceSource: [(Claim, "evidence", None)],
}


def _shown_fields(model):
    """The fields of ``model`` some other JSON prints, or None if one prints it whole."""
    fields = set()
    for _showing, _lookup, shown in SHOWN_IN.get(model, ()):
        if shown is None:
            return None
        fields.update(shown)
    return sorted(fields)


def _touch(model, **lookup):
    # An UPDATE, not save(): no signals, no new version, no history row.
    model._base_manager.filter(**lookup).update(updated_at=timezone.now())


def _touch_what_shows(instance, *, before=None, created=False):
    """``before``: the stored values of the shown fields, for a save; None for a delete, which
    changes whatever shows it. A new row is shown by nothing yet but its parent."""
    model = type(instance)
    for parent, key in SHOWN_IN_PARENT.get(model, ()):
        _touch(parent, pk=getattr(instance, key))
    for showing, lookup, shown in () if created else SHOWN_IN.get(model, ()):
        if before is None or shown is None or any(before[name] != getattr(instance, name) for name in shown):
            _touch(showing, **{lookup: instance.pk})
    if isinstance(instance, Correction):
        subject = instance.content_type.model_class()
        if subject is not None and issubclass(subject, TimestampedModel):
            _touch(subject, pk=instance.object_id)


def remember_shown(sender, instance, raw=False, **kwargs):
    """Signal receiver (pre_save): the stored values of the fields other JSON shows of it."""
    if raw or instance.pk is None or sender not in SHOWN_IN:
        return
    fields = _shown_fields(sender)
    if fields is not None:
        instance._shown_before = sender._base_manager.filter(pk=instance.pk).values(*fields).first()


def saved(sender, instance, created=False, raw=False, **kwargs):
    """Signal receiver (post_save): what shows ``instance`` was updated with it. Rows loaded raw
    (fixtures, backups) carry their own times."""
    if not raw:
        _touch_what_shows(instance, before=instance.__dict__.pop("_shown_before", None), created=created)


def deleting(sender, instance, **kwargs):
    """Signal receiver (pre_delete): while its links still stand."""
    _touch_what_shows(instance)


def links_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Signal receiver (m2m_changed): a quote's topics or speakers are part of the quote."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if getattr(instance, "skip_history_when_saving", False):
        return  # links of a row loaded raw (fixtures, backups): it carries its own times
    if not reverse:
        if isinstance(instance, TimestampedModel):
            _touch(type(instance), pk=instance.pk)
    elif issubclass(model, TimestampedModel):
        if action == "pre_clear":
            field = next(f for f in model._meta.many_to_many if f.remote_field.through is sender)
            _touch(model, **{field.name: instance.pk})
        else:
            _touch(model, pk__in=pk_set)
