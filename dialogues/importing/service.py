"""Storing an import and deciding its proposals: the one place the admin view, the API and
``manage.py import_coverage`` call. Who may write is ``permissions.write_access``'s to say;
accepting an item writes it as a draft of the (draft) coverage, or as a pending proposal where
the rule says so (a Contributor's new organization is public the moment it exists)."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from dialogues import services
from dialogues.anchors import selector_at
from dialogues.models import (
    Claim,
    ClaimFigure,
    Coverage,
    Event,
    EvidenceSource,
    ImportProposal,
    Organization,
    Participant,
    Product,
    Quote,
    Section,
    Speaker,
)
from dialogues.permissions import Access, write_access

from .entities import EVENT, ORGANIZATION, PRODUCT, REPORT, Gazetteer, KnownEntity, name_forms
from .extract import extract

ENTITY_MODELS = {ORGANIZATION: Organization, PRODUCT: Product, REPORT: EvidenceSource}


def known_entities():
    """What the newsroom already has, by every name: speakers (with aliases in any script),
    organizations, products, reports and events. Five queries, names only."""
    entities = []
    for speaker in Speaker.objects.prefetch_related("aliases").only("pk", "name"):
        aliases = tuple(alias.name for alias in speaker.aliases.all())
        entities.append(KnownEntity("speaker", speaker.pk, speaker.name, aliases))
    # "Analog Devices (ADI)" is on record; the text says "ADI".
    entities += [
        KnownEntity(ORGANIZATION, pk, name, name_forms(name))
        for pk, name in Organization.objects.values_list("pk", "name")
    ]
    entities += [
        KnownEntity(PRODUCT, pk, name, name_forms(name))
        for pk, name in Product.objects.values_list("pk", "name")
    ]
    entities += [
        KnownEntity(REPORT, pk, title) for pk, title in EvidenceSource.objects.values_list("pk", "title")
    ]
    # Events are matched so their names are not proposed as new organizations.
    entities += [
        KnownEntity(EVENT, pk, name, (short,) if short else ())
        for pk, name, short in Event.objects.values_list("pk", "name", "short_name")
    ]
    return Gazetteer(entities)


def unique_slug(model, text, *, max_length=100):
    base = slugify(text)[:max_length].strip("-") or model._meta.model_name
    slug, number = base, 2
    while model._base_manager.filter(slug=slug).exists():
        suffix = f"-{number}"
        slug, number = base[: max_length - len(suffix)] + suffix, number + 1
    return slug


def _require(user, action, model):
    if not user.has_perm(f"dialogues.{action}_{model._meta.model_name}"):
        raise PermissionDenied(f"You may not {action} {model._meta.verbose_name_plural}: ask an Editor.")


@dataclass
class ImportResult:
    coverage: Coverage
    extraction: object
    proposals: list

    def summary(self):
        return {"coverage": self.coverage.slug, **self.extraction.summary()}


# What the admin's import form and the API's import both take, under the names they give them.
SUBMITTED_FIELDS = (
    "text",
    "title",
    "dialogue",
    "source_publication",
    "original_url",
    "original_published_on",
    "language",
)


def import_submitted(*, by, submitted, progress=None):
    """``import_coverage`` with what the admin form or the API was sent (its ``format`` is
    ``fmt`` here: the name is Python's own)."""
    return import_coverage(
        by=by,
        fmt=submitted["format"],
        progress=progress,
        **{name: submitted[name] for name in SUBMITTED_FIELDS},
    )


# The share of an import's progress that is reading the text; saving is the rest, reported
# every SAVED_PER_REPORT proposals.
READING = 0.45
SAVED_PER_REPORT = 500


def import_coverage(
    *,
    by,
    text,
    title="",
    dialogue,
    source_publication="",
    original_url="",
    original_published_on=None,
    language="en",
    fmt="auto",
    progress=None,
):
    """Create a draft coverage from pasted ``text`` with its sections, and store what the
    assistant proposes in it. Raises ``ImportInputError`` for input that is not an article,
    ``ValidationError`` for fields the coverage refuses, ``PermissionDenied`` for a user who may
    not add coverage. Nothing is published, whoever imports. ``progress(fraction, message)``,
    if given, hears how far the import is (0 to 1) at each stage."""
    _require(by, "add", Coverage)
    report = progress or (lambda fraction, message: None)
    # Reading takes a little under half the time of a long import, saving the rest
    # (bench/import_speed.py): the bar moves at about the pace of the work.
    extraction = extract(
        text,
        known=known_entities(),
        published_on=original_published_on,
        fmt=fmt,
        title=title,
        progress=lambda fraction, message: report(READING * fraction, message),
    )
    report(READING, "Saving the draft and its sections…")
    with transaction.atomic():
        title = (title or extraction.title).strip()[:300]
        coverage = Coverage(
            title=title,
            slug=unique_slug(Coverage, title),
            dialogue=dialogue,
            source_publication=source_publication,
            original_url=original_url,
            original_published_on=original_published_on,
            language=language,
            source_text=extraction.text,
            status=Coverage.Status.DRAFT,
            created_by=by,
        )
        coverage.full_clean()
        if write_access(by, "add", coverage) is not Access.ALLOW:
            raise PermissionDenied("You may not add coverage: ask an Editor.")
        coverage.save()
        sections = []
        for found in extraction.sections:
            section = Section(
                coverage=coverage, number=found.number, title=found.title[:250], subtitle=found.subtitle[:300]
            )
            section.full_clean()
            sections.append(section)
        Section.objects.bulk_create(sections)
        rows, total = [], len(extraction.proposals)
        for first in range(0, total, SAVED_PER_REPORT):
            batch = []
            for proposal in extraction.proposals[first : first + SAVED_PER_REPORT]:
                selector = proposal.selector(extraction.text)
                batch.append(
                    ImportProposal(
                        coverage=coverage,
                        kind=proposal.kind,
                        position=proposal.start,
                        data=proposal.data,
                        anchor_exact=selector.exact,
                        anchor_prefix=selector.prefix[-200:],
                        anchor_suffix=selector.suffix[:200],
                    )
                )
            rows += ImportProposal.objects.bulk_create(batch)
            report(
                READING + (1 - READING) * 0.95 * len(rows) / total,
                f"Saved {len(rows):,} of {total:,} proposals…",
            )
        # Figures point at their claim's proposal, whose id exists only now.
        children = []
        for proposal, row in zip(extraction.proposals, rows, strict=True):
            if proposal.parent is not None:
                row.parent = rows[proposal.parent]
                children.append(row)
        ImportProposal.objects.bulk_update(children, ["parent"])
    report(1.0, f"Saved draft “{coverage.title}” with {len(rows):,} proposals.")
    return ImportResult(coverage=coverage, extraction=extraction, proposals=rows)


def _section_at(coverage, position):
    best = None
    for section in coverage.sections.all():
        start = section.heading_start()
        if 0 <= start <= position and (best is None or start > best.heading_start()):
            best = section
    return best


def _anchor(proposal):
    return {
        "anchor_exact": proposal.anchor_exact,
        "anchor_prefix": proposal.anchor_prefix,
        "anchor_suffix": proposal.anchor_suffix,
    }


def _write(by, obj, *, related=None):
    """Save ``obj`` (and its many-to-many ``related``) as the write rule says: at once, or as a
    pending proposal for an Editor. Returns what was written: the object or the proposal."""
    obj.full_clean()
    access = write_access(by, "add", obj)
    if access is Access.DENY:
        raise PermissionDenied(f"You may not add this {obj._meta.verbose_name}: ask an Editor.")
    if access is Access.PROPOSE:
        values = {
            f.name: getattr(obj, f.name)
            for f in obj._meta.concrete_fields
            if f.editable and not f.primary_key
        }
        values = {k: v for k, v in values.items() if v not in (None, "")}
        return services.propose_change(by=by, values={**values, **(related or {})}, model=type(obj))
    obj.save()
    for name, value in (related or {}).items():
        getattr(obj, name).set(value)
    return obj


def _speakers(proposal, values):
    ids = values.get("speakers", proposal.data.get("speakers") or [])
    return list(Speaker.objects.filter(pk__in=[int(pk) for pk in ids if str(pk).strip()]))


# What a refusal to put a speaker on stage says: the review screen adds a link to the dialogue.
ADD_PARTICIPANT_FIRST = "as a participant of"


def _put_on_stage(dialogue, speakers, by):
    """A quote credits a speaker the text names who is not yet a participant of the dialogue
    (one just added from the import form has none): accepting it adds them, as the write rule
    allows for the dialogue's participants. Where readers see the dialogue, a Contributor's new
    participant is an Editor's to approve: the editor is told to add them first, nothing is
    written."""
    on_stage = set(dialogue.participants.values_list("speaker_id", flat=True))
    outsiders = [speaker for speaker in speakers if speaker.pk not in on_stage]
    if not outsiders:
        return
    position = max(dialogue.participants.values_list("position", flat=True), default=-1) + 1
    refused = []
    for speaker in outsiders:
        participant = Participant(dialogue=dialogue, speaker=speaker, position=position)
        if by.has_perm("dialogues.add_participant") and write_access(by, "add", participant) is Access.ALLOW:
            participant.full_clean()
            participant.save()
            position += 1
        else:
            refused.append(speaker.name)
    if refused:
        raise ValidationError(
            {
                "speakers": f"Add {' and '.join(refused)} {ADD_PARTICIPANT_FIRST} “{dialogue}” first: "
                "readers see this dialogue, so who was on stage is an Editor's to change."
            }
        )


def _accept_quote(proposal, by, values):
    coverage = proposal.coverage
    data = {**proposal.data, **values}
    quote = Quote(
        text=data["text"],
        kind=data.get("kind") or Quote.Kind.REPORTED,
        dialogue=coverage.dialogue,
        coverage=coverage,
        section=_section_at(coverage, proposal.position),
        slug=unique_slug(Quote, data["text"][:60]),
        **_anchor(proposal),
    )
    speakers = _speakers(proposal, values)
    quote.full_clean()
    if not speakers:
        raise ValidationError({"speakers": "A quote needs at least one speaker: choose who said it."})
    _put_on_stage(coverage.dialogue, speakers, by)
    quote.clean_speakers(speakers)
    return _write(by, quote, related={"speakers": speakers})


def _accept_claim(proposal, by, values):
    coverage = proposal.coverage
    data = {**proposal.data, **values}
    speakers = _speakers(proposal, values) if data.get("attribution") == Claim.Attribution.SPEAKER else []
    claim = Claim(
        statement=data["statement"],
        kind=data.get("kind") or Claim.Kind.FACT,
        attribution=data.get("attribution") or Claim.Attribution.PUBLICATION,
        dialogue=coverage.dialogue,
        coverage=coverage,
        section=_section_at(coverage, proposal.position),
        slug=unique_slug(Claim, data["statement"][:60]),
        **_anchor(proposal),
    )
    claim.full_clean()
    _put_on_stage(coverage.dialogue, speakers, by)
    claim.clean_related(speakers=speakers, evidence=[])
    return _write(by, claim, related={"speakers": speakers})


def _accept_figure(proposal, by, values):
    parent = proposal.parent
    if (
        parent is None
        or parent.status != ImportProposal.Status.ACCEPTED
        or not isinstance(parent.result, Claim)
    ):
        raise ValidationError("Accept the figure's claim first: a figure belongs to a claim.")
    data = {**proposal.data, **values}
    # Typed on the review screen: a wrong number or date is the editor's to fix, not a 500.
    try:
        value = Decimal(str(data["value"]).replace(",", ""))
    except (InvalidOperation, KeyError) as error:
        raise ValidationError({"value": "Enter a number, e.g. 73000000000 or 2.5."}) from error
    as_of = data.get("as_of") or None
    try:
        as_of = datetime.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    except ValueError as error:
        raise ValidationError({"as_of": "Enter the date as YYYY-MM-DD."}) from error
    figure = ClaimFigure(
        claim=parent.result,
        label=(data.get("label") or data.get("text") or "")[:200],
        value=value,
        unit=data.get("unit", ""),
        qualifier=data.get("qualifier") or ClaimFigure.Qualifier.EXACT,
        as_of=as_of,
    )
    return _write(by, figure)


def _accept_entity(proposal, by, values):
    data = {**proposal.data, **values}
    kind = data.get("entity_kind")
    model = ENTITY_MODELS.get(kind)
    if model is None:
        raise ValidationError(f"Unknown entity kind “{kind}”.")
    name_field = "title" if model is EvidenceSource else "name"
    if data.get("match"):
        matched = model.objects.get(pk=data["match"])
        # Renamed on the review screen ("Sony" → "Sony Group"): the editor means another
        # organization than the one on file, found or added by its new name below.
        if "name" not in values or values["name"].casefold() == getattr(matched, name_field).casefold():
            return matched
    existing = model.objects.filter(**{f"{name_field}__iexact": data["name"]}).first()
    if existing is not None:
        return existing  # the same name as a record we have: link it, never a duplicate
    fields = {name_field: data["name"], "slug": unique_slug(model, data["name"])}
    if model is Product:
        fields["kind"] = data.get("product_kind") or Product.Kind.TECHNOLOGY
    if model is Organization:
        fields["kind"] = data.get("organization_kind") or Organization.Kind.COMPANY
    return _write(by, model(**fields))


ACCEPT = {
    ImportProposal.Kind.QUOTE: _accept_quote,
    ImportProposal.Kind.CLAIM: _accept_claim,
    ImportProposal.Kind.FIGURE: _accept_figure,
    ImportProposal.Kind.ENTITY: _accept_entity,
}
RESULT_MODEL = {
    ImportProposal.Kind.QUOTE: Quote,
    ImportProposal.Kind.CLAIM: Claim,
    ImportProposal.Kind.FIGURE: ClaimFigure,
}


def _decided(proposal, by, status):
    if proposal.status != ImportProposal.Status.PENDING:
        raise ValidationError(f"This proposal was already {proposal.get_status_display().lower()}.")
    if write_access(by, "change", proposal.coverage) is Access.DENY:
        raise PermissionDenied("You may not work on this coverage: ask an Editor.")
    proposal.status, proposal.decided_by, proposal.decided_at = status, by, timezone.now()


def accept(*, proposal, by, values=None):
    """Accept ``proposal`` (with the editor's ``values`` over the proposed ones): it becomes a
    draft quote, claim or figure of the coverage, or links or adds an entity; where the write
    rule says propose, it becomes a pending proposal for an Editor. Returns what it wrote."""
    values = {k: v for k, v in (values or {}).items() if v is not None}
    model = RESULT_MODEL.get(proposal.kind)
    if model is not None:
        _require(by, "add", model)
    with transaction.atomic():
        proposal = (
            # Locks the proposal row only: PostgreSQL cannot lock a nullable join's side.
            ImportProposal.objects.select_for_update(of=("self",))
            .select_related("coverage__dialogue", "parent")
            .get(pk=proposal.pk)
        )
        _decided(proposal, by, ImportProposal.Status.ACCEPTED)
        written = ACCEPT[proposal.kind](proposal, by, values)
        proposal.data = {
            **proposal.data,
            **{k: v for k, v in values.items() if k in proposal.data or k == "match"},
        }
        if proposal.kind == ImportProposal.Kind.ENTITY:
            # What the list says ("on record" or "new") follows what accepting linked or added.
            proposal.data["match"] = (
                written.pk if isinstance(written, ENTITY_MODELS[proposal.data["entity_kind"]]) else None
            )
        proposal.result_type = ContentType.objects.get_for_model(type(written))
        proposal.result_id = written.pk
        proposal.save()
        _link_mentions(proposal, by)
    return written


def _names_in(name, passage):
    name = name.casefold()
    return bool(name) and re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", passage) is not None


def _link_mentions(accepted, by):
    """A claim mentions the organizations and products named in its passage: link those whose
    entity proposal is accepted (or on record) to the accepted claims around them, whichever
    was accepted first. Only claims written at once are linked; a pending proposal has none."""
    coverage = accepted.coverage
    decided = ImportProposal.objects.filter(coverage=coverage, status=ImportProposal.Status.ACCEPTED)
    claim_type = ContentType.objects.get_for_model(Claim)
    entity_types = {ContentType.objects.get_for_model(m).pk: m for m in (Organization, Product)}
    claims = list(decided.filter(kind="claim", result_type=claim_type))
    entities = list(decided.filter(kind="entity", result_type__in=list(entity_types)))
    if accepted.kind == "claim":
        claims = [p for p in claims if p.pk == accepted.pk]
    elif accepted.kind == "entity":
        entities = [p for p in entities if p.pk == accepted.pk]
    else:
        return
    for claim_proposal in claims:
        # An entity is proposed once, at its first mention: find it by name in each claim.
        passage = claim_proposal.anchor_exact.casefold()
        inside = [e for e in entities if _names_in(e.data.get("name", ""), passage)]
        if not inside:
            continue
        claim = Claim.objects.get(pk=claim_proposal.result_id)
        if write_access(by, "change", claim) is not Access.ALLOW:
            continue
        for entity in inside:
            model = entity_types[entity.result_type_id]
            relation = claim.organizations_mentioned if model is Organization else claim.products_mentioned
            relation.add(entity.result_id)


def reject(*, proposal, by):
    with transaction.atomic():
        proposal = (
            ImportProposal.objects.select_for_update(of=("self",))
            .select_related("coverage")
            .get(pk=proposal.pk)
        )
        _decided(proposal, by, ImportProposal.Status.REJECTED)
        proposal.save()
        # A figure cannot outlive the claim it was found in.
        proposal.children.filter(status=ImportProposal.Status.PENDING).update(
            status=ImportProposal.Status.REJECTED, decided_by=by, decided_at=proposal.decided_at
        )
    return proposal


# What a merged proposal's words are called, by kind, and what joins them: a quote's fragments
# with an ellipsis for the words between them, as an editor marks them; speakers are pooled.
MERGED_TEXT = {ImportProposal.Kind.QUOTE: ("text", " … "), ImportProposal.Kind.CLAIM: ("statement", " ")}


def merge(*, proposals, by):
    """Make several pending quote (or claim) proposals one: the first in the text takes the
    passage from its start to the last one's end, their words joined and their speakers
    pooled; the others are marked merged into it. For a statement the assistant cut in two.
    Returns the proposal kept."""
    proposals = sorted(proposals, key=lambda p: (p.position, p.pk))
    kinds = {p.kind for p in proposals}
    if len(proposals) < 2 or len(kinds) != 1 or next(iter(kinds)) not in MERGED_TEXT:
        raise ValidationError("Select two or more quotes, or two or more claims, to merge.")
    if len({p.coverage_id for p in proposals}) != 1:
        raise ValidationError("Only proposals of the same article can be merged.")
    with transaction.atomic():
        locked = {
            p.pk: p
            for p in ImportProposal.objects.select_for_update(of=("self",))
            .select_related("coverage")
            .filter(pk__in=[p.pk for p in proposals])
        }
        proposals = [locked[p.pk] for p in proposals]
        for proposal in proposals:
            _decided(proposal, by, ImportProposal.Status.MERGED)  # checks each is pending and may be
        kept, *others = proposals
        spans = [p.anchor_span() for p in proposals]
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        selector = selector_at(kept.coverage.source_text, start, end)
        field, joint = MERGED_TEXT[kept.kind]
        speakers = [pk for p in proposals for pk in p.data.get("speakers") or []]
        names = [n for p in proposals for n in p.data.get("speaker_names") or []]
        kept.data = {
            **kept.data,
            field: joint.join(p.data[field].strip() for p in proposals if p.data.get(field)),
            "speakers": list(dict.fromkeys(speakers)),
            "speaker_names": list(dict.fromkeys(names)),
        }
        kept.anchor_exact, kept.anchor_prefix, kept.anchor_suffix = (
            selector.exact,
            selector.prefix,
            selector.suffix,
        )
        kept.position = start
        kept.status, kept.decided_by, kept.decided_at = ImportProposal.Status.PENDING, None, None
        kept.save()
        for other in others:
            other.data = {**other.data, "merged_into": kept.pk}
            other.save()
            # Figures found in a merged claim's sentence belong to the claim kept.
            other.children.update(parent=kept)
    return kept


KIND_ORDER = {"entity": 0, "claim": 1, "quote": 2, "figure": 3}


def decide_many(*, proposals, by, action, values=None):
    """Accept or reject several proposals; claims before their figures. Returns
    ``(done, errors)`` where errors maps a proposal to the one-line reason it was refused."""
    done, errors = [], {}
    for proposal in sorted(proposals, key=lambda p: (KIND_ORDER[p.kind], p.position, p.pk)):
        try:
            if action == "accept":
                accept(proposal=proposal, by=by, values=(values or {}).get(proposal.pk))
            else:
                reject(proposal=proposal, by=by)
            done.append(proposal)
        except (ValidationError, PermissionDenied) as error:
            errors[proposal] = "; ".join(_messages(error, proposal.kind))
    return done, errors


def _messages(error, kind):
    """One line per field, each named by its label ("As of: …"), not its attribute."""
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return [
                " ".join(messages)
                if field == NON_FIELD_ERRORS
                else f"{ImportProposal.field_label(kind, field)}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            ]
        return error.messages
    return [str(error) or "You may not do this."]
