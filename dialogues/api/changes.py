"""The change feed: what was published, updated, withdrawn, unpublished or deleted, in order,
for clients that keep a copy of the archive (``dialogues.changes`` keeps it)."""

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from dialogues import changes
from dialogues.api import examples
from dialogues.api.pagination import is_whole_number
from dialogues.models import Change, PublicRecord


class ChangeSerializer(serializers.ModelSerializer):
    cursor = serializers.CharField(source="pk", help_text="Pass as `since` to read what came after this.")
    resource = serializers.ChoiceField(choices=list(changes.RESOURCES), help_text="The API collection.")
    id = serializers.IntegerField(
        source="object_id",
        help_text="The item's id; it never changes. Key your copy by `resource` and `id`: every "
        "entry has both.",
    )
    slug = serializers.CharField(
        allow_null=True,
        help_text="The item's slug when the change was recorded (it may have been renamed since); "
        "null for `fact-sources`, which have none.",
    )
    url = serializers.SerializerMethodField(
        help_text="The item in the API, while readers can see it; null once they cannot."
    )

    class Meta:
        model = Change
        fields = ["cursor", "resource", "id", "slug", "action", "recorded_at", "url"]

    def get_url(self, change) -> str | None:
        if not change.is_public:
            return None
        model, route = changes.RESOURCES[change.resource]
        if changes.has_slug(model):
            path = reverse(f"v1:{route}-detail", kwargs={"slug": change.current_slug})
        else:
            path = reverse(f"v1:{route}-detail", kwargs={"id": change.object_id})
        return self.context["request"].build_absolute_uri(path)


@extend_schema_serializer(many=False)  # one page object, although the view is a list
class ChangePageSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="Where to go on from next time: pass it as `since`.")
    next = serializers.URLField(allow_null=True, help_text="The next page, if this one was full.")
    results = ChangeSerializer(many=True)


class ChangeViewSet(viewsets.GenericViewSet):
    """What happened to items readers can or could see, oldest first.

    Keep a copy of the archive in sync: read the lists once, then poll this feed with the last
    `cursor` it gave you as `since`. For `published` and `updated`, fetch `url` (null when the
    item is no longer public: a later entry says why); for `withdrawn`, `unpublished` and
    `deleted`, drop the item. Entries are recorded when the feed is read after a change, so
    `recorded_at` can be later than the edit itself (a scheduled publication shows when it
    went live). Every entry names its item by `resource` and `id`; `slug` is null for fact
    sources, which have none."""

    queryset = Change.objects.all()
    serializer_class = ChangeSerializer
    pagination_class = None
    filter_backends = []
    PAGE_SIZE = 200
    error_examples = "changes"  # its errors' examples (``examples.ERRORS``)

    @extend_schema(
        summary="What changed since a cursor",
        parameters=[
            OpenApiParameter(
                "since",
                str,
                description="A `cursor` from an earlier response; omit it to start from the beginning.",
                allow_blank=False,
            )
        ],
        responses=ChangePageSerializer,
        examples=examples.CHANGE_EXAMPLES,
    )
    def list(self, request):
        since = request.query_params.get("since", "0")
        if not is_whole_number(since, most_digits=18):
            raise ValidationError({"since": ["Pass a cursor this feed gave you (a whole number)."]})
        changes.catch_up()
        last = Change.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if int(since) > last:
            # A cursor from another database, or made up: going on from it would skip entries.
            raise ValidationError({"since": [f"No such cursor: this feed's last is {last}."]})
        public = PublicRecord.objects.filter(resource=OuterRef("resource"), object_id=OuterRef("object_id"))
        page = list(
            Change.objects.filter(pk__gt=int(since))
            .annotate(current_slug=Subquery(public.values("slug")[:1]), is_public=Exists(public))
            .order_by("pk")[: self.PAGE_SIZE + 1]
        )
        more = len(page) > self.PAGE_SIZE
        page = page[: self.PAGE_SIZE]
        cursor = str(page[-1].pk) if page else since
        next_url = replace_query_param(request.build_absolute_uri(), "since", cursor) if more else None
        results = self.get_serializer(page, many=True).data
        return Response({"cursor": cursor, "next": next_url, "results": results})
