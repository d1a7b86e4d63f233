"""Who may do what with content: one definition used by the admin, the API, the services and
the pages.

Roles are Django groups created by a data migration; their model permissions say which models a
role may touch at all. What a role may do to one object is decided here, by ``write_access``:
nothing a Contributor does is public until an Editor approves it (docs: /work/shared/POLICY.md,
Roles). This module is imported by the models, so it reaches them by name, never by import.
"""

import enum

CONTRIBUTOR = "Contributor"
EDITOR = "Editor"
MANAGING_EDITOR = "Managing editor"
# The newsroom's roles, least to most trusted: what a Managing editor may give an account.
ROLES = (CONTRIBUTOR, EDITOR, MANAGING_EDITOR)

PUBLISH_PERMISSION = "dialogues.publish_coverage"
MANAGE_USERS_PERMISSION = "auth.change_user"

# Fields only an Editor sets: a Contributor's form shows them read-only and the API refuses them.
EDITORIAL_FIELDS = {
    "coverage": frozenset({"status", "publish_at", "created_by"}),
    "quote": frozenset({"is_featured"}),
}

# Reference data readers see as soon as it exists (their ``published()`` is everything); other
# entities become public only once published coverage links them, which is itself a proposal.
PUBLIC_ON_CREATION = frozenset({"organization", "product", "evidencesource"})


# Quotes, claims and commentary readers have seen are withdrawn with a note, never deleted (POLICY.md).
WITHDRAWABLE = frozenset({"quote", "claim", "commentary"})


def withdraw_instead(user):
    """Why something readers have seen is not deleted, and what ``user`` can do instead: an
    Editor withdraws it; a Contributor, who may not, asks one to or proposes a correction."""
    if can_publish(user):
        return "Published quotes, claims and commentary are never deleted: withdraw it with a public note instead."
    return (
        "Published quotes, claims and commentary are never deleted: propose a correction on its form, "
        "or ask an Editor to withdraw it with a public note."
    )


class Access(enum.Enum):
    ALLOW = "allow"  # written at once
    PROPOSE = "propose"  # kept as a proposal until an Editor approves it
    DENY = "deny"  # refused


def can_publish(user):
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def is_editor(user):
    """Editors (and managing editors) approve, publish and feature; the publish permission is
    what sets them apart from Contributors."""
    return can_publish(user)


def can_manage_users(user):
    """Managing editors (and operators' superusers) add accounts and give them their roles;
    Editors and Contributors never see users or tokens."""
    return user.is_active and user.is_staff and user.has_perm(MANAGE_USERS_PERMISSION)


def can_schedule(user):
    """Scheduling and unscheduling are publishing decisions: an Editor's."""
    return can_publish(user)


def can_preview(user):
    """Staff see drafts and scheduled content (clearly marked as a preview)."""
    return user.is_active and user.is_staff


def coverage_of(obj):
    """The coverage ``obj`` is part of (itself, for coverage), or None for an entity."""
    name = obj._meta.model_name
    if name == "coverage":
        return obj
    if name == "claimfigure":
        claim = obj.claim if obj.claim_id else None
        return claim.coverage if claim is not None and claim.coverage_id else None
    if hasattr(obj, "coverage_id"):
        return obj.coverage if obj.coverage_id else None
    return None


def _parent_entity(obj):
    """The live entity an entity's detail row belongs to (a speaker's alias, a dialogue's
    participant): the row is as public as its parent."""
    name = obj._meta.model_name
    if name in ("speakeralias", "affiliation"):
        return obj.speaker if obj.speaker_id else None
    if name == "organizationalias":
        return obj.organization if obj.organization_id else None
    if name == "topicalias":
        return obj.topic if obj.topic_id else None
    if name == "participant":
        return obj.dialogue if obj.dialogue_id else None
    return None


def readers_see(obj):
    """Whether readers see ``obj`` in this state (saved or not): published (or scheduled)
    coverage and what is in it, and the entities published (or scheduled) coverage shows."""
    coverage = coverage_of(obj)
    if coverage is not None:
        return coverage.readers_see_from() is not None
    parent = _parent_entity(obj)
    if parent is not None:
        return readers_see(parent)
    name = obj._meta.model_name
    if name in PUBLIC_ON_CREATION:
        return True
    if obj.pk is None or not hasattr(type(obj).objects, "published"):
        return False
    return type(obj).objects.published(scheduled=True).filter(pk=obj.pk).exists()


def readers_saw(obj):
    """Whether ``obj`` is coverage readers have seen, or part of it, published now or not."""
    coverage = coverage_of(obj)
    return coverage is not None and coverage.was_published


def must_withdraw(obj):
    """Whether ``obj`` is something readers have seen, which is withdrawn or unpublished, never
    deleted: a quote or claim of coverage that was published, or such coverage itself (deleting
    it would delete every quote and claim in it)."""
    if obj._meta.model_name == "coverage":
        return obj.was_published
    if obj._meta.model_name not in WITHDRAWABLE:
        return False
    if getattr(obj, "withdrawn_at", None) is not None:
        return True
    coverage = coverage_of(obj)
    return coverage is not None and coverage.was_published


def on_the_record(obj):
    """Whether deleting ``obj`` would change, with no note, what readers of published content
    saw: a section of coverage readers have seen (its quotes and claims would lose their place),
    an evidence source one of its claims cites, a topic its content is filed under (POLICY.md:
    every visible change shows). Kept for everyone; it may still be changed, with a note where
    the change is visible."""
    from dialogues.models.base import seen_q  # imported by the models: not at the top

    name = obj._meta.model_name
    if obj.pk is None or name not in ("section", "evidencesource", "topic"):
        return False
    if name == "section":
        return obj.coverage.was_published
    if name == "evidencesource":
        return obj.claims.filter(seen_q("coverage__")).exists()
    return obj.coverages.filter(seen_q()).exists() or any(
        items.filter(seen_q("coverage__")).exists() for items in (obj.quotes, obj.claims, obj.commentaries)
    )


def kept_for_readers(obj, user):
    """Why ``obj`` is not deleted (``must_withdraw`` or ``on_the_record``), in words for ``user``;
    "" when nothing keeps it."""
    if obj._meta.model_name == "coverage" and must_withdraw(obj):
        return (
            "Coverage readers have seen is never deleted (every quote and claim in it would go "
            "with it): an Editor unpublishes it with a public correction note instead."
        )
    if must_withdraw(obj):
        return withdraw_instead(user)
    if on_the_record(obj):
        return (
            f"Readers of published coverage see this {obj._meta.verbose_name}, so it is not deleted: "
            "change it instead (with a public correction note where readers see the change)."
        )
    return ""


def owner_of(obj):
    """Who owns a draft: the Contributor who created its coverage; None for entities and for
    coverage from before owners were recorded, which any Contributor may work on."""
    coverage = coverage_of(obj)
    return coverage.created_by if coverage is not None and coverage.created_by_id else None


def write_access(user, action, obj, *, original=None):
    """May ``user`` ``action`` ("add", "change", "delete") ``obj``?

    ``obj`` holds the values being written; ``original`` is the object as stored, for a change
    that may move it (a draft quote moved into published coverage is a change to that coverage).
    Model permissions (may this role touch this model at all) are checked by the caller."""
    if not (user.is_active and user.is_staff):
        return Access.DENY
    if action == "delete" and (must_withdraw(obj) or on_the_record(obj)):
        return Access.DENY  # for Editors too: ``services.withdraw``, or a change with a note
    if action == "change" and any(getattr(state, "withdrawn_at", None) for state in (obj, original)):
        return Access.DENY  # withdrawn: kept as readers last saw it, history, for Editors too
    if obj._meta.model_name == "correction" and action != "add":
        # Corrections are the public record; another rule keeps them append-only for everyone.
        return Access.ALLOW if is_editor(user) else Access.DENY
    if is_editor(user):
        return Access.ALLOW
    states = [obj] if original is None else [original, obj]
    # Coverage readers saw and an Editor took down is still on the record: a change to it is
    # a correction, and corrections are Editors' to publish.
    if any(readers_see(state) or readers_saw(state) for state in states):
        return Access.DENY if action == "delete" else Access.PROPOSE
    owners = {owner_of(state) for state in states} - {None}
    if owners and owners != {user}:
        return Access.DENY
    return Access.ALLOW


def editorial_fields(user, model):
    """The fields of ``model`` that ``user`` may not set (empty for Editors)."""
    if is_editor(user):
        return frozenset()
    return EDITORIAL_FIELDS.get(model._meta.model_name, frozenset())
