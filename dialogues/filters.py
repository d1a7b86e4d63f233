"""Filters for the public claims and quotes lists; the API has its own in dialogues/api (and
shares the speaker filter)."""

import hashlib

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from dialogues.caching import per_generation
from dialogues.models import Claim, Quote, Speaker, Topic
from dialogues.permissions import can_preview


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
        return per_generation(key, lambda: self.look_up_speaker_ids(value))

    @staticmethod
    def look_up_speaker_ids(value):
        ids = list(Speaker.objects.named(value).values_list("pk", flat=True))
        if not ids:
            # A slug the speaker had before a rename, as their old URL does: asked only when
            # no one is called that now, so a name found costs no query more.
            renamed = Speaker.objects.renamed_from(value)
            ids = [] if renamed is None else [renamed.pk]
        return ids

    def filter_ids(self, queryset, ids):
        if len(ids) == 1:  # one speaker: each quote joins at most once, no DISTINCT needed
            return queryset.filter(**{self.field_name: ids[0]})
        return queryset.filter(**{f"{self.field_name}__in": ids}).distinct()


def topics_to_filter_by(request):
    """The topic menu: a topic only drafts are filed under would name unpublished work."""
    from dialogues.search import visible_topic_ids

    ids = visible_topic_ids(preview=request is not None and can_preview(request.user))
    return Topic.objects.all() if ids is None else Topic.objects.filter(pk__in=ids)


class StatementFilter(django_filters.FilterSet):
    # Typed, not picked from a list: an archive has thousands of speakers, and a menu of all of
    # them would be most of every list page. Any name variant works, in any script.
    speaker = SpeakerNameFilter(
        field_name="speakers",
        label=_("Speaker"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, e.g. Jensen Huang or 黄仁勋")}
        ),
    )
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        to_field_name="slug",
        queryset=topics_to_filter_by,
        label=_("Topic"),
        empty_label=_("Any topic"),
    )


class ClaimFilter(StatementFilter):
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices, label=_("Kind"), empty_label=_("Any kind"))
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices, label=_("Status"), empty_label=_("Any status")
    )

    class Meta:
        model = Claim
        fields = ["kind", "status", "speaker", "topic"]


class QuoteFilter(StatementFilter):
    kind = django_filters.ChoiceFilter(choices=Quote.Kind.choices, label=_("Kind"), empty_label=_("Any kind"))

    class Meta:
        model = Quote
        fields = ["kind", "speaker", "topic"]
