"""Read-only API of fact sources: where each fact the coverage does not state comes from, and
whether an Editor confirmed it. Written in the admin only."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from rest_framework import serializers, viewsets

from dialogues.api.filters import FilterBackend, IntegerFilter, UpdatedSinceFilter
from dialogues.models import FactSource
from dialogues.permissions import can_preview


def _about_what_readers_see():
    """Sources of facts about objects readers may see: a fact about an unpublished speaker or
    event would name it. Models with no ``published()`` of their own are public."""
    visible = Q(pk__in=[])
    for content_type in ContentType.objects.filter(pk__in=FactSource.objects.values("content_type")):
        model = content_type.model_class()
        published = getattr(model.objects, "published", None)
        subjects = Q(content_type=content_type)
        if published is not None:
            subjects &= Q(object_id__in=published().values("pk"))
        visible |= subjects
    return visible


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


class FactSourceFilter(UpdatedSinceFilter):
    subject_type = django_filters.CharFilter(
        method="filter_subject_type", help_text="“app_label.model” of the subject, e.g. dialogues.event."
    )
    subject_id = IntegerFilter(field_name="object_id", help_text="The subject's id.")

    class Meta:
        model = FactSource
        fields = ["subject_type", "subject_id"]

    def filter_subject_type(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


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
            queryset = queryset.filter(_about_what_readers_see())
        return queryset.order_by("pk")
