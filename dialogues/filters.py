"""Filters for the public claims and quotes lists; the API has its own in dialogues/api."""

import django_filters

from dialogues.models import Claim, Quote, Speaker, Topic


class ClaimFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices, empty_label="Any status")
    speaker = django_filters.ModelChoiceFilter(
        field_name="speakers", to_field_name="slug", queryset=Speaker.objects.all(), empty_label="Anyone"
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", to_field_name="slug", queryset=Topic.objects.all(), empty_label="Any topic"
    )

    class Meta:
        model = Claim
        fields = ["kind", "status", "speaker", "topic"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Only speakers a reader may know of appear in the choices.
        user = getattr(request, "user", None)
        if user is not None:
            self.filters["speaker"].queryset = Speaker.objects.visible_to(user)


class QuoteFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Quote.Kind.choices, empty_label="Any kind")
    speaker = django_filters.ModelChoiceFilter(
        field_name="speakers", to_field_name="slug", queryset=Speaker.objects.all(), empty_label="Anyone"
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", to_field_name="slug", queryset=Topic.objects.all(), empty_label="Any topic"
    )

    class Meta:
        model = Quote
        fields = ["kind", "speaker", "topic"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None:
            self.filters["speaker"].queryset = Speaker.objects.visible_to(user)
