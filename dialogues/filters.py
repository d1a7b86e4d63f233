"""Filters for the public claims and quotes lists; the API has its own in dialogues/api."""

import django_filters

from dialogues.models import Claim, Quote, Speaker, Topic


class StatementFilter(django_filters.FilterSet):
    speaker = django_filters.ModelChoiceFilter(
        field_name="speakers", to_field_name="slug", queryset=Speaker.objects.all(), empty_label="Anyone"
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", to_field_name="slug", queryset=Topic.objects.all(), empty_label="Any topic"
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Only speakers a reader may know of appear in the choices.
        user = getattr(request, "user", None)
        if user is not None:
            self.filters["speaker"].queryset = Speaker.objects.visible_to(user)


class ClaimFilter(StatementFilter):
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices, empty_label="Any status")

    class Meta:
        model = Claim
        fields = ["kind", "status", "speaker", "topic"]


class QuoteFilter(StatementFilter):
    kind = django_filters.ChoiceFilter(choices=Quote.Kind.choices, empty_label="Any kind")

    class Meta:
        model = Quote
        fields = ["kind", "speaker", "topic"]
