"""Read-only API of fact sources: where each fact the coverage does not state comes from, and
whether an Editor confirmed it. Written in the admin only."""

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from dialogues.api import examples
from dialogues.api.filters import NOT_A_CHOICE, FilterBackend, IntegerFilter, UpdatedSinceFilter
from dialogues.models import FactSource
from dialogues.permissions import can_preview


class FactSourceSerializer(serializers.ModelSerializer):
    subject_type = serializers.SerializerMethodField(
        help_text="“app_label.model” of the object, e.g. dialogues.event."
    )
    subject_id = serializers.IntegerField(source="object_id", read_only=True)
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True)

    class Meta:
        model = FactSource
        fields = [
            "id",
            "subject_type",
            "subject_id",
            "fact",
            "title",
            "url",
            "accessed_on",
            "note",
            "confirmed",
            "confirmed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_subject_type(self, obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class SubjectTypeField(forms.CharField):
    """“app_label.model” of a kind of record: one that does not exist is the 400 an unknown
    slug is in every other filter, not an empty list."""

    def clean(self, value):
        value = super().clean(value)
        if value:
            app_label, _dot, model = value.partition(".")
            if not ContentType.objects.filter(app_label=app_label, model=model).exists():
                raise forms.ValidationError(NOT_A_CHOICE, code="invalid_choice")
        return value


class SubjectTypeFilter(django_filters.CharFilter):
    field_class = SubjectTypeField


class FactSourceFilter(UpdatedSinceFilter):
    subject_type = SubjectTypeFilter(
        method="filter_subject_type", help_text="“app_label.model” of the subject, e.g. dialogues.event."
    )
    subject_id = IntegerFilter(field_name="object_id", help_text="The subject's id.")

    class Meta:
        model = FactSource
        fields = ["subject_type", "subject_id"]

    def filter_subject_type(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


@extend_schema_view(
    list=extend_schema(examples=examples.FACT_SOURCE_EXAMPLES),
    retrieve=extend_schema(examples=examples.FACT_SOURCE_EXAMPLES),
)
class FactSourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Sources of facts, filterable by ``subject_type`` and ``subject_id`` (both or either)."""

    queryset = FactSource.objects.all()  # the schema's path parameter type; see get_queryset
    serializer_class = FactSourceSerializer
    filter_backends = [FilterBackend]
    filterset_class = FactSourceFilter
    lookup_url_kwarg = "id"

    def get_queryset(self):
        queryset = FactSource.objects.select_related("content_type")
        if not can_preview(self.request.user):
            queryset = queryset.published()
        return queryset.order_by("pk")
