from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from dialogues import search as site_search
from dialogues.caching import CountedPerGeneration
from dialogues.filters import ClaimFilter, QuoteFilter
from dialogues.models import (
    Claim,
    Correction,
    Coverage,
    Dialogue,
    Event,
    Participant,
    Quote,
    Speaker,
    Topic,
    load_cards,
    loaded,
    pages,
)
from dialogues.models.people import AFFILIATIONS
from dialogues.permissions import can_preview
from dialogues.rendering import coverage_parts

PAGE_SIZE = 20
# The front page shows this many of the latest coverage and featured quotes, and names this
# many topics and links to the full list.
HOME_COVERAGE, HOME_FEATURED, HOME_TOPICS = 10, 6, 20

PARTICIPANTS = Prefetch("participants", queryset=Participant.objects.select_related("speaker"))


class VisibleMixin:
    """Public pages show published content; staff also see drafts, marked as a preview."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


class ReaderMixin:
    """Who reads and when: may they see drafts (``preview``), and the time “published” is judged
    at (``now``), the two things every compiled page query (dialogues.models.pages) asks."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.preview, self.now = can_preview(request.user), timezone.now()


class PageObjectMixin(ReaderMixin):
    """A detail page whose object comes from a compiled page query: ``find(preview, slug=, now=)``
    returns it with what the page prints of it loaded, or None."""

    find = None

    def get_object(self, queryset=None):
        found = self.find(self.preview, slug=self.kwargs["slug"], now=self.now)
        if found is None:
            raise Http404(f"No {self.model._meta.verbose_name} by that name.")
        return found


class PagedListView(ListView):
    paginate_by = PAGE_SIZE

    def get_paginator(self, queryset, per_page, **kwargs):
        return CountedPerGeneration(queryset, per_page, request=self.request, **kwargs)


class HomeView(ReaderMixin, TemplateView):
    template_name = "dialogues/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest_coverage=pages.latest_coverage(self.preview, HOME_COVERAGE, now=self.now),
            featured_quotes=pages.featured_quotes(self.preview, HOME_FEATURED, now=self.now),
            # Topics with something to read. Not counts: counting every quote per topic on the
            # front page would cost more with every year of archive.
            topics=pages.first_topics_with_content(self.preview, HOME_TOPICS, now=self.now),
            **kwargs,
        )


class CoverageListView(VisibleMixin, PagedListView):
    model = Coverage
    template_name = "dialogues/coverage_list.html"

    def get_queryset(self):
        return super().get_queryset().teasers()


class CoverageDetailView(PageObjectMixin, DetailView):
    model = Coverage
    template_name = "dialogues/coverage_detail.html"
    find = staticmethod(pages.coverage_by_slug)

    def get_context_data(self, **kwargs):
        coverage = self.object
        # Quotes and claims are by the dialogue's participants: their cards reuse those speakers.
        quotes, claims = load_cards(
            pages.quotes_in_coverage(coverage=coverage.pk),
            pages.claims_in_coverage(coverage=coverage.pk),
            speakers=[p.speaker for p in coverage.dialogue.participants.all()],
        )
        for item in quotes + claims:
            # Anchors resolve against this coverage and cards print its dialogue: share the
            # instances already loaded instead of joining and building a copy per item.
            item.coverage, item.dialogue = coverage, coverage.dialogue
        commentaries = pages.commentary_in_coverage(coverage=coverage.pk)
        return super().get_context_data(
            parts=coverage_parts(coverage, quotes=quotes, claims=claims, commentaries=commentaries),
            corrections=Correction.objects.about(coverage) if coverage.has_corrections else [],
            **kwargs,
        )


class SpeakerListView(VisibleMixin, PagedListView):
    model = Speaker
    template_name = "dialogues/speaker_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("aliases", AFFILIATIONS)


class SpeakerDetailView(PageObjectMixin, DetailView):
    model = Speaker
    template_name = "dialogues/speaker_detail.html"
    find = staticmethod(pages.speaker_by_slug)
    # The latest of each, by topic; the quote and claim lists, filtered by speaker, page through
    # the rest. A speaker on stage every year must not make their page grow without end.
    LATEST = 30

    def get_context_data(self, **kwargs):
        speaker = self.object
        reader = {"speaker": speaker.pk, "now": self.now}
        quotes, claims = load_cards(
            pages.latest_quotes_by_speaker(self.preview, self.LATEST, **reader),
            pages.latest_claims_by_speaker(self.preview, self.LATEST, **reader),
            speakers=[speaker],
            topics=True,
        )
        groups = {}
        for kind, items in (("quotes", quotes), ("claims", claims)):
            for item in items:
                for topic in loaded(item, "topics") or [None]:
                    groups.setdefault(topic, {"topic": topic, "quotes": [], "claims": []})[kind].append(item)
        dialogues = pages.speaker_dialogues(self.preview, **reader)
        return super().get_context_data(
            topic_groups=sorted(
                groups.values(), key=lambda g: (g["topic"] is None, g["topic"] and g["topic"].name)
            ),
            dialogues=dialogues,
            quote_count=sum(dialogue.quote_count for dialogue in dialogues),
            claim_count=sum(dialogue.claim_count for dialogue in dialogues),
            latest=self.LATEST,
            **kwargs,
        )


class EventListView(VisibleMixin, PagedListView):
    model = Event
    template_name = "dialogues/event_list.html"


class EventDetailView(VisibleMixin, DetailView):
    model = Event
    template_name = "dialogues/event_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organizer")

    def get_context_data(self, **kwargs):
        dialogues = (
            Dialogue.objects.visible_to(self.request.user)
            .filter(event=self.object)
            .prefetch_related(PARTICIPANTS)
        )
        return super().get_context_data(dialogues=dialogues, **kwargs)


class DialogueDetailView(VisibleMixin, DetailView):
    model = Dialogue
    template_name = "dialogues/dialogue_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("event").prefetch_related(PARTICIPANTS)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            coverages=Coverage.objects.visible_to(user).filter(dialogue=self.object),
            quotes=Quote.objects.visible_to(user).filter(dialogue=self.object).for_cards(),
            claims=Claim.objects.visible_to(user).filter(dialogue=self.object).for_cards(),
            **kwargs,
        )


class TopicListView(PagedListView):
    model = Topic
    template_name = "dialogues/topic_list.html"


class TopicDetailView(PageObjectMixin, DetailView):
    model = Topic
    template_name = "dialogues/topic_detail.html"
    find = staticmethod(pages.topic_by_slug)
    # The latest of each; the quote and claim lists, filtered by topic, page through the rest.
    LATEST = 30

    def get_context_data(self, **kwargs):
        reader = {"topic": self.object.pk, "now": self.now}
        quotes, claims = load_cards(
            pages.latest_quotes_on_topic(self.preview, self.LATEST, **reader),
            pages.latest_claims_on_topic(self.preview, self.LATEST, **reader),
        )
        # Side by side: one column per speaker, so two people on the same topic can be compared.
        columns = {}
        for quote in quotes:
            for speaker in loaded(quote, "speakers"):
                columns.setdefault(speaker, []).append(quote)
        return super().get_context_data(
            speaker_columns=sorted(columns.items(), key=lambda item: item[0].name),
            claims=claims,
            latest=self.LATEST,
            commentaries=pages.latest_commentary_on_topic(self.preview, self.LATEST, **reader),
            **kwargs,
        )


class FilteredListMixin:
    """A ``filterset_class`` over the visible queryset; invalid filters show nothing, never an error."""

    filterset_class = None

    def get_queryset(self):
        queryset = super().get_queryset()
        self.filterset = self.filterset_class(self.request.GET, queryset=queryset, request=self.request)
        return self.filterset.qs if self.filterset.is_valid() else queryset.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class QuoteListView(FilteredListMixin, VisibleMixin, PagedListView):
    model = Quote
    template_name = "dialogues/quote_list.html"
    filterset_class = QuoteFilter

    def get_queryset(self):
        return super().get_queryset().for_cards()


class QuoteDetailView(VisibleMixin, DetailView):
    model = Quote
    template_name = "dialogues/quote_detail.html"

    def get_queryset(self):
        return super().get_queryset().for_detail()


class ClaimListView(FilteredListMixin, VisibleMixin, PagedListView):
    model = Claim
    template_name = "dialogues/claim_list.html"
    filterset_class = ClaimFilter

    def get_queryset(self):
        return super().get_queryset().for_cards()


class PredictionListView(VisibleMixin, PagedListView):
    model = Claim
    template_name = "dialogues/prediction_list.html"

    def get_queryset(self):
        return super().get_queryset().predictions().for_cards().order_by("resolve_by", "pk")


class ClaimDetailView(VisibleMixin, DetailView):
    model = Claim
    template_name = "dialogues/claim_detail.html"

    def get_queryset(self):
        return super().get_queryset().for_detail()


@require_GET
def search_view(request):
    """Each kind's best matches, a page at a time.

    No totals: counting every match costs as much as the search itself and grows with the
    archive, so each group fetches one row more than it shows to know whether a next page exists."""
    query = request.GET.get("q", "").strip()
    page_number = request.GET.get("page", "1")
    page_number = int(page_number) if page_number.isdigit() and 0 < int(page_number) < 10_000 else 1
    start = (page_number - 1) * PAGE_SIZE
    results = site_search.search(
        query, preview=can_preview(request.user), now=timezone.now(), start=start, stop=start + PAGE_SIZE + 1
    )
    has_next = any(len(items) > PAGE_SIZE for items in results.values())
    results = {kind: items[:PAGE_SIZE] for kind, items in results.items()}
    if results:
        results["quotes"], results["claims"] = load_cards(results["quotes"], results["claims"])
    return render(
        request,
        "dialogues/search.html",
        {
            "query": query,
            "groups": [{"kind": kind, "items": items} for kind, items in results.items() if items],
            "page_number": page_number,
            "has_next": has_next,
        },
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
