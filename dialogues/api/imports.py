"""``POST /api/v1/imports/``: the import assistant for API clients (issue #25). Same fields
and same rules as the admin's "Import coverage": a draft coverage and its proposals, listed a
page at a time by ``GET /api/v1/imports/<coverage id>/proposals/``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from dialogues.api import examples
from dialogues.api.pagination import PageNumberPagination
from dialogues.api.serializers import KnownFieldsOnly, SlugReferenceField, StrictCharField, StrictURLField
from dialogues.forms_imports import FORMATS, LABELS
from dialogues.importing import ImportInputError
from dialogues.importing.service import import_submitted
from dialogues.importing.text import check_text
from dialogues.models import Claim, ClaimFigure, Coverage, Dialogue, ImportProposal, Quote
from dialogues.permissions import Access, write_access
from dialogues.validators import validate_language_tag


# "ImportRequest" in the schema (request components get "Request" appended), not "ImportRequestRequest".
@extend_schema_serializer(component_name="Import")
class ImportRequestSerializer(KnownFieldsOnly, serializers.Serializer):
    text = StrictCharField(
        label=LABELS["text"],
        trim_whitespace=False,
        control_characters=True,
        help_text="The article: plain text, Markdown or HTML (the request body is limited to 1 MB).",
    )
    format = serializers.ChoiceField(label=LABELS["format"], choices=FORMATS, default="auto")
    title = StrictCharField(
        label=LABELS["title"], max_length=300, required=False, allow_blank=True, default=""
    )
    dialogue = SlugReferenceField(
        label=LABELS["dialogue"],
        queryset=Dialogue.objects.all(),
        error_messages={"does_not_exist": "No dialogue with slug “{value}”."},
    )
    source_publication = StrictCharField(
        label=LABELS["source_publication"], max_length=200, required=False, allow_blank=True, default=""
    )
    original_url = StrictURLField(
        label=LABELS["original_url"], max_length=500, required=False, allow_blank=True, default=""
    )
    original_published_on = serializers.DateField(
        label=LABELS["original_published_on"], required=False, allow_null=True, default=None
    )
    language = StrictCharField(
        label=LABELS["language"], max_length=20, default="en", validators=[validate_language_tag]
    )

    def validate_text(self, value):
        try:
            check_text(value)
        except ImportInputError as error:
            raise serializers.ValidationError(str(error)) from error
        return value


def _values(choices):
    """A choice's values with their labels where the label says more: "reported (Reported speech)"."""
    return ", ".join(
        value if str(label).casefold() == value else f"{value} ({label})" for value, label in choices.choices
    )


class ImportProposalSerializer(serializers.ModelSerializer):
    anchor = serializers.SerializerMethodField()

    class Meta:
        model = ImportProposal
        fields = ["id", "kind", "status", "position", "anchor", "data", "parent"]
        extra_kwargs = {
            "data": {
                "help_text": (
                    "The proposed fields, named as on the record accepting it makes. Quote: text, kind "
                    f"({_values(Quote.Kind)}), speakers (ids), speaker_names. Claim: statement, kind "
                    f"({_values(Claim.Kind)}), attribution ({_values(Claim.Attribution)}), speakers, "
                    "group_speech (said by a group: the publication's claim). Figure: label, value, unit, "
                    f"qualifier ({_values(ClaimFigure.Qualifier)}), as_of (YYYY-MM-DD), text. Entity: name, "
                    f"entity_kind ({_values(ImportProposal.EntityKind)}), match (the id of the record on "
                    "file, or null for a new one), mentions."
                )
            },
            "parent": {"help_text": "A figure's claim proposal."},
        }

    def get_anchor(self, obj) -> dict:
        return {
            "type": "TextQuoteSelector",
            "exact": obj.anchor_exact,
            "prefix": obj.anchor_prefix,
            "suffix": obj.anchor_suffix,
        }


class ImportSummarySerializer(serializers.Serializer):
    sections = serializers.IntegerField()
    quote = serializers.IntegerField()
    claim = serializers.IntegerField()
    figure = serializers.IntegerField()
    entity = serializers.IntegerField()
    seconds = serializers.FloatField()


class ImportCoverageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    sections = serializers.ListField(child=serializers.CharField())
    review_url = serializers.CharField(help_text="The admin's review screen for its proposals (a path).")


class ImportResponseSerializer(serializers.Serializer):
    coverage = ImportCoverageSerializer()
    summary = ImportSummarySerializer(help_text="How many sections it has and proposals of each kind.")
    proposals_url = serializers.URLField(
        help_text="The proposals, a page at a time: a long transcript has thousands."
    )


class CanImport(permissions.BasePermission):
    """Editors and Contributors: staff who may add coverage and import proposals."""

    message = "Only Editors and Contributors may import coverage."

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.has_perm("dialogues.add_coverage")
            and user.has_perm("dialogues.add_importproposal")
        )


class ImportView(APIView):
    """Import an article as a draft coverage: its verbatim text, its sections and the quotes,
    claims, figures and entities the assistant proposes, each anchored to its passage. Nothing
    is published; proposals are reviewed in the admin."""

    permission_classes = [CanImport]
    error_examples = "import"  # its errors' examples (``examples.ERRORS``)

    def get_serializer(self, *args, **kwargs):
        # What OPTIONS and the browsable API describe: the fields under their labels.
        return ImportRequestSerializer(*args, **kwargs)

    @extend_schema(
        request=ImportRequestSerializer,
        responses={201: ImportResponseSerializer},
        summary="Import coverage (draft) and get the assistant's proposals",
        tags=["imports"],
        examples=examples.IMPORT_EXAMPLES,
    )
    def post(self, request, *args, **kwargs):
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            result = import_submitted(by=request.user, submitted=incoming.validated_data)
        except ImportInputError as error:
            raise exceptions.ValidationError({"text": [str(error)]}) from error
        except DjangoValidationError as error:
            raise exceptions.ValidationError(
                error.message_dict if hasattr(error, "message_dict") else error.messages
            ) from error
        except DjangoPermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from error
        coverage = result.coverage
        body = {
            "coverage": {
                "id": coverage.pk,
                "slug": coverage.slug,
                "title": coverage.title,
                "status": coverage.status,
                "sections": [section.title for section in coverage.sections.all()],
                "review_url": reverse("admin:dialogues_import_review", args=[coverage.pk]),
            },
            "summary": result.extraction.summary(),
            # Not the proposals themselves: a 900 KB transcript makes 28 MB of them.
            "proposals_url": request.build_absolute_uri(reverse("v1:import-proposals", args=[coverage.pk])),
        }
        return Response(body, status=status.HTTP_201_CREATED)


class ProposalPages(PageNumberPagination):
    # A plain count: proposals are not public content, whose counts are kept per generation.
    django_paginator_class = Paginator


class ImportProposalList(generics.ListAPIView):
    """The proposals of an import, in text order, a page at a time; only to those who may work
    on its coverage."""

    permission_classes = [CanImport]
    error_examples = "import-proposals"  # its errors' examples (``examples.ERRORS``)
    serializer_class = ImportProposalSerializer
    pagination_class = ProposalPages
    filter_backends = []

    def get_queryset(self):
        coverage = get_object_or_404(Coverage.objects.all(), pk=self.kwargs["coverage_id"])
        if write_access(self.request.user, "change", coverage) is Access.DENY:
            raise exceptions.PermissionDenied("You may not work on this coverage.")
        return ImportProposal.objects.filter(coverage=coverage).order_by("position", "pk")

    @extend_schema(
        summary="An import's proposals, a page at a time",
        tags=["imports"],
        parameters=[
            OpenApiParameter(
                "coverage_id",
                int,
                OpenApiParameter.PATH,
                description="The `id` of the import's draft coverage.",
            )
        ],
        examples=examples.IMPORT_PROPOSALS_EXAMPLES,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
