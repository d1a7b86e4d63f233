from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from dialogues import methodology
from dialogues import search as site_search
from dialogues.api.pagination import is_whole_number
from dialogues.caching import CountedPerGeneration
from dialogues.filters import ClaimFilter, QuoteFilter
from dialogues.models import (
    Claim,
    Commentary,
    Correction,
    Coverage,
    Dialogue,
    Event,
    Participant,
    Quote,
    Speaker,
    Topic,
)
from dialogues.models.base import renamed
from dialogues.models.people import AFFILIATIONS
from dialogues.permissions import can_preview
from dialogues.rendering import coverage_parts
from dialogues.templating import with_cards

PAGE_SIZE = 20
# The front page shows this many of the latest coverage and featured quotes, and names this
# many topics and links to the full list.
HOME_COVERAGE, HOME_FEATURED, HOME_TOPICS = 10, 6, 20

PARTICIPANTS = Prefetch("participants", queryset=Participant.objects.select_related("speaker"))
# As a plain list: a prefetch into ``item.topics.all()`` builds a manager and a queryset per
# item, which cost more than the query itself on a page of 60 items.
TOPIC_LIST = Prefetch("topics", to_attr="topic_list")
SPEAKER_LIST = Prefetch("speakers", to_attr="speaker_list")


class VisibleMixin:
    """Public pages show published content; staff also see drafts, marked as a preview."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class FormerSlugMixin:
    """A page asked for by a slug its object had before a rename answers 301 with where it is
    now, query string kept. Asked only after the page's own lookup found nothing, so a page
    costs no query more; among what the reader may see, so a draft's old slug is a 404 like its
    current one. A withdrawn item's old slug leads to its current URL, which answers 410."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            item = renamed(self.model, kwargs.get(self.slug_url_kwarg), user=request.user)
            if item is None:
                raise
            return HttpResponsePermanentRedirect(with_query(item.get_absolute_url(), request))


def with_query(url, request):
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


class PageObjectMixin(VisibleMixin):
    """A detail page found by slug among what the reader may see, with what it prints of the
    object loaded by ``get_queryset``."""

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            raise Http404(f"No {self.model._meta.verbose_name} by that name.") from None


class GoneMixin:
    """A withdrawn quote or claim, or coverage taken down: readers get 410 with when and why
    (``objects.gone()``); staff previews (``visible_to``) still show the page, marked."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            item = self.model.objects.gone().filter(slug=kwargs.get(self.slug_url_kwarg)).first()
            if item is None:
                raise
            return render(
                request,
                "dialogues/withdrawn.html",
                {
                    "item": item,
                    "kind": self.model._meta.verbose_name,
                    "part_of": getattr(item, "coverage", None),
                },
                status=410,
            )


class PageElsewhere(Exception):
    def __init__(self, number):
        self.number = number


class PagedListView(ListView):
    """A list in pages of ``PAGE_SIZE``. A page past the end sends the reader to the last one,
    and a page that is no number to the first, instead of a 404 for a link that once worked."""

    paginate_by = PAGE_SIZE

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except PageElsewhere as elsewhere:
            query = request.GET.copy()
            query.pop(self.page_kwarg, None)
            if elsewhere.number > 1:
                query[self.page_kwarg] = str(elsewhere.number)
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)

    def get_paginator(self, queryset, per_page, **kwargs):
        return CountedPerGeneration(queryset, per_page, request=self.request, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        asked = self.request.GET.get(self.page_kwarg) or "1"
        if asked == "last":
            number = paginator.num_pages
        elif asked.isascii() and asked.isdigit():
            number = min(max(int(asked), 1), paginator.num_pages)
        else:
            number = 1
        page = paginator.page(number)
        if asked != str(page.number):
            raise PageElsewhere(page.number)
        return paginator, page, page.object_list, page.has_other_pages()


class HomeView(TemplateView):
    template_name = "dialogues/home.html"

    @cached_property
    def front(self):
        """The latest coverage, featured quotes and topics: read by the template only when its
        cached section is missing."""
        preview = can_preview(self.request.user)
        return {
            "latest_coverage": Coverage.objects.visible_when(preview=preview).teasers()[:HOME_COVERAGE],
            "featured_quotes": with_cards(
                Quote.objects.featured_visible_when(preview=preview).card_rows()[:HOME_FEATURED]
            ),
            # Topics with something to read. Not counts: counting every quote per topic on the
            # front page would cost more with every year of archive.
            "topics": Topic.objects.first_with_content(preview=preview, count=HOME_TOPICS),
        }


class CoverageListView(VisibleMixin, PagedListView):
    model = Coverage
    template_name = "dialogues/coverage_list.html"

    def get_queryset(self):
        return super().get_queryset().teasers()


class CoverageDetailView(FormerSlugMixin, GoneMixin, PageObjectMixin, DetailView):
    model = Coverage
    template_name = "dialogues/coverage_detail.html"

    def get_queryset(self):
        return super().get_queryset().for_page()

    @cached_property
    def article(self):
        """The text in parts with each part's notes, and the correction log: read by the
        template only when its cached section is missing."""
        coverage = self.object
        prefetch_related_objects([coverage], *Coverage.objects.page_lookups())
        quotes = list(Quote.objects.filter(coverage=coverage).card_rows(joined=False).with_last_correction())
        claims = list(Claim.objects.filter(coverage=coverage).card_rows(joined=False).with_last_correction())
        # Withdrawn items leave the article's notes and marks for readers (staff previews keep
        # them) and join its correction log; loaded with the rest, they cost no query.
        commentaries = list(Commentary.objects.filter(coverage=coverage).select_related("section"))
        withdrawals = sorted(
            (Withdrawal.of(item) for item in quotes + claims + commentaries if item.is_withdrawn),
            key=lambda w: w.made_at,
        )
        if not can_preview(self.request.user):
            quotes = [quote for quote in quotes if not quote.is_withdrawn]
            claims = [claim for claim in claims if not claim.is_withdrawn]
        # Withdrawn analysis leaves its note where it was (links to its anchor still land), its
        # words only for staff previews.
        preview = can_preview(self.request.user)
        for commentary in commentaries:
            commentary.shown_in_full = preview or not commentary.is_withdrawn
        for item in quotes + claims:
            # Anchors resolve against this coverage and cards print its dialogue: share the
            # instances already loaded instead of joining and building a copy per item.
            item.coverage, item.dialogue = coverage, coverage.dialogue
        parts = coverage_parts(coverage, quotes=quotes, claims=claims, commentaries=commentaries)
        with_cards(quotes + claims)
        corrections = list(Correction.objects.about(coverage)) if coverage.has_corrections else []
        # Readers of the article see its quotes' and claims' corrections too, each pointing at
        # its note; asked only when one has any (``last_corrected_at`` is loaded with the rows).
        corrected = {(type(item), item.pk): item for item in quotes + claims if item.last_corrected_at}
        item_corrections = (
            list(Correction.objects.about_any(corrected.values()).select_related("content_type"))
            if corrected
            else []
        )
        for entry in item_corrections:
            entry.about_item = corrected[(entry.content_type.model_class(), entry.object_id)]
        return {
            "parts": parts,
            "corrections": sorted(
                [*corrections, *item_corrections, *withdrawals], key=lambda entry: entry.made_at
            ),
            "updated_at": last_visible_change(coverage, corrections, withdrawals, quotes + claims),
        }

    @cached_property
    def detailed(self):
        """The coverage with what its header and structured data print: participants, topics,
        and its "Updated" time (``last_visible_change``)."""
        coverage = self.object
        prefetch_related_objects([coverage], *Coverage.objects.page_lookups())
        coverage.last_visible_change = self.article["updated_at"]
        return coverage


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawn quote, claim or commentary as an entry of its article's correction log."""

    made_at: datetime
    note: str
    kind: str

    @classmethod
    def of(cls, item):
        return cls(made_at=item.withdrawn_at, note=item.withdrawal_note, kind=item._meta.verbose_name)


def last_visible_change(coverage, corrections, withdrawals, items):
    """When readers last saw the article or its content change visibly (a correction of it or
    of its quotes and claims, or a withdrawal), if after its first publication; else None."""
    first = coverage.first_published
    times = [entry.made_at for entry in [*corrections, *withdrawals]]
    times += [item.last_corrected_at for item in items if item.last_corrected_at is not None]
    latest = max(times, default=None)
    return latest if first is not None and latest is not None and latest > first else None


class SpeakerListView(VisibleMixin, PagedListView):
    model = Speaker
    template_name = "dialogues/speaker_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("aliases", AFFILIATIONS)


class SpeakerDetailView(FormerSlugMixin, PageObjectMixin, DetailView):
    model = Speaker
    template_name = "dialogues/speaker_detail.html"
    # The latest of each, by topic; the quote and claim lists, filtered by speaker, page through
    # the rest. A speaker on stage every year must not make their page grow without end.
    LATEST = 30

    @cached_property
    def detailed(self):
        """The speaker with the names, titles and sources its header prints."""
        prefetch_related_objects(
            [self.object], "aliases", AFFILIATIONS, "affiliations__fact_sources", "fact_sources"
        )
        return self.object

    @cached_property
    def not_public(self):
        """For staff: whether readers cannot see this speaker (nothing of theirs is published),
        so the page says it is a preview. Readers never get here for such a speaker."""
        if not can_preview(self.request.user):
            return False
        return not Speaker.objects.published().filter(pk=self.object.pk).exists()

    @cached_property
    def statements(self):
        """The speaker's dialogues with counts and the latest quotes and claims grouped by
        topic: read by the template only when its cached section is missing."""
        speaker, user = self.object, self.request.user
        groups = {}
        for kind, model in (("quotes", Quote), ("claims", Claim)):
            latest = model.objects.visible_to(user).by_speaker(speaker).card_rows().newest_first()
            for item in with_cards(latest.prefetch_related(TOPIC_LIST)[: self.LATEST]):
                for topic in item.topic_list or [None]:
                    groups.setdefault(topic, {"topic": topic, "quotes": [], "claims": []})[kind].append(item)
        preview = can_preview(user)
        dialogues = list(
            Dialogue.objects.visible_when(preview=preview).with_counts_by(speaker, preview=preview)
        )
        return {
            "topic_groups": sorted(
                groups.values(), key=lambda g: (g["topic"] is None, g["topic"] and g["topic"].name)
            ),
            "dialogues": dialogues,
            "quote_count": sum(dialogue.quote_count for dialogue in dialogues),
            "claim_count": sum(dialogue.claim_count for dialogue in dialogues),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(latest=self.LATEST, **kwargs)


class EventListView(VisibleMixin, PagedListView):
    model = Event
    template_name = "dialogues/event_list.html"


class EventDetailView(FormerSlugMixin, VisibleMixin, DetailView):
    model = Event
    template_name = "dialogues/event_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organizer").prefetch_related("fact_sources")

    def get_context_data(self, **kwargs):
        dialogues = (
            Dialogue.objects.visible_to(self.request.user)
            .filter(event=self.object)
            .prefetch_related(PARTICIPANTS)
        )
        return super().get_context_data(dialogues=dialogues, **kwargs)


class DialogueDetailView(FormerSlugMixin, VisibleMixin, DetailView):
    model = Dialogue
    template_name = "dialogues/dialogue_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("event").prefetch_related(PARTICIPANTS, "fact_sources")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            coverages=Coverage.objects.visible_to(user).filter(dialogue=self.object),
            quotes=with_cards(Quote.objects.visible_to(user).filter(dialogue=self.object).card_rows()),
            claims=with_cards(Claim.objects.visible_to(user).filter(dialogue=self.object).card_rows()),
            **kwargs,
        )


class TopicListView(VisibleMixin, PagedListView):
    model = Topic
    template_name = "dialogues/topic_list.html"


class TopicDetailView(FormerSlugMixin, PageObjectMixin, DetailView):
    model = Topic
    template_name = "dialogues/topic_detail.html"
    # The latest of each; the quote and claim lists, filtered by topic, page through the rest.
    LATEST = 30

    @cached_property
    def statements(self):
        """The latest quotes side by side per speaker, claims and analysis on the topic: read by
        the template only when its cached section is missing."""
        topic, user = self.object, self.request.user
        quotes = with_cards(
            Quote.objects.visible_to(user)
            .newest_on_topic(topic)
            .card_rows()
            .prefetch_related(SPEAKER_LIST)[: self.LATEST]
        )
        # Side by side: one column per speaker, so two people on the same topic can be compared.
        # Words said together are shown once, beside the columns, not once per speaker.
        columns, joint = {}, []
        for quote in quotes:
            if len(quote.speaker_list) > 1:
                joint.append(quote)
            else:
                for speaker in quote.speaker_list:
                    columns.setdefault(speaker, []).append(quote)
        return {
            "speaker_columns": sorted(columns.items(), key=lambda item: item[0].name),
            "joint_quotes": joint,
            "quote_count": len(quotes),
            "claims": with_cards(
                Claim.objects.visible_to(user).newest_on_topic(topic).card_rows()[: self.LATEST]
            ),
            "commentaries": Commentary.objects.visible_to(user)
            .filter(topics=topic)
            .select_related("coverage")
            .newest_first_sorted()[: self.LATEST],
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(latest=self.LATEST, **kwargs)


class FilteredListMixin:
    """A ``filterset_class`` over the visible queryset; invalid filters show nothing, never an error."""

    filterset_class = None

    def get_queryset(self):
        queryset = super().get_queryset()
        self.filterset = self.filterset_class(self.request.GET, queryset=queryset, request=self.request)
        return self.filterset.qs if self.filterset.is_valid() else queryset.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)

    def speaker_suggestion(self):
        """``(name, url)`` when the speaker typed names no one and site search's "did you mean"
        spells a speaker who is ("Jensen Haung": Jensen Huang), else None. Asked by the page
        only when it lists nothing."""
        typed = self.request.GET.get("speaker", "").strip()
        by_speaker = self.filterset.filters["speaker"]
        if not typed or by_speaker.speaker_ids(typed):
            return None
        preview = can_preview(self.request.user)
        suggested = site_search.suggestion(typed, preview=preview, now=timezone.now())
        if not suggested or not by_speaker.speaker_ids(suggested):
            return None
        query = self.request.GET.copy()
        query.pop("page", None)
        query["speaker"] = suggested
        return suggested, f"?{query.urlencode()}"


class CardListMixin:
    """A page of quote or claim cards (``with_cards``)."""

    def get_queryset(self):
        return super().get_queryset().card_rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"].object_list = with_cards(context["page_obj"].object_list)
        return context


class CardOnPageMixin:
    """An item's own page prints its card too, from the relations its ``for_detail`` query
    prefetched: the card's lists (``card_lookups``) are made from them, not queried again."""

    def get_object(self, queryset=None):
        item = super().get_object(queryset)
        item.card_speakers = list(item.speakers.all())
        if isinstance(item, Claim):
            item.card_evidence = list(item.evidence.all())
        return item


class QuoteListView(CardListMixin, FilteredListMixin, VisibleMixin, PagedListView):
    model = Quote
    template_name = "dialogues/quote_list.html"
    filterset_class = QuoteFilter


class QuoteDetailView(FormerSlugMixin, GoneMixin, CardOnPageMixin, VisibleMixin, DetailView):
    model = Quote
    template_name = "dialogues/quote_detail.html"

    def get_queryset(self):
        return super().get_queryset().for_detail()


class ClaimListView(CardListMixin, FilteredListMixin, VisibleMixin, PagedListView):
    model = Claim
    template_name = "dialogues/claim_list.html"
    filterset_class = ClaimFilter


class PredictionListView(VisibleMixin, PagedListView):
    model = Claim
    template_name = "dialogues/prediction_list.html"

    def get_queryset(self):
        return super().get_queryset().predictions().for_cards().order_by("resolve_by", "pk")


class ClaimDetailView(FormerSlugMixin, GoneMixin, CardOnPageMixin, VisibleMixin, DetailView):
    model = Claim
    template_name = "dialogues/claim_detail.html"

    def get_queryset(self):
        return super().get_queryset().for_detail().prefetch_related("fact_sources", "evidence__fact_sources")


class MethodologyView(TemplateView):
    """What every status and kind label means, from the models' choices (``dialogues.methodology``)."""

    template_name = "dialogues/methodology.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=methodology.groups(), **kwargs)


@require_safe
def search_view(request):
    """Each kind's best matches, a page at a time; for a query that finds nothing, a spelling
    that does (``site_search.suggestion``) and what it finds.

    No totals: counting every match costs as much as the search itself and grows with the
    archive, so each group fetches one row more than it shows to know whether a next page exists.
    A page past the last says so, with a link to the last page, rather than answering 404; the
    last page is known (it has no next), and is numbered "page N of N"."""
    query = request.GET.get("q", "").strip()
    page_number = request.GET.get("page", "1")
    page_number = int(page_number) if is_whole_number(page_number) and 0 < int(page_number) < 10_000 else 1
    start = (page_number - 1) * PAGE_SIZE

    def results():
        """The page's groups: called by the template only when its cached section is missing."""
        preview, now = can_preview(request.user), timezone.now()
        shown, suggestion = query, None
        found = site_search.search(query, preview=preview, now=now, start=start, stop=start + PAGE_SIZE + 1)
        if page_number == 1 and not any(found.values()):
            suggestion = site_search.suggestion(query, preview=preview, now=now)
            if suggestion:
                shown = suggestion
                found = site_search.search(shown, preview=preview, now=now, start=0, stop=PAGE_SIZE + 1)
        has_next = any(len(items) > PAGE_SIZE for items in found.values())
        found = {kind: items[:PAGE_SIZE] for kind, items in found.items()}
        if found:
            with_cards([*found["quotes"], *found["claims"]])
        groups = [{"kind": kind, "items": items} for kind, items in found.items() if items]
        past_the_end = page_number > 1 and not groups
        # Only a page past the end counts the matches, to link to the last page that has some.
        count = site_search.match_count(query, preview=preview) if past_the_end else 0
        return {
            "groups": groups,
            "has_next": has_next,
            "shown": shown,
            "suggestion": suggestion,
            "past_the_end": past_the_end,
            "last_page": max(1, -(-count // PAGE_SIZE)),
        }

    return render(
        request,
        "dialogues/search.html",
        {"query": query, "results": results, "page_number": page_number},
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
