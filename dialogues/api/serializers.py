from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.settings import api_settings

from dialogues import services
from dialogues.fragments import cached_pieces
from dialogues.models import (
    Affiliation,
    Claim,
    ClaimFigure,
    Commentary,
    Correction,
    Coverage,
    Dialogue,
    Event,
    EvidenceSource,
    Organization,
    Participant,
    Proposal,
    Quote,
    Section,
    Speaker,
    SpeakerAlias,
    Topic,
)
from dialogues.models.base import EditConflict as ModelEditConflict
from dialogues.permissions import can_preview, editorial_fields
from dialogues.rendering import render_markdown
from dialogues.validators import validate_no_control_characters

# A Contributor sending a field only Editors set (status, publish time, featured) is told what to
# do instead.
EDITORS_ONLY = "Only editors can change this: leave it out, and an Editor sets it when reviewing."


class SlugReferenceField(serializers.SlugRelatedField):
    """A related object in a request body, by its slug or by one it had before a rename
    (``FormerSlug``), as filters and URLs take it: a client holding an old slug need not look
    the new one up first. Answers name the current slug. The former slug is asked only when
    the live one found nothing, so a current slug costs no query more."""

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            item = self.get_queryset().renamed_from(data) if isinstance(data, str) else None
            if item is None:
                raise
            return item


class SlugList(serializers.ManyRelatedField):
    """A JSON array of slugs: an object (whose keys DRF would iterate) or a string is a 400."""

    def to_internal_value(self, data):
        if not isinstance(data, list):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


def slug_list(model):
    """A writable list of related objects, by slug."""
    return SlugList(
        child_relation=SlugReferenceField(queryset=model.objects.all()),
        required=False,
    )


class NullableSlugField(SlugReferenceField):
    """A related object by slug, or null for none: an empty string is a 400, as the schema
    says (DRF would read it as null)."""

    def run_validation(self, data=serializers.empty):
        if data == "":
            raise serializers.ValidationError("Send null for none, not an empty string.")
        return super().run_validation(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON ``true`` or ``false``: ``0``, ``1`` or ``"yes"`` are a 400, as the schema says
    (the API reads JSON only: no form sends booleans as text)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictCharField(serializers.CharField):
    """Text must arrive as a JSON string: ``0`` or ``true`` is an error, not silently "0".
    ``control_characters=True`` lets them through, for text judged whole elsewhere (an
    imported article: ``check_text``)."""

    def __init__(self, *, control_characters=False, **kwargs):
        self.control_characters = control_characters
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        # Judge what was sent, before whitespace trimming could hide an over-long value or a
        # control character at its edge.
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        if not self.control_characters:
            try:
                validate_no_control_characters(data)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from error
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    pass


class StrictURLField(StrictCharField, serializers.URLField):
    pass


class StrictEmailField(StrictCharField, serializers.EmailField):
    pass


# Model fields as the API reads them: each value must arrive as the JSON type the schema says.
STRICT_FIELDS = {
    models.CharField: StrictCharField,
    models.TextField: StrictCharField,
    models.SlugField: StrictSlugField,
    models.URLField: StrictURLField,
    models.EmailField: StrictEmailField,
    models.BooleanField: StrictBooleanField,
}


class BlankAsNullMixin:
    """Empty text is ``null`` in the API, as clients expect of a value that is not there (a
    generated client's ``None``), while the database keeps Django's ``""`` for empty text: a
    column with two empty values would need a rule for which one is meant. A ``null`` sent
    back is stored as ``""``."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if (
            isinstance(model_field, models.CharField | models.TextField)
            and model_field.blank
            and not model_field.null
        ):
            kwargs.update(allow_null=True, allow_blank=True)
        return field_class, kwargs

    @cached_property
    def _blank_as_null(self):
        return [
            name
            for name, field in self.fields.items()
            if getattr(field, "allow_blank", False) and field.allow_null
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in self._blank_as_null:
            if data.get(name) == "":
                data[name] = None
        return data

    def to_internal_value(self, data):
        if isinstance(data, dict):
            sent_null = {name: "" for name in self._blank_as_null if name in data and data[name] is None}
            if sent_null:
                data = {**data, **sent_null}
        return super().to_internal_value(data)


class KnownFieldsOnly:
    """A misspelt field is an error, not silently ignored; fields the API shows may be sent back."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(key for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError({key: ["Unknown field."] for key in unknown})
        return super().to_internal_value(data)


class ModelCleanMixin(KnownFieldsOnly, BlankAsNullMixin):
    """Run the model's own validation (``full_clean``) so the API enforces exactly the rules
    the admin does, and report them as field errors."""

    many_to_many_rules = None
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, **STRICT_FIELDS}

    def to_internal_value(self, data):
        attrs = super().to_internal_value(data)
        self._check_editorial(attrs)
        return attrs

    def _check_editorial(self, attrs):
        """Featuring, status and scheduling are Editors' (``dialogues.permissions``): sending
        a new value without that role is a field error, sending the current one is harmless."""
        request = self.context.get("request")
        if request is None:
            return
        model = self.Meta.model
        current = self.instance or model()
        refused = {
            name: [EDITORS_ONLY]
            for name in editorial_fields(request.user, model)
            if name in attrs and attrs[name] != getattr(current, name)
        }
        if refused:
            raise serializers.ValidationError(refused)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        self._check_version(attrs.pop("version", None))
        errors = {}
        note, typo_fix = attrs.pop("correction_note", ""), attrs.pop("typo_fix", False)
        self._correction_note = ""
        self._changed = []
        if self.instance is not None:
            changed = self._changed = [name for name, value in attrs.items() if self._differs(name, value)]
            try:
                self._correction_note = services.visible_change(
                    instance=self.instance,
                    changed_fields=changed,
                    note=note,
                    typo_fix=typo_fix,
                    by=self.context["request"].user,
                )
            except DjangoValidationError as error:
                errors.update(serializers.as_serializer_error(error))
        elif note:
            self._correction_note = note.strip()
        plain = {
            k: v for k, v in attrs.items() if not isinstance(self.fields.get(k), serializers.ManyRelatedField)
        }
        instance = self.instance or self.Meta.model()
        for name, value in plain.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(exclude=self._excluded_from_clean())
            if self.many_to_many_rules:
                self.many_to_many_rules(instance, attrs)
        except DjangoValidationError as error:
            errors.update(serializers.as_serializer_error(error))
        finally:
            if self.instance is not None:
                self.instance.refresh_from_db()
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _check_version(self, sent):
        """Writes to published content name the version they start from, in ``version`` (which
        ``VersionField`` has already checked is a whole number) or an ``If-Match`` header with
        the version or the ETag read: a stale one is a 409 (412 for If-Match), a missing one a
        428, and the save itself checks it again atomically (``VersionedModel.save``)."""
        if self.instance is None or not hasattr(self.instance, "version"):
            return
        request = self.context.get("request")
        if_match = request.headers.get("If-Match", "").strip() if request is not None else ""
        if if_match:
            check_if_match_version(if_match, self.instance)
            self.instance.expected_version = self.instance.version
            return
        if sent is None:
            is_live = getattr(self.instance, "is_live", None)
            if is_live is not None and is_live():
                raise PreconditionRequired()
            return
        if sent != self.instance.version:
            raise EditConflict(stale_message(self.instance, sent))
        self.instance.expected_version = sent

    def _differs(self, name, value):
        if isinstance(self.fields.get(name), serializers.ManyRelatedField):
            return {obj.pk for obj in value} != set(getattr(self.instance, name).values_list("pk", flat=True))
        return getattr(self.instance, name, None) != value

    def save(self, **kwargs):
        if self.instance is not None and not self._changed and not self._correction_note:
            # Nothing to write: the version stays, so copies other clients hold stay current.
            return self.instance
        try:
            instance = super().save(**kwargs)
        except ModelEditConflict as error:  # lost the race the version check above had won
            raise EditConflict(" ".join(error.messages)) from error
        if getattr(self, "_correction_note", ""):
            services.correction_add(
                subject=instance, note=self._correction_note, by=self.context["request"].user
            )
        return instance

    def _excluded_from_clean(self):
        """Model fields this serializer does not write are not its business to validate."""
        written = set()
        for field in self.fields.values():
            children = field.fields.values() if field.source == "*" and hasattr(field, "fields") else [field]
            written.update(child.source.split(".")[0] for child in children)
        return [f.name for f in self.Meta.model._meta.get_fields() if f.name not in written]


# Part of every cached item's key: items cached before a change to what an item's JSON holds
# (its version unchanged) are not served after it. 2: empty text is null; 3: `id`.
ITEM_SHAPE = 3


class CachedItemsListSerializer(serializers.ListSerializer):
    """``many=True`` of a versioned item's serializer (quotes, claims, commentary), each item's
    representation read from the per-object cache (``dialogues.fragments``) under its version.

    The items come as keys and versions only (``values_list("pk", "version", named=True)``):
    ``rows(pks)`` loads the rows of the items the cache lacks, which alone are serialized. What
    an item's JSON depends on besides the item and its neighbours is the request's scheme and
    host and any format it names (its URLs are absolute), whether the requester sees drafts
    (commentary names only the quotes and claims they may see), and the view's ``depends_on``,
    so those are part of its key."""

    def __init__(self, *args, rows, depends_on="", **kwargs):
        self.rows = rows
        self.depends_on = depends_on
        super().__init__(*args, **kwargs)

    def to_representation(self, data):
        request = self.context["request"]
        # DRF keeps a format suffix, or ``?format=``, in the URLs it builds.
        origin = "|".join(
            (
                request.build_absolute_uri("/"),
                self.context.get("format") or "",
                request.query_params.get(api_settings.URL_FORMAT_OVERRIDE, ""),
                "preview" if can_preview(request.user) else "",
                self.depends_on,
            )
        )
        loaded = {}
        # An item deleted after the page query listed it has no row: the page goes without it.
        return cached_pieces(
            f"api-{ITEM_SHAPE}-{type(self.child).__name__}",
            data,
            lambda item: _plain(self.child.to_representation(loaded[item.pk])) if item.pk in loaded else None,
            prepare=lambda missing: loaded.update(self.rows([item.pk for item in missing])),
            extra=lambda item: origin,
        )


def _plain(value):
    """A representation as plain dicts, lists and strings. DRF's hyperlinks are ``str``
    subclasses carrying their model instance, which the cache would otherwise pickle along."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


class EditConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This was changed by someone else; fetch it again."
    default_code = "edit_conflict"


class PreconditionFailed(EditConflict):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "This is published: send the version you read, as `version` in the body or an "
        '`If-Match: "<version>"` header.'
    )
    default_code = "precondition_required"


def check_if_match_version(header, item):
    """412 unless ``If-Match`` names ``item``'s current version (or the ETag of it)."""
    expected = _version_from_if_match(header)
    if expected != item.version:
        raise PreconditionFailed(stale_message(item, expected))


def stale_message(item, sent):
    return (
        f"This was changed by someone else: it is at version {item.version}, you sent version "
        f"{sent}. Fetch it again and reapply your change."
    )


def _version_from_if_match(header):
    """``"3"`` (or ``W/"3"``, ``3``) as 3, and so is the ETag of version 3 of an object,
    ``"3-<digest>"`` (``dialogues.caching.APIConditionalGetMiddleware``); anything else is a 400."""
    value = header.removeprefix("W/").strip('"').split("-", 1)[0]
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise serializers.ValidationError(
            {"version": ['If-Match takes the ETag or the version you read, e.g. "3".']}
        )
    return int(value)


class VersionField(serializers.IntegerField):
    """The ``version`` an object is at, which a change sends back as the one it started from."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            "Bumped by every change. Send back the version you read with a change (or an "
            '`If-Match` header with the ETag or `"<version>"`): if someone changed it since, the '
            "change is refused with 409 (412 for If-Match), not silently overwritten. Required "
            "(or If-Match) for published content, else 428; ignored when creating.",
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # JSON's 3 only: "3", 3.0 and true are not a version someone read.
        if isinstance(data, bool) or not isinstance(data, int):
            raise serializers.ValidationError("A whole number: the version you read.")
        return super().to_internal_value(data)


CORRECTION_NOTE = {
    "write_only": True,
    "required": False,
    "allow_blank": True,
    "help_text": "Required when changing what readers of published content see; shown to readers. "
    "With `typo_fix` (Editors only), kept in history instead.",
}


def typo_fix_field():
    return StrictBooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Editors: no public correction, the change is recorded in history as a typo fix.",
    )


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.Field):
    """``html_url``, the same on every resource: the public page a person reads the object on
    (for a commentary, its place in the article), or null for what has no page of its own."""

    def __init__(self, **kwargs):
        kwargs.update(source="*", read_only=True)
        kwargs.setdefault(
            "help_text", "The page people read this on at the site; null where it has no page of its own."
        )
        super().__init__(**kwargs)

    def to_representation(self, obj):
        if not hasattr(obj, "get_absolute_url"):
            return None
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


def id_field():
    return serializers.IntegerField(
        read_only=True,
        help_text="The item's id: it never changes, while its `slug` (and so its `url`) may. Key "
        "your copy by it; `GET /api/v1/<resource>/id/<id>/` answers with the item.",
    )


class AliasSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    """Another name a speaker or topic goes by, in any language or script: "黄仁勋" for Huang
    Renxun, "开源" for Open source. Search finds the speaker or topic by it."""

    class Meta:
        model = SpeakerAlias
        fields = ["name", "language", "note"]


class TopicSerializer(ModelCleanMixin, serializers.HyperlinkedModelSerializer):
    id = id_field()
    url = serializers.HyperlinkedIdentityField(view_name="v1:topic-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    # Read-only, as a speaker's: edited in the admin. Its other names ("开源"), in any language.
    aliases = AliasSerializer(many=True, read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "name",
            "aliases",
            "description",
            "created_at",
            "updated_at",
        ]


class OrganizationSerializer(ModelCleanMixin, serializers.HyperlinkedModelSerializer):
    id = id_field()
    url = serializers.HyperlinkedIdentityField(view_name="v1:organization-detail", lookup_field="slug")
    # Organizations have no page on the site (yet): always null, so every resource has the key.
    html_url = HtmlUrlField(allow_null=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "name",
            "kind",
            "website",
            "description",
            "created_at",
            "updated_at",
        ]


class AffiliationSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Affiliation
        fields = ["organization", "organization_name", "title", "valid_from", "valid_to"]


class SpeakerSerializer(ModelCleanMixin, serializers.HyperlinkedModelSerializer):
    id = id_field()
    version = VersionField()
    url = serializers.HyperlinkedIdentityField(view_name="v1:speaker-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    aliases = AliasSerializer(many=True, read_only=True)
    affiliations = AffiliationSerializer(many=True, read_only=True)

    class Meta:
        model = Speaker
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "name",
            "aliases",
            "bio",
            "wikidata_id",
            "affiliations",
            "created_at",
            "updated_at",
            "version",
        ]


class EventSerializer(ModelCleanMixin, serializers.HyperlinkedModelSerializer):
    id = id_field()
    version = VersionField()
    url = serializers.HyperlinkedIdentityField(view_name="v1:event-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    organizer = NullableSlugField(
        slug_field="slug", queryset=Organization.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Event
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "name",
            "short_name",
            "edition",
            "year",
            "city",
            "country",
            "starts_on",
            "ends_on",
            "website",
            "organizer",
            "description",
            "created_at",
            "updated_at",
            "version",
        ]


class ParticipantSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    speaker = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="speaker.name", read_only=True)

    class Meta:
        model = Participant
        fields = ["speaker", "name", "role", "position"]


class DialogueSerializer(ModelCleanMixin, serializers.HyperlinkedModelSerializer):
    id = id_field()
    version = VersionField()
    url = serializers.HyperlinkedIdentityField(view_name="v1:dialogue-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    event = SlugReferenceField(queryset=Event.objects.all())
    participants = ParticipantSerializer(many=True, read_only=True)
    topics = slug_list(Topic)

    class Meta:
        model = Dialogue
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "title",
            "event",
            "held_on",
            "format",
            "duration_minutes",
            "summary",
            "participants",
            "topics",
            "created_at",
            "updated_at",
            "version",
        ]


class SectionSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["number", "title", "subtitle"]


def validate_writable_coverage(coverage, user):
    """The coverage a quote, claim or commentary is written into: visible, and editable by this user."""
    if not Coverage.objects.visible_to(user).filter(pk=coverage.pk).exists():
        raise serializers.ValidationError("No such coverage.")
    # Writing into published coverage is a proposal for a Contributor: the view decides
    # (``dialogues.permissions.write_access``).
    return coverage


class CorrectionSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    class Meta:
        model = Correction
        fields = ["note", "made_at"]


class CoverageSerializer(ModelCleanMixin, serializers.HyperlinkedModelSerializer):
    id = id_field()
    version = VersionField()
    url = serializers.HyperlinkedIdentityField(view_name="v1:coverage-detail", lookup_field="slug")
    dialogue = SlugReferenceField(queryset=Dialogue.objects.all())
    sections = SectionSerializer(many=True, read_only=True)
    topics = slug_list(Topic)
    html_url = HtmlUrlField()
    corrections = CorrectionSerializer(many=True, read_only=True)
    correction_note = StrictCharField(**CORRECTION_NOTE)
    typo_fix = typo_fix_field()

    class Meta:
        model = Coverage
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "title",
            "dek",
            "dialogue",
            "source_publication",
            "author",
            "copyright_notice",
            "original_url",
            "language",
            "translated_from",
            "original_published_on",
            "status",
            "publish_at",
            "topics",
            "sections",
            "source_text",
            "corrections",
            "correction_note",
            "typo_fix",
            "created_at",
            "updated_at",
            "version",
        ]


class SpeakerBriefSerializer(serializers.ModelSerializer):
    """The few speaker fields a quote or claim embeds, so clients need no second request."""

    class Meta:
        model = Speaker
        fields = ["slug", "name"]


class AnchorSerializer(BlankAsNullMixin, serializers.Serializer):
    type = serializers.SerializerMethodField()
    exact = StrictCharField(source="anchor_exact")
    prefix = StrictCharField(source="anchor_prefix", allow_blank=True, allow_null=True, required=False)
    suffix = StrictCharField(source="anchor_suffix", allow_blank=True, allow_null=True, required=False)

    def get_type(self, obj) -> str:
        return "TextQuoteSelector"

    def to_internal_value(self, data):
        # An anchor sent is a whole selector, in a PATCH too: prefix and suffix only pick among
        # the places its exact text occurs.
        if isinstance(data, dict) and "exact" not in data:
            raise serializers.ValidationError({"exact": [self.fields["exact"].error_messages["required"]]})
        return super().to_internal_value(data)


class StatementSerializerMixin(ModelCleanMixin, serializers.Serializer):
    version = VersionField()
    speakers = SlugReferenceField(many=True, queryset=Speaker.objects.all())
    speaker_names = SpeakerBriefSerializer(source="speakers", many=True, read_only=True)
    dialogue = SlugReferenceField(queryset=Dialogue.objects.all())
    coverage = SlugReferenceField(queryset=Coverage.objects.all())
    section = serializers.IntegerField(source="section.number", read_only=True, allow_null=True)
    anchor = AnchorSerializer(source="*")
    topics = slug_list(Topic)
    corrections = CorrectionSerializer(many=True, read_only=True)
    correction_note = StrictCharField(**CORRECTION_NOTE)
    typo_fix = typo_fix_field()
    html_url = HtmlUrlField()

    def validate_coverage(self, coverage):
        return validate_writable_coverage(coverage, self.context["request"].user)

    slug_from = None  # the field a new item's slug is made from when none is sent

    def validate(self, attrs):
        if self.instance is None and not attrs.get("slug") and attrs.get(self.slug_from):
            attrs["slug"] = self.Meta.model.short_slug(
                attrs[self.slug_from], speakers=attrs.get("speakers") or ()
            )
        # Before the model's rules and the correction-note check, as the admin form does
        # (``AnchoredForm``): the passage as the source has it, the section from where it sits.
        if "anchor_exact" in attrs:
            coverage = attrs.get("coverage") or self.instance.coverage
            statement = self.Meta.model(coverage=coverage)
            try:
                start, _end = statement.anchor_to(
                    attrs["anchor_exact"],
                    prefix=attrs.get("anchor_prefix", ""),
                    suffix=attrs.get("anchor_suffix", ""),
                )
            except DjangoValidationError as error:
                raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
            for name in ("anchor_exact", "anchor_prefix", "anchor_suffix"):
                attrs[name] = getattr(statement, name)
            # The API cannot name a section (it is read-only there): it follows the passage.
            if self.instance is None or self._differs("anchor_exact", attrs["anchor_exact"]):
                attrs["section"] = coverage.section_at(start)
        return super().validate(attrs)


class QuoteSerializer(StatementSerializerMixin, serializers.HyperlinkedModelSerializer):
    id = id_field()
    url = serializers.HyperlinkedIdentityField(view_name="v1:quote-detail", lookup_field="slug")
    slug_from = "text"

    class Meta:
        model = Quote
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "text",
            "kind",
            "original_text",
            "original_language",
            "speakers",
            "speaker_names",
            "dialogue",
            "coverage",
            "section",
            "anchor",
            "topics",
            "is_featured",
            "corrections",
            "withdrawn_at",
            "withdrawal_note",
            "correction_note",
            "typo_fix",
            "created_at",
            "updated_at",
            "version",
        ]
        extra_kwargs = {"slug": {"required": False, "help_text": "Made from the words when not sent."}}

    @staticmethod
    def many_to_many_rules(instance, attrs):
        if "speakers" in attrs or instance.pk is None:
            instance.clean_speakers(attrs.get("speakers", []))


class EvidenceSourceSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    publisher = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = EvidenceSource
        fields = ["slug", "title", "publisher", "url", "published_on", "note"]


class FigureSerializer(BlankAsNullMixin, serializers.ModelSerializer):
    class Meta:
        model = ClaimFigure
        fields = ["label", "value", "unit", "qualifier", "as_of"]


class ClaimSerializer(StatementSerializerMixin, serializers.HyperlinkedModelSerializer):
    id = id_field()
    url = serializers.HyperlinkedIdentityField(view_name="v1:claim-detail", lookup_field="slug")
    slug_from = "statement"
    speakers = slug_list(Speaker)
    evidence = slug_list(EvidenceSource)
    evidence_sources = EvidenceSourceSerializer(source="evidence", many=True, read_only=True)
    figures = FigureSerializer(many=True, read_only=True)
    organizations_mentioned = slug_list(Organization)

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "statement",
            "kind",
            "attribution",
            "speakers",
            "speaker_names",
            "dialogue",
            "coverage",
            "section",
            "anchor",
            "status",
            "checked_on",
            "check_note",
            "evidence",
            "evidence_sources",
            "figures",
            "organizations_mentioned",
            "topics",
            "resolve_by",
            "resolution_criteria",
            "outcome",
            "corrections",
            "withdrawn_at",
            "withdrawal_note",
            "correction_note",
            "typo_fix",
            "created_at",
            "updated_at",
            "version",
        ]
        extra_kwargs = {"slug": {"required": False, "help_text": "Made from the words when not sent."}}

    @staticmethod
    def many_to_many_rules(instance, attrs):
        speakers = attrs.get("speakers", list(instance.speakers.all()) if instance.pk else [])
        evidence = attrs.get("evidence", list(instance.evidence.all()) if instance.pk else [])
        instance.clean_related(speakers=speakers, evidence=evidence)


class CoverageStepSerializer(KnownFieldsOnly, serializers.Serializer):
    """What publishing or unpublishing coverage reads from the body: both optional."""

    correction_note = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why, for readers: needed to unpublish, or to publish again, what readers saw.",
    )
    typo_fix = StrictBooleanField(
        required=False,
        default=False,
        help_text="An Editor's mark that the change is a typo fix, instead of a note.",
    )


class WithdrawSerializer(KnownFieldsOnly, serializers.Serializer):
    note = StrictCharField(help_text="Why it is withdrawn: readers see this note.")


# Named in the schema as what it holds: a generated client's "PaginatedClaimListList" was not.
@extend_schema_serializer(component_name="ClaimSummary")
class ClaimListSerializer(ClaimSerializer):
    """Claims in lists: evidence as slugs, without the detail-only sources, mentions and corrections,
    so a page of claims costs a fixed handful of queries."""

    class Meta(ClaimSerializer.Meta):
        fields = [
            f
            for f in ClaimSerializer.Meta.fields
            if f not in ("evidence_sources", "organizations_mentioned", "corrections")
        ]


class CommentarySerializer(ModelCleanMixin, serializers.HyperlinkedModelSerializer):
    id = id_field()
    version = VersionField()
    url = serializers.HyperlinkedIdentityField(view_name="v1:commentary-detail", lookup_field="slug")
    html_url = HtmlUrlField()
    coverage = SlugReferenceField(queryset=Coverage.objects.all())
    section = serializers.IntegerField(source="section.number", read_only=True, allow_null=True)
    body_html = serializers.SerializerMethodField()
    quotes = slug_list(Quote)
    claims = slug_list(Claim)
    topics = slug_list(Topic)
    correction_note = StrictCharField(**CORRECTION_NOTE)
    typo_fix = typo_fix_field()

    class Meta:
        model = Commentary
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "coverage",
            "section",
            "title",
            "body",
            "body_html",
            "position",
            "quotes",
            "claims",
            "topics",
            "withdrawn_at",
            "withdrawal_note",
            "correction_note",
            "typo_fix",
            "created_at",
            "updated_at",
            "version",
        ]

    def validate_coverage(self, coverage):
        return validate_writable_coverage(coverage, self.context["request"].user)

    def get_body_html(self, obj) -> str:
        return str(render_markdown(obj.body))


class ProposalAcceptedSerializer(serializers.ModelSerializer):
    """202 Accepted: a Contributor's change to what readers see waits for an Editor."""

    detail = serializers.SerializerMethodField()
    review_url = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "status", "detail", "target", "changes", "proposed_at", "review_url"]

    def get_detail(self, obj) -> str:
        return "Your change was sent to an Editor for review."

    def get_target(self, obj) -> str | None:
        return f"{obj.content_type.model}/{obj.object_id}" if obj.object_id else None

    def get_review_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())
