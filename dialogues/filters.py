"""Filters for the public claims and quotes lists; the API has its own in dialogues/api (and
shares the speaker filter)."""

import copy
import functools
import hashlib

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django_filters.filters import QuerySetRequestMixin

from dialogues.caching import per_generation
from dialogues.models import Claim, Quote, Speaker, Topic


class FilterForm(forms.Form):
    """A filter set's form, given the request. A field that looks its value up for the requester
    (``clean_for(request, value)``, as ``VisibleSlugField`` does) does it here, so the form
    class holds nothing of any one request and serves every one."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned_data = super().clean()
        for name, field in self.fields.items():
            if name in cleaned_data and hasattr(field, "clean_for"):
                try:
                    cleaned_data[name] = field.clean_for(self.request, cleaned_data[name])
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned_data


class _Filters(dict):
    """A filter set class's filters, which each filter set copies for itself (django-filter
    deep-copies them in ``__init__``): copied one level deep, as each filter set needs only its
    own filters to point back at it (``parent``). The deep copy went through each filter's
    choices, labels and arguments, some 300 objects for every API list request, and what it
    copied is only read. A filter with a ``method`` gets a
    ``FilterMethod`` of its own, so the method is looked up on its own filter set."""

    def __deepcopy__(self, memo):
        copies = {}
        for name, filter_ in self.items():
            copies[name] = copied = copy.copy(filter_)
            if filter_.method is not None:
                copied.method = filter_.method
        return copies


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet with its form class built once per filter set, not per request.

    django-filter builds a form field for every filter on every request, labels worked out from
    the model's verbose names included, then a form class from them: half a millisecond of each
    API list, three quarters of its filtering. A filter whose field depends on the request (a
    model choice with a callable queryset) is refused: look the value up in ``clean_for``."""

    @classmethod
    def get_filters(cls):
        return _Filters(super().get_filters())

    def get_form_class(self):
        return _form_class(type(self))

    @property
    def form(self):
        if not hasattr(self, "_form"):
            data = self.data if self.is_bound else None
            self._form = self.get_form_class()(data, prefix=self.form_prefix, request=self.request)
        return self._form


@functools.cache
def _form_class(filterset_class):
    filters = copy.deepcopy(filterset_class.base_filters)
    fields = {}
    for name, filter_ in filters.items():
        if isinstance(filter_, QuerySetRequestMixin) and callable(filter_.queryset):
            raise ImproperlyConfigured(f"{filterset_class.__name__}.{name}: its field depends on the request")
        filter_.model = filterset_class._meta.model
        fields[name] = filter_.field
    base = filterset_class._meta.form
    bases = (FilterForm,) if base is forms.Form else (FilterForm, base)
    return type(f"{filterset_class.__name__}Form", bases, fields)


class SpeakerNameFilter(django_filters.CharFilter):
    """A speaker by slug or by any name variant: ``?speaker=jensen-huang`` or ``Jensen Huang``."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        return self.filter_ids(queryset, self.speaker_ids(value))

    def speaker_ids(self, value):
        """The ids of the speakers ``value`` names."""
        # The speakers first, as ids: given a subquery instead, PostgreSQL guessed hundreds of
        # matches and scanned every quote; given the ids it walks the speaker's index. Who a name
        # means changes only with an edit, so the ids are looked up once per content generation.
        key = f"dialogue-desk:speaker-named:{hashlib.sha256(value.encode()).hexdigest()}"
        return per_generation(key, lambda: list(Speaker.objects.named(value).values_list("pk", flat=True)))

    def filter_ids(self, queryset, ids):
        if len(ids) == 1:  # one speaker: each quote joins at most once, no DISTINCT needed
            return queryset.filter(**{self.field_name: ids[0]})
        return queryset.filter(**{f"{self.field_name}__in": ids}).distinct()


class StatementFilter(FilterSet):
    # Typed, not picked from a list: an archive has thousands of speakers, and a menu of all of
    # them would be most of every list page. Any name variant works, in any script.
    speaker = SpeakerNameFilter(
        field_name="speakers",
        label="Speaker",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, e.g. Jensen Huang or 黄仁勋"}),
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", to_field_name="slug", queryset=Topic.objects.all(), empty_label="Any topic"
    )


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
