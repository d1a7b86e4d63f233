import django_filters
from django import forms

from dialogues.filters import FilterSet, SpeakerNameFilter
from dialogues.models import Claim, Commentary, Coverage, Dialogue, Event, Quote, Topic


class VisibleSlugField(forms.CharField):
    """A slug naming a ``model`` object the requesting user may see, checked only when one is
    given; ``FilterForm`` asks ``clean_for`` with the request.

    Unknown and unpublished slugs get the same "not a valid choice", so the error never confirms
    that an unpublished slug exists."""

    default_error_messages = {
        "invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]
    }

    def __init__(self, *, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def clean_for(self, request, slug):
        if not slug:
            return None
        visible = self.model.objects.visible_to(request.user) if request else self.model.objects.none()
        found = visible.filter(slug=slug).first()
        if found is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found


class VisibleSlugFilter(django_filters.CharFilter):
    """Filter by a related object's slug, among those the requesting user may see.

    Not a ``ModelChoiceFilter`` with a per-request queryset: that builds the visibility query
    for every list request, filtered by it or not (about an eighth of the quote list's time),
    and a form field for each request."""

    field_class = VisibleSlugField

    def __init__(self, model, **kwargs):
        super().__init__(model=model, **kwargs)


class IntegerFilter(django_filters.NumberFilter):
    """Whole numbers only: "2025.5" is an error, not an empty result."""

    field_class = forms.IntegerField


class EventFilter(FilterSet):
    year = IntegerFilter(field_name="year")

    class Meta:
        model = Event
        fields = ["year"]


class DialogueFilter(FilterSet):
    # Not "format": DRF reserves ?format= for choosing the response format (json, csv).
    dialogue_format = django_filters.ChoiceFilter(field_name="format", choices=Dialogue.Format.choices)

    class Meta:
        model = Dialogue
        fields = ["dialogue_format"]


class TopicFilter(VisibleSlugFilter):
    """A topic by slug. Not a ``ModelChoiceFilter``: its form field copies its queryset for
    every request, topic given or not."""

    def __init__(self, **kwargs):
        super().__init__(Topic, field_name="topics", **kwargs)


class QuoteFilter(FilterSet):
    speaker = SpeakerNameFilter(
        field_name="speakers", help_text="Speaker slug or any name variant, e.g. Jensen Huang."
    )
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
        fields = ["speaker", "dialogue", "event", "topic", "kind", "date_after", "date_before"]


class ClaimFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices)
    claimant = django_filters.CharFilter(
        method="filter_claimant",
        help_text="Speaker slug or name variant, or `publication` for the article's own claims.",
    )
    topic = TopicFilter(help_text="Topic slug.")
    resolve_by_after = django_filters.DateFilter(field_name="resolve_by", lookup_expr="gte")
    resolve_by_before = django_filters.DateFilter(field_name="resolve_by", lookup_expr="lte")

    class Meta:
        model = Claim
        fields = ["kind", "status", "claimant", "topic", "resolve_by_after", "resolve_by_before"]

    def filter_claimant(self, queryset, name, value):
        if value == Claim.Attribution.PUBLICATION:
            return queryset.by_publication()
        return SpeakerNameFilter(field_name="speakers").filter(queryset, value)


class CoverageFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Coverage.Status.choices, help_text="Staff only; others see published coverage."
    )
    topic = TopicFilter(help_text="Topic slug.")
    published_after = django_filters.IsoDateTimeFilter(field_name="publish_at", lookup_expr="gte")
    published_before = django_filters.IsoDateTimeFilter(field_name="publish_at", lookup_expr="lte")

    class Meta:
        model = Coverage
        fields = ["status", "topic", "published_after", "published_before"]


class CommentaryFilter(FilterSet):
    coverage = VisibleSlugFilter(Coverage)
    topic = TopicFilter()

    class Meta:
        model = Commentary
        fields = ["coverage", "topic"]
