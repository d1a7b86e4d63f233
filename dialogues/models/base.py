import hashlib
import re

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Exists, F, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.text import slugify

from dialogues.anchors import (
    AnchorAmbiguous,
    AnchorError,
    AnchorNotFound,
    TextQuoteSelector,
    locate,
    selector_for,
    text_fragment_url,
)
from dialogues.db_operations import PostgresSearchDocument
from dialogues.permissions import can_preview
from dialogues.validators import validate_no_control_characters

CLEAN_TEXT = [validate_no_control_characters]


SEARCH_LANGUAGE = "english"

# A section's number on a line of its own ("03"), over its heading: where a section starts.
NEXT_SECTION_NUMBER = re.compile(r"\n[ \t]*\d{1,2}[ \t]*\n")


def search_document(model):
    """``model``'s stored full-text document on PostgreSQL: the ``search_document`` column that
    migration 0009 (``PostgresSearchDocument``) generates from its ``SEARCH_FIELDS``, GIN indexed.
    Not a model field, so no query selects it unasked; site search matches and ranks on it."""
    column = f'"{model._meta.db_table}"."{PostgresSearchDocument.column}"'
    return RawSQL(column, [], output_field=SearchVectorField())


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def published(self, *, scheduled=False):
        """What anonymous readers may see; models that hold content narrow this. ``scheduled``
        adds what readers will see when scheduled coverage goes live, with no further write:
        changing that is changing what readers see (``permissions.readers_see``)."""
        return self

    def visible_to(self, user):
        """Published content, widened to everything for staff so they can preview drafts."""
        return self.visible_when(preview=can_preview(user))

    def visible_when(self, *, preview):
        """``visible_to`` a reader who may (``preview``) or may not see drafts."""
        return self if preview else self.published()

    def renamed_from(self, slug):
        """The object among these that was once called ``slug`` (``FormerSlug``), or None.
        Asked only after a lookup by the live slug found nothing. A slug that some object holds
        now, even a draft the reader may not see, is that object's: history never answers for
        it (else a draft's new slug would lead readers to the object that gave it up)."""
        former = FormerSlug.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), slug=slug
        ).values("object_id")
        taken = self.model._base_manager.filter(slug=slug)
        return self.filter(~Exists(taken), pk__in=former).first()


def renamed(model, slug, *, user):
    """The ``model`` once called ``slug`` that ``user`` may be led to (``renamed_from``): one
    they may see, or one withdrawn after readers saw it (whose current URL answers 410). None
    for anything else: a draft's old slug tells readers nothing its current one would not."""
    if not slug:
        return None
    item = model.objects.visible_to(user).renamed_from(slug)
    gone = getattr(model.objects, "gone", None)
    if item is None and gone is not None:
        item = gone().renamed_from(slug)
    return item


class SlugManager(models.Manager.from_queryset(SlugQuerySet)):
    pass


class SluggedModel(models.Model):
    """Anything with a unique slug: it is the natural key fixtures refer to it by."""

    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)

    def validate_unique(self, exclude=None):
        """Also refuses a slug another object gave up (``FormerSlug``): links to it lead to
        that object, and taking it would break them (or, for a draft, turn them into a 404 that
        tells readers something unpublished holds it)."""
        super().validate_unique(exclude=exclude)
        if exclude and "slug" in exclude or not self.slug:
            return
        given_up = (
            FormerSlug.objects.filter(
                content_type=ContentType.objects.get_for_model(type(self)), slug=self.slug
            )
            .exclude(object_id=self.pk)
            .first()
        )
        if given_up is not None:
            raise ValidationError(
                {
                    "slug": f"“{self.slug}” was the address of another {self._meta.verbose_name} until "
                    f"{given_up.replaced_at:%-d %B %Y}, and links to it still lead there: choose another slug."
                }
            )

    @classmethod
    def _slug_free(cls, slug):
        """Neither held now nor given up by another object (``validate_unique``)."""
        return (
            not cls._base_manager.filter(slug=slug).exists()
            and not FormerSlug.objects.filter(
                content_type=ContentType.objects.get_for_model(cls), slug=slug
            ).exists()
        )

    @classmethod
    def short_slug(cls, text, *, max_length=60, speakers=()):
        """A slug made from ``text`` for a URL people read and share: at most ``max_length``
        characters, cut where a word ends, with ``-2``, ``-3``… added when it is taken.

        Text with no Latin letters or digits (Chinese, say) slugifies to nothing, and slugs are
        ASCII: such a slug is the ``speakers``' names (or the model's) and a short hash of the
        text, so each quote still gets one of its own (“ada-lovelace-3f9a1c2e”)."""
        base = cls._cut(slugify(text), max_length)
        if not base:
            digest = hashlib.sha256(text.encode()).hexdigest()[:8]
            names = cls._cut(slugify(" ".join(str(s) for s in speakers)), max_length - len(digest) - 1)
            base = f"{names or cls._meta.model_name}-{digest}"
        slug, n = base, 1
        while not cls._slug_free(slug):
            n += 1
            suffix = f"-{n}"
            slug = base[: max_length - len(suffix)].rstrip("-") + suffix
        return slug

    @staticmethod
    def _cut(slug, max_length):
        """``slug`` cut to ``max_length`` where a word ends."""
        slug = slug[: max_length + 1]
        if len(slug) > max_length:
            # Up to the last hyphen, which may be just past the limit: then the limit ends a word.
            slug = slug[: slug.rfind("-")] if "-" in slug else slug[:max_length]
        return slug.strip("-")


class FormerSlug(models.Model):
    """A slug an object was known by before it was renamed: links to it keep working (a 301 to
    the current URL, pages and API alike). Written on every save that changes a slug, however
    it is made (``record_slug_change``); the object's id is what stays."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=120)
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="former_slug_once_per_model"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="former_slug_object")]

    def __str__(self):
        return self.slug


def remember_stored_slug(sender, instance, **kwargs):
    """Signal receiver (pre_save of every ``SluggedModel``): the slug the row has now, before
    this save. Every way of saving passes here: forms, the API, history restores, services,
    commands and rows loaded raw from a backup (``QuerySet.update`` alone does not)."""
    if instance.pk is None or getattr(sender, "instance_type", None) is not None:
        instance._stored_slug = None
        return
    instance._stored_slug = sender._base_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()


def record_slug_change(sender, instance, **kwargs):
    """Signal receiver (post_save of every ``SluggedModel``): after the save succeeded, keep the
    slug it replaced. A slug given up twice (A, B, A again, then C) leads to whoever gave it
    up last; while an object holds it, its history is not asked (``renamed_from``)."""
    stored = getattr(instance, "_stored_slug", None)
    instance._stored_slug = None
    if stored is None or stored == instance.slug:
        return
    content_type = ContentType.objects.get_for_model(sender)
    FormerSlug.objects.update_or_create(
        content_type=content_type,
        slug=stored,
        defaults={"object_id": instance.pk, "replaced_at": timezone.now()},
    )


def forget_former_slugs(sender, instance, **kwargs):
    """Signal receiver (post_delete of every ``SluggedModel``): a deleted object's old slugs
    lead nowhere, and would keep others from taking them (``validate_unique``). Every delete
    passes here: admin, API, services and cascades (``QuerySet.update`` or raw SQL do not)."""
    FormerSlug.objects.filter(
        content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
    ).delete()


class ConstraintErrorsOnFields:
    """Reports a violated unique constraint on the field a person changes to satisfy it
    (``constraint_fields``: constraint name → field), in the admin and the API alike, instead
    of a form-wide “Constraint … is violated.”: Django maps only a plain one-field unique
    constraint to its field. The message is the constraint's ``violation_error_message``, in
    which ``{holder}`` names the row that holds the value already (its slug, or what it prints)."""

    constraint_fields = {}

    def validate_constraints(self, exclude=None):
        # Django's ``Model.validate_constraints`` loop, with the field mapping added.
        using = router.db_for_write(type(self), instance=self)
        errors = {}
        for model, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.constraint_fields.get(constraint.name)
                    if field is None and error.code == "unique" and len(constraint.fields) == 1:
                        field = constraint.fields[0]
                    if field is None:
                        errors = error.update_error_dict(errors)
                        continue
                    if "{holder}" in error.message:
                        holder = self._holder_of(model, constraint)
                        error = ValidationError(
                            error.message.format(holder=getattr(holder, "slug", None) or holder),
                            code="unique",
                        )
                    errors.setdefault(field, []).append(error)
        if errors:
            raise ValidationError(errors)

    def _holder_of(self, model, constraint):
        """The other row with the values ``constraint`` keeps unique (asked only on a violation)."""
        if constraint.fields:
            matches = [Q(**{name: getattr(self, name)}) for name in constraint.fields]
        else:
            values = {F(f.name): Value(getattr(self, f.attname)) for f in model._meta.concrete_fields}
            matches = [Exact(e, e.replace_expressions(values)) for e in constraint.expressions]
        found = model._default_manager.filter(*matches)
        if constraint.condition is not None:
            found = found.filter(constraint.condition)
        if self.pk is not None:
            found = found.exclude(pk=self.pk)
        return found.first()


class TimestampedModel(models.Model):
    """When a row was created and last saved: what API clients keeping a copy sync by
    (``?updated_since=``). Rows loaded raw (fixtures, backups) keep the times they carry."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        return super().save(*args, **kwargs)


class EditConflict(ValidationError):
    """Someone saved the object after this edit started: saving would overwrite their work."""


class VersionedModel(models.Model):
    # Bumped on every save; forms and the API send back the version they started from, and a
    # stale one is refused instead of silently overwriting a colleague's edit.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is None or kwargs.get("force_insert"):
            return super().save(*args, **kwargs)
        rows = type(self)._base_manager.filter(pk=self.pk)
        expected = getattr(self, "expected_version", None)
        with transaction.atomic():
            if expected is not None:
                # One conditional UPDATE decides: of concurrent saves that started from the same
                # version exactly one matches the row, the others find it moved on. A read, a
                # compare and a write let 4 of 12 concurrent PATCHes through on PostgreSQL.
                if not rows.filter(version=expected).update(version=expected + 1):
                    current = rows.values_list("version", flat=True).first()
                    raise EditConflict(
                        f"{self._meta.verbose_name.capitalize()} was changed by someone else while you were "
                        f"editing (now version {current}, you started from {expected}). Reload it and apply "
                        "your change again.",
                        code="edit_conflict",
                    )
                self.version = expected + 1
            else:
                # By pk, not the model's ordering: an ordering through a nullable relation
                # (commentary by section) is an outer join, and PostgreSQL cannot lock its
                # nullable side.
                current = rows.select_for_update().order_by("pk").values_list("version", flat=True).first()
                self.version = (current or 0) + 1
            result = super().save(*args, **kwargs)
        # A second save of this same copy starts from what it just wrote.
        if expected is not None:
            self.expected_version = self.version
        return result

    def current_version(self):
        return type(self)._base_manager.filter(pk=self.pk).values_list("version", flat=True).first()


class RowOfCorrectable:
    """A row readers see as part of its parent (a claim's figure, a coverage's section): adding,
    changing or removing one of a parent they have seen is a visible change of the parent
    (``services.visible_change``), corrected as the parent (``correction_subject``). The row
    names its ``PARENT`` field and the ``VISIBLE_FIELDS`` readers see."""

    PARENT = ""
    VISIBLE_FIELDS = ()

    def needs_correction_note(self, changed_fields):
        parent = self.correction_subject
        rows = self._meta.get_field(self.PARENT).remote_field.get_accessor_name()
        if parent is None or not parent.needs_correction_note([rows]):
            return []
        return [name for name in self.VISIBLE_FIELDS if name in changed_fields]

    @property
    def correction_subject(self):
        return getattr(self, self.PARENT) if getattr(self, f"{self.PARENT}_id") else None


class CorrectableMixin:
    """Content readers have seen: once its coverage has been published, changing any field a
    reader sees (``CORRECTED_FIELDS``: text, attribution, status, evidence, criteria, dates)
    needs a public correction note or an Editor's typo-fix mark (``services.visible_change``),
    whatever the coverage's status or publish time is now."""

    CORRECTED_FIELDS = ()

    def is_live(self):
        """Readers have seen it: unpublishing or rescheduling does not make it unseen."""
        return self.coverage.was_published

    def needs_correction_note(self, changed_fields):
        """The changed fields that readers saw, if this is live and any of them changed."""
        if self.pk is None or not self.is_live():
            return []
        return [name for name in self.CORRECTED_FIELDS if name in changed_fields]


# Set only by ``services.withdraw``, which publishes its own note; any other change to them (a
# backup loaded over the database) is a visible change like the text's (``CORRECTED_FIELDS``).
WITHDRAWAL_FIELDS = ("withdrawn_at", "withdrawal_note")


class WithdrawableModel(models.Model):
    """Published quotes, claims and commentary are withdrawn, never deleted: their page (for
    commentary, the article's correction log) says when and why."""

    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_note = models.TextField(blank=True, editable=False, validators=CLEAN_TEXT)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self):
        return self.withdrawn_at is not None

    def readers_see_from(self):
        """When readers see it: its coverage's time (``Coverage.readers_see_from``), never once
        withdrawn."""
        return None if self.is_withdrawn else self.coverage.readers_see_from()


class AnchoredModel(models.Model):
    """A statement that points into its coverage's source text with a TextQuoteSelector."""

    anchor_exact = models.TextField(
        "passage (exact)",
        validators=CLEAN_TEXT,
        help_text="The passage exactly as the article's source text has it.",
    )
    anchor_prefix = models.CharField(
        "text before", max_length=200, blank=True, help_text="Filled in from the source text."
    )
    anchor_suffix = models.CharField(
        "text after", max_length=200, blank=True, help_text="Filled in from the source text."
    )

    class Meta:
        abstract = True

    @property
    def selector(self):
        return TextQuoteSelector(
            exact=self.anchor_exact, prefix=self.anchor_prefix, suffix=self.anchor_suffix
        )

    def anchor_span(self):
        """``(start, end)`` of the passage in the coverage's source text."""
        return locate(self.coverage.source_text, self.selector)

    def source_fragment_url(self):
        """Link to the original article scrolled to this passage, where the article has a URL."""
        if not self.coverage.original_url:
            return ""
        return text_fragment_url(self.coverage.original_url, self.selector)

    def context_passage(self, *, around=240):
        """``(before, passage, after)``: the passage with some of the text on either side, within
        its section: after the section's heading and subtitle, before the next section's number
        ("03" over its heading), which would otherwise run on into the context."""
        text = self.coverage.source_text
        start, end = self.anchor_span()
        before_start = text.rfind("\n", 0, max(0, start - around)) + 1 if start > around else 0
        section = getattr(self, "section", None)  # loaded with the row (``detail_rows``)
        for heading in (section.title, section.subtitle) if section else ():
            found = text.rfind(heading, before_start, start) if heading else -1
            before_start = before_start if found < 0 else found + len(heading)
        after_end = text.find("\n", min(len(text), end + around))
        after_end = len(text) if after_end == -1 else after_end
        next_section = NEXT_SECTION_NUMBER.search(text, end, after_end)
        after_end = next_section.start() if next_section else after_end
        return text[before_start:start].lstrip(), text[start:end], text[end:after_end].rstrip()

    def anchor_to(self, pasted, *, prefix="", suffix="", or_closest=False):
        """Point the anchor at ``pasted`` in the coverage's source text, stored as the source has
        it (``anchors.find_passage`` forgives pasted quotes, dashes and line breaks), with the
        text before and after filled in; ``prefix``/``suffix`` only pick among occurrences.
        ``or_closest``: a near miss is taken instead (the editor picked the one offered).

        Returns the passage's ``(start, end)``. Raises ValidationError on ``anchor_exact``; for
        a near miss its ``closest`` is the passage to offer, and the message names it and its
        section."""
        source = self.coverage.source_text
        try:
            selector = selector_for(source, pasted)
        except AnchorAmbiguous as error:
            selector = TextQuoteSelector(pasted, prefix, suffix)
            try:
                locate(source, selector)
            except AnchorError:
                raise ValidationError(
                    {"anchor_exact": f"{error} Fill in “text before” or “text after”."}
                ) from error
        except AnchorNotFound as error:
            closest = error.closest
            if closest is not None and or_closest:
                return self.anchor_to(closest.text)
            message = str(error)
            if closest is not None:
                section = self.coverage.section_at(closest.start)
                where = f"section {section}" if section else "the introduction"
                message += f" The closest passage, in {where}, is: “{closest.text}”."
            invalid = ValidationError({"anchor_exact": message})
            invalid.closest = closest
            raise invalid from error
        self.anchor_exact, self.anchor_prefix, self.anchor_suffix = (
            selector.exact,
            selector.prefix,
            selector.suffix,
        )
        return locate(source, selector)

    def clean_anchor(self):
        """Validate the anchor against the coverage; call from ``clean()``."""
        if not self.anchor_exact or not getattr(self, "coverage_id", None):
            return
        try:
            start, end = self.anchor_span()
        except AnchorError as error:
            raise ValidationError({"anchor_exact": str(error)}) from error
        section = getattr(self, "section", None)
        if section is not None and section.coverage_id == self.coverage_id:
            section_start, section_end = section.span()
            if not (section_start <= start and end <= section_end):
                raise ValidationError({"section": f"The passage is not in section {section}."})


def published_q(prefix="", *, scheduled=False):
    """The one definition of “published”: coverage whose status is published and whose
    publish time has come (or, with ``scheduled``, is yet to come). ``prefix`` reaches coverage
    from a related model, e.g. ``published_q("coverage__")`` on quotes."""
    from django.utils import timezone

    if scheduled:
        return Q(**{f"{prefix}status": "published"})
    return Q(**{f"{prefix}status": "published", f"{prefix}publish_at__lte": timezone.now()})


def seen_q(prefix=""):
    """``Coverage.was_published`` as a query: coverage readers have seen, published now or
    taken down since (its first publication has come)."""
    from django.utils import timezone

    return published_q(prefix) | Q(**{f"{prefix}first_published_at__lte": timezone.now()})
