import copy
import hashlib
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from dialogues import services
from dialogues.api import examples, filters
from dialogues.api import serializers as api_serializers
from dialogues.api.errors import Gone, Moved
from dialogues.api.renderers import CSVRenderer, JSONRenderer
from dialogues.caching import cached_for_anonymous, current_generation
from dialogues.models import (
    Affiliation,
    Claim,
    Commentary,
    Coverage,
    Dialogue,
    Event,
    Organization,
    Participant,
    Quote,
    Speaker,
    Topic,
)
from dialogues.models.base import renamed
from dialogues.permissions import Access, can_preview, write_access


class ContentViewSet(viewsets.ModelViewSet):
    """Slug lookups, visibility through the model's ``visible_to`` and no PUT: clients send
    PATCH with the fields they change."""

    lookup_field = "slug"
    # Slugs only: anything else in the path is a 404 from the router, never a database lookup.
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user)

    def get_object(self):
        item = self._get_object()
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and "If-Match" in self.request.headers:
            self._check_if_match(item)
        return item

    def _check_if_match(self, item):
        """``If-Match`` on any write: 412 when what the client read has changed since. A
        versioned item compares versions (a PATCH's serializer does, atomically with the save);
        one without a version compares the ETag its read carried (the digest of its JSON)."""
        header = self.request.headers["If-Match"].strip()
        if hasattr(item, "version"):
            if self.request.method != "PATCH":
                api_serializers.check_if_match_version(header, item)
            return
        etag = f'"{hashlib.md5(self._read_bytes(item), usedforsecurity=False).hexdigest()}"'
        if etag not in {tag.strip().removeprefix("W/") for tag in header.split(",")}:
            raise api_serializers.PreconditionFailed(
                "This was changed by someone else since you read it (its ETag is not the one you "
                "sent). Fetch it again and reapply your change."
            )

    def _read_bytes(self, item):
        """The JSON a read of ``item`` sends this requester, whose digest is its ETag
        (``dialogues.caching.APIConditionalGetMiddleware``)."""
        context = {"request": self.request, "view": self, "response": None}
        return JSONRenderer().render(self.get_serializer(item).data, JSONRenderer.media_type, context)

    def _get_object(self):
        try:
            return super().get_object()
        except Http404:
            # A slug the object had before a rename: only now, so a found object costs no
            # query more; among what the requester may see, so a draft's old slug is a 404 too.
            item = renamed(self.queryset.model, self.kwargs.get("slug"), user=self.request.user)
            if item is None:
                raise
            if self.request.method not in ("GET", "HEAD", "DELETE") and not isinstance(
                self.request.data, Mapping
            ):
                # A body that is not a JSON object (or not JSON: parsing raises ParseError) is a
                # 400 wherever it is sent: say so before the 308 that would have it sent again.
                raise exceptions.ParseError("Send the fields as a JSON object.") from None
            if self.request.method == "PATCH":
                # So are fields the new URL would refuse, each by its own rules (a wrong type, a
                # name the resource lacks), before a 308 that would only lead the client to them.
                serializer = self.get_serializer(item, data=self.request.data, partial=True)
                serializer.to_internal_value(self.request.data)
            raise Moved(self._current_url(item), safe=self.request.method in ("GET", "HEAD")) from None

    def _current_url(self, item):
        """This request's URL with ``item``'s current slug in place of the old one, query kept."""
        match = self.request.resolver_match
        path = reverse(match.view_name, kwargs={**match.kwargs, self.lookup_field: item.slug})
        query = self.request.META.get("QUERY_STRING", "")
        return self.request.build_absolute_uri(f"{path}?{query}" if query else path)

    @classmethod
    def by_id(cls):
        """The same viewset, its items found by ``id`` (``/api/v1/<resource>/id/<id>/``): every
        read, write and action the slug URL takes, with the same permissions and policy, and
        no redirect (generated clients do not follow them). Routed by ``urls.IdRouter``."""
        return type(
            f"{cls.__name__}ById",
            (cls,),
            {"lookup_field": "id", "lookup_value_regex": "[0-9]{1,18}"},
        )

    # Anonymous reads come from the shared cache, invalidated by every edit (dialogues.caching).
    def list(self, request, *args, **kwargs):
        return cached_for_anonymous(request, lambda: self.list_response(request, *args, **kwargs))

    def list_response(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return cached_for_anonymous(request, lambda: self.retrieve_response(request, *args, **kwargs))

    def retrieve_response(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        version = response.data.get("version") if isinstance(response.data, dict) else None
        if version is not None:
            # The start of its ETag (``APIConditionalGetMiddleware``), so that a client may send
            # the ETag it read back as ``If-Match``.
            response["ETag"] = f'"{version}"'
        return response

    # A write and its correction note land together or not at all. What a Contributor writes
    # into what readers see is kept as a proposal instead (``write_access``), answered with 202.
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = self.perform_create(serializer)
        if proposal is not None:
            return self.proposal_response(proposal)
        headers = self.get_success_headers(serializer.data)
        return Response(serializer.data, status=status.HTTP_201_CREATED, headers=headers)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        proposal = self.perform_update(serializer)
        if proposal is not None:
            return self.proposal_response(proposal)
        if getattr(instance, "_prefetched_objects_cache", None):
            instance._prefetched_objects_cache = {}
        return Response(serializer.data)

    @transaction.atomic
    def perform_create(self, serializer):
        model = serializer.Meta.model
        plain = self._model_values(model, serializer.validated_data, plain=True)
        obj = model(**plain)
        if model is Coverage:
            obj.created_by = self.request.user
        access = write_access(self.request.user, "add", obj)
        if access is Access.DENY:
            raise exceptions.PermissionDenied()
        if access is Access.PROPOSE:
            return self._propose(serializer, model=model)
        extra = {"created_by": self.request.user} if model is Coverage else {}
        serializer.save(**extra)
        return None

    @transaction.atomic
    def perform_update(self, serializer):
        original = serializer.instance
        changed = copy.copy(original)
        for name, value in self._model_values(type(original), serializer.validated_data, plain=True).items():
            setattr(changed, name, value)
        access = write_access(self.request.user, "change", changed, original=original)
        if access is Access.DENY:
            raise exceptions.PermissionDenied()
        if access is Access.PROPOSE:
            return self._propose(serializer, target=original)
        serializer.save()
        return None

    @transaction.atomic
    def perform_destroy(self, instance):
        if write_access(self.request.user, "delete", instance) is not Access.ALLOW:
            raise exceptions.PermissionDenied()
        instance.delete()

    @staticmethod
    def _model_values(model, data, *, plain):
        names = {f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many}
        return {
            name: value
            for name, value in data.items()
            if name in names and not (plain and model._meta.get_field(name).many_to_many)
        }

    def _propose(self, serializer, *, target=None, model=None):
        try:
            return services.propose_change(
                by=self.request.user,
                values=self._model_values(model or type(target), serializer.validated_data, plain=False),
                target=target,
                model=model,
                correction_note=getattr(serializer, "_correction_note", ""),
            )  # None when nothing would change: answered as an unchanged object
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error

    def proposal_response(self, proposal):
        data = api_serializers.ProposalAcceptedSerializer(
            proposal, context=self.get_serializer_context()
        ).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


# Lists of versioned content (quotes, claims, commentary) whose items are cached one by one
# under their version (``CachedItemsListSerializer``). A list reads its page as keys and
# versions only; the serializer asks ``item_rows`` for the rows of the items it must render
# afresh: the columns of ``list_fields``, the ``related`` rows they name and ``item_prefetches``.
# A single object reads all of that with its row.
# (A comment, not a docstring: drf-spectacular publishes a view's docstring in the schema.)
class CachedItemsMixin:
    list_fields = ()
    related = ()
    item_prefetches = ()
    # Rows loaded per query for the items to render: a CSV export renders every match, and
    # SQLite refuses a query with more than 32,766 parameters.
    ROWS_PER_QUERY = 500

    def get_queryset(self):
        if self.action == "list":
            # Each row's coverage is looked up on its own (``published_per_row``): joined to
            # published coverage, SQLite reads every published coverage before the first row.
            # Keys and versions only, as rows rather than instances: the cache holds each item's
            # JSON, and 50 model instances built for two values were an eighth of a list's time.
            preview = can_preview(self.request.user)
            return self.queryset.visible_per_row_when(preview=preview).values_list(
                "pk", "version", named=True
            )
        return (
            super().get_queryset().select_related(*self.related).prefetch_related(*self.get_item_prefetches())
        )

    def get_item_prefetches(self):
        return self.item_prefetches

    def item_depends_on(self):
        """What else an item's cached JSON depends on, for its key (see CommentaryViewSet)."""
        return ""

    def item_rows(self, pks):
        """``{pk: row}`` of the listed items ``pks``, with what their JSON prints."""
        rows = (
            self.queryset.select_related(*self.related)
            .only(*self.list_fields)
            .prefetch_related(*self.get_item_prefetches())
        )
        found = {}
        for start in range(0, len(pks), self.ROWS_PER_QUERY):
            found.update(
                (row.pk, row) for row in rows.filter(pk__in=pks[start : start + self.ROWS_PER_QUERY])
            )
        return found

    def get_serializer(self, *args, **kwargs):
        if not kwargs.pop("many", False):
            return super().get_serializer(*args, **kwargs)
        kwargs.setdefault("context", self.get_serializer_context())
        return api_serializers.CachedItemsListSerializer(
            *args,
            child=self.get_serializer_class()(),
            rows=self.item_rows,
            depends_on=self.item_depends_on(),
            **kwargs,
        )


# The columns every quote or claim in a list reads: its own, and the keys of its coverage,
# dialogue and section (not their rows: a coverage carries its whole source text).
STATEMENT_LIST_FIELDS = (
    "slug",
    "dialogue__slug",
    "coverage__slug",
    "section__number",
    "anchor_exact",
    "anchor_prefix",
    "anchor_suffix",
    "version",
    "created_at",
    "updated_at",
    "withdrawn_at",  # staff lists show what was withdrawn; readers' lists leave it out
    "withdrawal_note",
)


class CSVExportMixin:
    """``?format=csv`` returns every matching row as CSV, unpaginated, for analysts."""

    csv_export = True  # documented in the list's description (``dialogues.api.schema``)
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, CSVRenderer]

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action != "list":
            renderers = [r for r in renderers if not isinstance(r, CSVRenderer)]
        return renderers

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(getattr(request, "accepted_renderer", None), CSVRenderer):
            if response.status_code >= 400:
                # Errors are always JSON, even for a client that asked for CSV.
                request.accepted_renderer = JSONRenderer()
                request.accepted_media_type = JSONRenderer.media_type
            else:
                # A file to save, named after what it holds, rather than text to show.
                name = self.queryset.model._meta.verbose_name_plural.replace(" ", "-")
                response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return super().finalize_response(request, response, *args, **kwargs)

    def paginate_queryset(self, queryset):
        if (
            getattr(self.request, "accepted_renderer", None)
            and self.request.accepted_renderer.format == "csv"
        ):
            self.paginator.get_page_size(self.request)  # a bad page_size is still a 400
            return None
        return super().paginate_queryset(queryset)


@extend_schema_view(
    list=extend_schema(summary="List topics", examples=examples.TOPIC_EXAMPLES["list"]),
    retrieve=extend_schema(summary="One topic", examples=examples.TOPIC_EXAMPLES["retrieve"]),
    create=extend_schema(examples=examples.TOPIC_EXAMPLES["create"]),
    partial_update=extend_schema(examples=examples.TOPIC_EXAMPLES["partial_update"]),
)
class TopicViewSet(ContentViewSet):
    queryset = Topic.objects.all()
    serializer_class = api_serializers.TopicSerializer
    filterset_class = filters.UpdatedSinceFilter
    search_fields = ["name", "aliases__name", "description"]
    ordering_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("aliases")

    def filter_queryset(self, queryset):
        # A search that joins aliases can repeat a topic; keep each once.
        return super().filter_queryset(queryset).distinct()


@extend_schema_view(
    list=extend_schema(summary="List organizations", examples=examples.ORGANIZATION_EXAMPLES["list"]),
    retrieve=extend_schema(summary="One organization", examples=examples.ORGANIZATION_EXAMPLES["retrieve"]),
    create=extend_schema(examples=examples.ORGANIZATION_EXAMPLES["create"]),
    partial_update=extend_schema(examples=examples.ORGANIZATION_EXAMPLES["partial_update"]),
)
class OrganizationViewSet(ContentViewSet):
    queryset = Organization.objects.all()
    serializer_class = api_serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name"]
    ordering = ["name"]


@extend_schema_view(
    list=extend_schema(
        summary="List speakers (with aliases and affiliations)", examples=examples.SPEAKER_EXAMPLES
    ),
    retrieve=extend_schema(summary="One speaker", examples=examples.SPEAKER_EXAMPLES),
    create=extend_schema(examples=examples.SPEAKER_ADD_EXAMPLES),
    partial_update=extend_schema(summary="Change a speaker", examples=examples.SPEAKER_CHANGE_EXAMPLES),
)
class SpeakerViewSet(ContentViewSet):
    queryset = Speaker.objects.all()
    serializer_class = api_serializers.SpeakerSerializer
    filterset_class = filters.UpdatedSinceFilter
    search_fields = ["name", "aliases__name", "bio"]
    ordering_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "aliases",
                Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")),
            )
        )

    def filter_queryset(self, queryset):
        # A search that joins aliases can repeat a speaker; keep each once.
        return super().filter_queryset(queryset).distinct()


@extend_schema_view(
    list=extend_schema(summary="List events", examples=examples.EVENT_EXAMPLES["list"]),
    retrieve=extend_schema(summary="One event", examples=examples.EVENT_EXAMPLES["retrieve"]),
    create=extend_schema(examples=examples.EVENT_EXAMPLES["create"]),
    partial_update=extend_schema(examples=examples.EVENT_EXAMPLES["partial_update"]),
)
class EventViewSet(ContentViewSet):
    queryset = Event.objects.all()
    serializer_class = api_serializers.EventSerializer
    filterset_class = filters.EventFilter
    search_fields = ["name", "short_name", "city"]
    ordering_fields = ["year", "name", "starts_on"]
    ordering = ["-year", "name"]

    def get_queryset(self):
        return super().get_queryset().select_related("organizer")


@extend_schema_view(
    list=extend_schema(summary="List dialogues", examples=examples.DIALOGUE_EXAMPLES["list"]),
    retrieve=extend_schema(summary="One dialogue", examples=examples.DIALOGUE_EXAMPLES["retrieve"]),
    create=extend_schema(examples=examples.DIALOGUE_EXAMPLES["create"]),
    partial_update=extend_schema(examples=examples.DIALOGUE_EXAMPLES["partial_update"]),
)
class DialogueViewSet(ContentViewSet):
    queryset = Dialogue.objects.all()
    serializer_class = api_serializers.DialogueSerializer
    filterset_class = filters.DialogueFilter
    search_fields = ["title", "summary"]
    ordering_fields = ["held_on", "title"]
    ordering = ["-held_on", "title"]

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("event")
            .prefetch_related(
                "topics", Prefetch("participants", queryset=Participant.objects.select_related("speaker"))
            )
        )


class GoneMixin:
    """What readers saw and is gone (a withdrawn quote, claim or commentary, coverage taken
    down: ``objects.gone()``) answers 410 with its date and note, not 404."""

    answers_gone = True  # the schema documents the 410

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except (Http404, exceptions.NotFound):
            found = {"pk": kwargs["id"]} if "id" in kwargs else {"slug": kwargs.get(self.lookup_field)}
            item = self.queryset.model.objects.gone().filter(**found).first()
            if item is None:
                raise
            raise Gone(item) from None


@extend_schema_view(
    list=extend_schema(summary="List coverage", examples=examples.COVERAGE_EXAMPLES["list"]),
    retrieve=extend_schema(
        summary="One coverage, with sections and its verbatim source text",
        examples=examples.COVERAGE_EXAMPLES["retrieve"],
    ),
    create=extend_schema(examples=examples.COVERAGE_EXAMPLES["create"]),
    partial_update=extend_schema(examples=examples.COVERAGE_EXAMPLES["partial_update"]),
)
class CoverageViewSet(GoneMixin, ContentViewSet):
    queryset = Coverage.objects.all()
    serializer_class = api_serializers.CoverageSerializer
    filterset_class = filters.CoverageFilter
    search_fields = ["title", "dek"]
    ordering_fields = ["publish_at", "title", "original_published_on"]
    ordering = ["-publish_at", "pk"]

    def get_queryset(self):
        return super().get_queryset().select_related("dialogue").prefetch_related("sections", "topics")

    @extend_schema(
        request=api_serializers.CoverageStepSerializer,
        summary="Publish now (Editors only)",
        examples=examples.COVERAGE_STEP_EXAMPLES["publish"],
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, **lookup):
        return self._workflow(services.coverage_publish)

    @extend_schema(
        request=api_serializers.CoverageStepSerializer,
        summary="Unpublish back to draft (Editors only)",
        examples=examples.COVERAGE_STEP_EXAMPLES["unpublish"],
    )
    @action(detail=True, methods=["post"])
    def unpublish(self, request, **lookup):
        return self._workflow(services.coverage_unpublish)

    @extend_schema(
        request=None,
        summary="Submit a draft for review, no body (its author, or an Editor)",
        examples=examples.COVERAGE_STEP_EXAMPLES["submit"],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, **lookup):
        return self._workflow(services.coverage_submit_for_review, noted=False)

    def _workflow(self, step, *, noted=True):
        coverage = self.get_object()
        if not self.request.user.has_perm("dialogues.change_coverage"):
            raise exceptions.PermissionDenied()
        note = {}
        if noted:
            # No body is no note (DRF parses it as an empty QueryDict); a body of the wrong
            # shape, even an empty JSON list, or of the wrong types is a 400, as for any write.
            body = api_serializers.CoverageStepSerializer(data=self.request.data)
            body.is_valid(raise_exception=True)
            note = {
                "note": body.validated_data["correction_note"],
                "typo_fix": body.validated_data["typo_fix"],
            }
        try:
            # Publishing again or unpublishing what readers saw needs a note (services.visible_change).
            step(coverage=coverage, by=self.request.user, **note)
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return Response(self.get_serializer(coverage).data)


class WithdrawableMixin(GoneMixin):
    """Quotes, claims and commentary: a withdrawn one answers 410 with its date and note, and
    Editors withdraw through ``POST .../withdraw/``; published ones are never deleted."""

    @extend_schema(
        request=api_serializers.WithdrawSerializer,
        summary="Withdraw with a public note (Editors only)",
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, **lookup):
        item = self.get_object()
        data = api_serializers.WithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.withdraw(item=item, by=request.user, note=data.validated_data["note"])
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        except DjangoValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return Response(self.get_serializer(item).data)


SPEAKER_EXAMPLE = OpenApiParameter(
    "speaker",
    OpenApiTypes.STR,
    description=filters.SPEAKER_HELP,
    examples=[
        OpenApiExample("By alias", value="Jensen Huang"),
        OpenApiExample("By slug", value="huang-renxun"),
    ],
)


@extend_schema_view(
    list=extend_schema(summary="List quotes", parameters=[SPEAKER_EXAMPLE], examples=examples.QUOTE_EXAMPLES),
    retrieve=extend_schema(summary="One quote", examples=examples.QUOTE_EXAMPLES),
    create=extend_schema(examples=examples.QUOTE_ADD_EXAMPLES),
    withdraw=extend_schema(examples=examples.withdrawn("Withdrawn", examples.QUOTE)),
    partial_update=extend_schema(summary="Change a quote", examples=examples.QUOTE_CHANGE_EXAMPLES),
)
class QuoteViewSet(WithdrawableMixin, CachedItemsMixin, CSVExportMixin, ContentViewSet):
    queryset = Quote.objects.all()
    serializer_class = api_serializers.QuoteSerializer
    list_fields = (
        *STATEMENT_LIST_FIELDS,
        "text",
        "kind",
        "original_text",
        "original_language",
        "is_featured",
    )
    related = ("dialogue", "coverage", "section")
    item_prefetches = ("speakers", "topics", "corrections")
    filterset_class = filters.QuoteFilter
    search_fields = ["text", "original_text"]
    search_speakers = "speakers"  # ?search=Jensen Huang: his quotes too (filters.SearchFilter)
    ordering_fields = {"added": "pk", "held_on": "dialogue__held_on"}
    ordering = ["pk"]


@extend_schema_view(
    list=extend_schema(
        summary="List claims",
        # ``status`` keeps the filter's own description and choices (example: schema.py).
        parameters=[SPEAKER_EXAMPLE],
        examples=examples.CLAIM_LIST_EXAMPLES,
    ),
    retrieve=extend_schema(summary="One claim, with evidence and figures", examples=examples.CLAIM_EXAMPLES),
    create=extend_schema(examples=examples.CLAIM_ADD_EXAMPLES),
    withdraw=extend_schema(examples=examples.withdrawn("Withdrawn", examples.CLAIM)),
    partial_update=extend_schema(summary="Change a claim", examples=examples.CLAIM_CHANGE_EXAMPLES),
)
class ClaimViewSet(WithdrawableMixin, CachedItemsMixin, CSVExportMixin, ContentViewSet):
    queryset = Claim.objects.all()
    serializer_class = api_serializers.ClaimSerializer
    list_fields = (
        *STATEMENT_LIST_FIELDS,
        "statement",
        "kind",
        "attribution",
        "status",
        "checked_on",
        "check_note",
        "resolve_by",
        "resolution_criteria",
        "outcome",
    )
    related = ("dialogue", "coverage", "section")
    item_prefetches = ("speakers", "topics", "evidence", "figures")
    filterset_class = filters.ClaimFilter
    search_fields = ["statement", "check_note"]
    search_speakers = "speakers"
    ordering_fields = {"added": "pk", "resolve_by": "resolve_by", "checked_on": "checked_on"}
    ordering = ["pk"]

    def get_serializer_class(self):
        if self.action == "list":
            return api_serializers.ClaimListSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(
                "corrections", "evidence__publisher", "organizations_mentioned"
            )
        return queryset


@extend_schema_view(
    list=extend_schema(summary="List commentary", examples=examples.COMMENTARY_EXAMPLES["list"]),
    retrieve=extend_schema(summary="One commentary", examples=examples.COMMENTARY_EXAMPLES["retrieve"]),
    create=extend_schema(examples=examples.COMMENTARY_EXAMPLES["create"]),
    partial_update=extend_schema(examples=examples.COMMENTARY_EXAMPLES["partial_update"]),
    withdraw=extend_schema(examples=examples.withdrawn("Withdrawn", examples.COMMENTARY)),
)
class CommentaryViewSet(WithdrawableMixin, CachedItemsMixin, ContentViewSet):
    queryset = Commentary.objects.all()
    serializer_class = api_serializers.CommentarySerializer
    list_fields = (
        "slug",
        "coverage__slug",
        "section__number",
        "title",
        "body",
        "position",
        "version",
        "created_at",
        "updated_at",
        "withdrawn_at",
        "withdrawal_note",
    )
    filterset_class = filters.CommentaryFilter
    search_fields = ["title", "body"]
    ordering_fields = {"position": "position", "added": "pk"}
    ordering = ["coverage", "position", "pk"]
    related = ("coverage", "section")

    def item_depends_on(self):
        # Which of its quotes and claims an item names changes with theirs and their coverage's
        # visibility (a withdrawal, a scheduled publication), none of which is an edit of the
        # commentary: its cached JSON lasts one content generation.
        return current_generation()["token"]

    def get_item_prefetches(self):
        # Commentary may point at quotes and claims of other coverage: name only those the
        # requester may see (a draft's slug is unpublished work).
        user = self.request.user
        return tuple(
            Prefetch(relation, queryset=model.objects.visible_to(user))
            for relation, model in (("quotes", Quote), ("claims", Claim), ("topics", Topic))
        )
