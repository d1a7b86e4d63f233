import datetime
import hashlib

import django_filters
from django import forms
from django.db.models import Q
from django.template import loader
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters

from dialogues.caching import per_generation
from dialogues.filters import SpeakerNameFilter
from dialogues.models import Claim, Commentary, Coverage, Dialogue, Event, Organization, Quote, Speaker, Topic
from dialogues.permissions import can_preview
from dialogues.search import speakers_named


class SearchFilter(filters.SearchFilter):
    """DRF's ``?search=`` (every word in one of ``search_fields``), and on a view that names the
    relation to its speakers (``search_speakers``), the items of any speaker the whole search
    names, by any alias in any script: ``?search=黄仁勋`` lists Huang Renxun's quotes. The
    expansion is site search's (``dialogues.search.speakers_named``), so both agree."""

    search_description = (
        "Words to find: an item matches when each word is in one of its text fields (any letter "
        "case). On quotes and claims, a search that is a speaker's name (any variant, any script) "
        "also finds their items."
    )

    def filter_queryset(self, request, queryset, view):
        matched = super().filter_queryset(request, queryset, view)
        relation = getattr(view, "search_speakers", None)
        terms = self.get_search_terms(request)
        if relation is None or not terms:
            return matched
        named = speakers_named(" ".join(terms), preview=can_preview(request.user))
        if not named.speaker_ids:
            return matched
        by_speakers = queryset.filter(**{f"{relation}__in": named.speaker_ids}).values("pk")
        return queryset.filter(Q(pk__in=matched.values("pk")) | Q(pk__in=by_speakers))


class VisibleSlugField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` that narrows its choices to what the reader may see only when it
    is given a slug: every list builds every filter's field, and the visibility query of a
    topic or a speaker (an ``EXISTS`` over published coverage) cost more to build than the
    rest of the list (measured: half of ``/api/v1/quotes/?speaker=…``)."""

    def __init__(self, *, visible, **kwargs):
        self.visible = visible
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return super().to_python(value)
        self.queryset = self.visible()
        try:
            return super().to_python(value)
        except forms.ValidationError:
            # A slug it had before a rename names it still, as its old URL does: asked only
            # when the live slug found nothing, so a known slug costs no query more.
            item = self.queryset.renamed_from(value)
            if item is None:
                raise
            return item


class VisibleSlugFilter(django_filters.ModelChoiceFilter):
    """Filter by a related object's slug, among those the requesting user may see.

    A slug the object had before a rename finds it too (``FormerSlug``). Unknown and unpublished
    slugs get the same "not a valid choice", so the error never confirms that an unpublished
    slug exists."""

    field_class = VisibleSlugField

    def __init__(self, model, **kwargs):
        self.choice_model = model
        described = kwargs.get("help_text") or f"{str(model._meta.verbose_name).capitalize()} slug."
        kwargs["help_text"] = f"{described} A slug it had before a rename finds it too."
        # A callable (django-filter's documented form), not a queryset: every list request
        # deep-copies every filter, and copying a queryset was most of that (3 of them: 215 →
        # 94 µs a QuoteFilter). The field narrows it to what the reader may see anyway.
        super().__init__(queryset=lambda request: model.objects.all(), to_field_name="slug", **kwargs)

    @property
    def field(self):
        request, model = self.get_request(), self.choice_model
        self.extra["visible"] = lambda: (
            model.objects.visible_to(request.user) if request else model.objects.none()
        )
        return super().field


# What every filter that names something answers when the reader may not see it or it does not
# exist: one message for both, so an error never confirms that unpublished work exists.
NOT_A_CHOICE = forms.ModelChoiceField.default_error_messages["invalid_choice"]


SPEAKER_HELP = (
    "Speaker slug (a former one too, after a rename) or any name variant, in any script, e.g. "
    "`huang-renxun` or Jensen Huang. "
    "A name no published speaker has is a 400, as an unknown slug is in every filter."
)


class SpeakerField(forms.CharField):
    """A speaker's slug or name variant, cleaned to the ids of the speakers it names that the
    reader may see. Names nobody visible has are the 400 an unknown slug is in every other
    filter (``VisibleSlugFilter``), not an empty list. ``keywords`` pass through as they are."""

    def __init__(self, *, visible_ids, keywords=(), **kwargs):
        self.visible_ids, self.keywords = visible_ids, keywords
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values or value in self.keywords:
            return value
        ids = self.visible_ids(value)
        if not ids:
            raise forms.ValidationError(NOT_A_CHOICE, code="invalid_choice")
        return ids


class SpeakerFilter(SpeakerNameFilter):
    """``?speaker=``, the same on every list: a speaker by slug or any name variant."""

    field_class = SpeakerField

    def __init__(self, *, keywords=(), **kwargs):
        kwargs.setdefault("field_name", "speakers")
        kwargs.setdefault("help_text", SPEAKER_HELP)
        super().__init__(**kwargs)
        self.extra["keywords"] = keywords

    @property
    def field(self):
        request = getattr(self.parent, "request", None)
        preview = request is not None and can_preview(request.user)
        self.extra["visible_ids"] = lambda value: self.visible_speaker_ids(value, preview=preview)
        return super().field

    def visible_speaker_ids(self, value, *, preview):
        if preview:
            return self.speaker_ids(value)
        # Whom a name means and who readers may see change only with an edit or a scheduled
        # publish: both once per generation, in one cache round trip on every later request
        # (test_cached_list_items_cost_one_query).
        key = f"dialogue-desk:speakers-visible-named:{hashlib.sha256(value.encode()).hexdigest()}"
        return per_generation(key, lambda: self.published_among(self.look_up_speaker_ids(value)))

    @staticmethod
    def published_among(ids):
        if not ids:
            return []
        return list(Speaker.objects.published().filter(pk__in=ids).values_list("pk", flat=True))

    def filter(self, queryset, value):
        if not value:
            return queryset
        return self.filter_ids(queryset, value)


class IntegerFilter(django_filters.NumberFilter):
    """Whole numbers only: "2025.5" is an error, not an empty result."""

    field_class = forms.IntegerField


class StoredTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 time the database can store: "0001-01-01T00:00:00+01:00" is a valid ISO time
    before year 1 in UTC, which Python cannot even represent (it was a 500)."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None:
            try:
                value.astimezone(datetime.UTC)
            except OverflowError as error:
                raise forms.ValidationError("Enter a time between the years 1 and 9999.") from error
        return value


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = StoredTimeField


class ListFilterSet(django_filters.FilterSet):
    """An API list's filters, whose form validates only the filters the request names.

    A filter left out of the query filters nothing (django-filter skips empty values), yet
    building every filter's form field and the form class around them cost a tenth of a list
    request (measured: ``?speaker=`` 1.0 → 0.4 ms, of 5 ms). The browsable API shows the whole
    form (``FilterBackend.to_html``)."""

    complete_form = False

    def get_form_class(self):
        # django-filter's documented hook for a form that depends on the request.
        given = [name for name, filter_ in self.filters.items() if self.complete_form or self.names(name)]
        fields = {name: self.filters[name].field for name in given}
        return type(f"{type(self).__name__}Form", (self._meta.form,), fields)

    def names(self, name):
        """Whether the query gives filter ``name`` a value, under its name or a widget's
        suffixed one (``name_min``)."""
        return any(key == name or key.startswith(f"{name}_") for key in self.data)


class FilterBackend(DjangoFilterBackend):
    def to_html(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return None
        filterset.complete_form = True
        return loader.get_template(self.template).render({"filter": filterset}, request)


class UpdatedSinceFilter(ListFilterSet):
    """What every list filters by: enough for a client keeping a copy to fetch what changed."""

    updated_since = IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only items updated (their `updated_at`) at or after this time (ISO 8601, e.g. 2026-01-31T09:00:00Z; "
        "write a `+` in an offset as `%2B`). What became public without being saved (scheduled "
        "coverage going live, the speakers and topics it brings) and what left the list "
        "(withdrawn, unpublished, deleted) is in `/api/v1/changes/`.",
    )


class OrganizationFilter(UpdatedSinceFilter):
    class Meta:
        model = Organization
        fields = ["kind"]


class EventFilter(UpdatedSinceFilter):
    year = IntegerFilter(field_name="year", help_text="The year it was held, e.g. 2025.")

    class Meta:
        model = Event
        fields = ["year"]


class DialogueFilter(UpdatedSinceFilter):
    # Not "format": DRF reserves ?format= for choosing the response format (json, csv).
    dialogue_format = django_filters.ChoiceFilter(field_name="format", choices=Dialogue.Format.choices)

    class Meta:
        model = Dialogue
        fields = ["dialogue_format"]


class TopicFilter(VisibleSlugFilter):
    """A topic by slug."""

    def __init__(self, **kwargs):
        super().__init__(Topic, field_name="topics", **kwargs)


# The quotes or claims of one article: what a client showing it asks for first.
COVERAGE_HELP = "Coverage slug: the items of one article."


class QuoteFilter(UpdatedSinceFilter):
    speaker = SpeakerFilter()
    coverage = VisibleSlugFilter(Coverage, help_text=COVERAGE_HELP)
    dialogue = VisibleSlugFilter(Dialogue, help_text="Dialogue slug.")
    event = VisibleSlugFilter(Event, field_name="dialogue__event", help_text="Event slug.")
    topic = TopicFilter(help_text="Topic slug.")
    kind = django_filters.ChoiceFilter(choices=Quote.Kind.choices)
    date_after = django_filters.DateFilter(
        field_name="dialogue__held_on", lookup_expr="gte", help_text="Said on or after (YYYY-MM-DD)."
    )
    date_before = django_filters.DateFilter(
        field_name="dialogue__held_on", lookup_expr="lte", help_text="Said on or before (YYYY-MM-DD)."
    )

    class Meta:
        model = Quote
        fields = ["speaker", "coverage", "dialogue", "event", "topic", "kind", "date_after", "date_before"]


class ClaimFilter(UpdatedSinceFilter):
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices, help_text="The kind of claim.")
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices, help_text="What the desk's check found."
    )
    speaker = SpeakerFilter()
    coverage = VisibleSlugFilter(Coverage, help_text=COVERAGE_HELP)
    # Older than ``speaker`` and kept for the clients that use it: the same, plus `publication`.
    claimant = SpeakerFilter(
        method="filter_claimant",
        keywords=(Claim.Attribution.PUBLICATION,),
        help_text="`speaker`, or `publication` for the claims the article makes itself. "
        "Kept for older clients; new ones use `speaker` (and `claimant=publication`).",
    )
    topic = TopicFilter(help_text="Topic slug.")
    resolve_by_after = django_filters.DateFilter(
        field_name="resolve_by", lookup_expr="gte", help_text="Predictions due on or after (YYYY-MM-DD)."
    )
    resolve_by_before = django_filters.DateFilter(
        field_name="resolve_by", lookup_expr="lte", help_text="Predictions due on or before (YYYY-MM-DD)."
    )

    class Meta:
        model = Claim
        fields = [
            "kind",
            "status",
            "speaker",
            "claimant",
            "coverage",
            "topic",
            "resolve_by_after",
            "resolve_by_before",
        ]

    def filter_claimant(self, queryset, name, value):
        if value == Claim.Attribution.PUBLICATION:
            return queryset.by_publication()
        return self.filters["speaker"].filter(queryset, value)


class CoverageFilter(UpdatedSinceFilter):
    status = django_filters.ChoiceFilter(
        choices=Coverage.Status.choices, help_text="Staff only; others see published coverage."
    )
    topic = TopicFilter(help_text="Topic slug.")
    published_after = IsoDateTimeFilter(
        field_name="publish_at", lookup_expr="gte", help_text="Published at or after this time (ISO 8601)."
    )
    published_before = IsoDateTimeFilter(
        field_name="publish_at", lookup_expr="lte", help_text="Published at or before this time (ISO 8601)."
    )

    class Meta:
        model = Coverage
        fields = ["status", "topic", "published_after", "published_before"]


class CommentaryFilter(UpdatedSinceFilter):
    coverage = VisibleSlugFilter(Coverage)
    topic = TopicFilter()

    class Meta:
        model = Commentary
        fields = ["coverage", "topic"]
