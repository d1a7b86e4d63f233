from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from dialogues import search as site_search
from dialogues.filters import ClaimFilter, QuoteFilter
from dialogues.models import (
    Affiliation,
    Claim,
    Commentary,
    Coverage,
    Dialogue,
    Event,
    Participant,
    Quote,
    Speaker,
    Topic,
)
from dialogues.rendering import article_blocks

PAGE_SIZE = 20


class VisibleMixin:
    """Public pages show published content; staff also see drafts, marked as a preview."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)


def speakers_with_titles():
    """Speakers with the affiliations needed to print “title, organization” in one query."""
    return Prefetch(
        "speakers",
        queryset=Speaker.objects.prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization"))
        ),
    )


class HomeView(TemplateView):
    template_name = "dialogues/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            latest_coverage=Coverage.objects.visible_to(user).select_related("dialogue__event")[:10],
            featured_quotes=Quote.objects.visible_to(user)
            .featured()
            .select_related("coverage", "dialogue__event")
            .prefetch_related(speakers_with_titles())[:6],
            topics=Topic.objects.annotate(
                quote_count=Count(
                    "quotes", filter=Q(quotes__in=Quote.objects.visible_to(user)), distinct=True
                ),
                claim_count=Count(
                    "claims", filter=Q(claims__in=Claim.objects.visible_to(user)), distinct=True
                ),
            ).filter(Q(quote_count__gt=0) | Q(claim_count__gt=0)),
            **kwargs,
        )


class CoverageListView(VisibleMixin, ListView):
    model = Coverage
    paginate_by = PAGE_SIZE
    template_name = "dialogues/coverage_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("dialogue__event")


class CoverageDetailView(VisibleMixin, DetailView):
    model = Coverage
    template_name = "dialogues/coverage_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("dialogue__event").prefetch_related("sections", "topics")

    def get_context_data(self, **kwargs):
        coverage = self.object
        quotes = list(
            coverage.quotes.select_related("section").prefetch_related(speakers_with_titles(), "topics")
        )
        claims = list(
            coverage.claims.select_related("section").prefetch_related(
                "speakers", "evidence__publisher", "figures", "topics", "corrections"
            )
        )
        for item in quotes + claims:
            item.coverage = coverage  # anchors resolve against this coverage: no query per item
        blocks, annotations = article_blocks(coverage, quotes=quotes, claims=claims)
        commentaries = list(coverage.commentaries.select_related("section").prefetch_related("topics"))
        sections = []
        intro = {"section": None, "blocks": [], "commentaries": [], "claims": [], "quotes": []}
        by_section = {None: intro}
        for section in coverage.sections.all():
            by_section[section.pk] = {
                "section": section,
                "blocks": [],
                "commentaries": [],
                "claims": [],
                "quotes": [],
            }
        for block in blocks:
            by_section[block.section.pk if block.section else None]["blocks"].append(block)
        for commentary in commentaries:
            by_section.get(commentary.section_id, intro)["commentaries"].append(commentary)
        numbers = {(a.css, a.obj.pk): a.number for a in annotations}
        for claim in claims:
            claim.ref_number = numbers.get(("claim", claim.pk))
            by_section.get(claim.section_id, intro)["claims"].append(claim)
        for quote in quotes:
            quote.ref_number = numbers.get(("quote", quote.pk))
            by_section.get(quote.section_id, intro)["quotes"].append(quote)
        sections = [by_section[key] for key in by_section]
        return super().get_context_data(
            parts=sections,
            participants=coverage.dialogue.participants.select_related("speaker"),
            corrections=coverage_corrections(coverage),
            **kwargs,
        )


def coverage_corrections(coverage):
    from django.contrib.contenttypes.models import ContentType

    from dialogues.models import Correction

    return Correction.objects.filter(
        content_type=ContentType.objects.get_for_model(Coverage), object_id=coverage.pk
    )


class SpeakerListView(VisibleMixin, ListView):
    model = Speaker
    paginate_by = PAGE_SIZE
    template_name = "dialogues/speaker_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "aliases",
                Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")),
            )
        )


class SpeakerDetailView(VisibleMixin, DetailView):
    model = Speaker
    template_name = "dialogues/speaker_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "aliases",
                Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")),
            )
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        speaker = self.object
        quotes = list(
            Quote.objects.visible_to(user)
            .by_speaker(speaker)
            .select_related("coverage", "dialogue__event")
            .prefetch_related("topics", speakers_with_titles())
        )
        claims = list(
            Claim.objects.visible_to(user)
            .by_speaker(speaker)
            .select_related("coverage", "dialogue__event")
            .prefetch_related("topics", "speakers")
        )
        by_topic = {}
        for kind, items in (("quotes", quotes), ("claims", claims)):
            for item in items:
                for topic in item.topics.all() or [None]:
                    group = by_topic.setdefault(topic, {"topic": topic, "quotes": [], "claims": []})
                    group[kind].append(item)
        groups = sorted(
            by_topic.values(), key=lambda g: (g["topic"] is None, g["topic"].name if g["topic"] else "")
        )
        dialogues = (
            Dialogue.objects.visible_to(user)
            .filter(participants__speaker=speaker)
            .select_related("event")
            .distinct()
        )
        return super().get_context_data(
            topic_groups=groups,
            quote_count=len(quotes),
            claim_count=len(claims),
            dialogues=dialogues,
            **kwargs,
        )


class EventListView(VisibleMixin, ListView):
    model = Event
    paginate_by = PAGE_SIZE
    template_name = "dialogues/event_list.html"


class EventDetailView(VisibleMixin, DetailView):
    model = Event
    template_name = "dialogues/event_detail.html"

    def get_context_data(self, **kwargs):
        dialogues = (
            Dialogue.objects.visible_to(self.request.user)
            .filter(event=self.object)
            .prefetch_related(
                Prefetch("participants", queryset=Participant.objects.select_related("speaker"))
            )
        )
        return super().get_context_data(dialogues=dialogues, **kwargs)


class DialogueDetailView(VisibleMixin, DetailView):
    model = Dialogue
    template_name = "dialogues/dialogue_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("event").prefetch_related("topics")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            participants=self.object.participants.select_related("speaker"),
            coverages=Coverage.objects.visible_to(user).filter(dialogue=self.object),
            quotes=Quote.objects.visible_to(user)
            .filter(dialogue=self.object)
            .select_related("coverage")
            .prefetch_related(speakers_with_titles()),
            claims=Claim.objects.visible_to(user)
            .filter(dialogue=self.object)
            .select_related("coverage")
            .prefetch_related("speakers"),
            **kwargs,
        )


class TopicListView(ListView):
    model = Topic
    paginate_by = PAGE_SIZE
    template_name = "dialogues/topic_list.html"


class TopicDetailView(DetailView):
    model = Topic
    template_name = "dialogues/topic_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        topic = self.object
        quotes = list(
            Quote.objects.visible_to(user)
            .on_topic(topic)
            .select_related("coverage", "dialogue__event")
            .prefetch_related(speakers_with_titles())
        )
        # Side by side: one column per speaker, so two people on the same topic can be compared.
        columns = {}
        for quote in quotes:
            for speaker in quote.speakers.all():
                columns.setdefault(speaker, []).append(quote)
        return super().get_context_data(
            speaker_columns=sorted(columns.items(), key=lambda item: item[0].name),
            claims=Claim.objects.visible_to(user).on_topic(topic).for_listing(),
            commentaries=Commentary.objects.visible_to(user)
            .filter(topics=topic)
            .select_related("coverage", "section"),
            coverages=Coverage.objects.visible_to(user).filter(topics=topic),
            **kwargs,
        )


class QuoteListView(VisibleMixin, ListView):
    model = Quote
    paginate_by = PAGE_SIZE
    template_name = "dialogues/quote_list.html"

    def get_queryset(self):
        queryset = (
            super()
            .get_queryset()
            .select_related("coverage", "dialogue__event")
            .prefetch_related(speakers_with_titles(), "topics")
        )
        self.filterset = QuoteFilter(self.request.GET, queryset=queryset, request=self.request)
        return self.filterset.qs if self.filterset.is_valid() else queryset.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class QuoteDetailView(VisibleMixin, DetailView):
    model = Quote
    template_name = "dialogues/quote_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("coverage", "dialogue__event", "section")
            .prefetch_related(speakers_with_titles(), "topics", "corrections")
        )


class ClaimListView(VisibleMixin, ListView):
    model = Claim
    paginate_by = PAGE_SIZE
    template_name = "dialogues/claim_list.html"

    def get_queryset(self):
        queryset = super().get_queryset().for_listing()
        self.filterset = ClaimFilter(self.request.GET, queryset=queryset, request=self.request)
        return self.filterset.qs if self.filterset.is_valid() else queryset.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class PredictionListView(VisibleMixin, ListView):
    model = Claim
    paginate_by = PAGE_SIZE
    template_name = "dialogues/prediction_list.html"

    def get_queryset(self):
        return super().get_queryset().predictions().for_listing().order_by("resolve_by", "pk")


class ClaimDetailView(VisibleMixin, DetailView):
    model = Claim
    template_name = "dialogues/claim_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .for_listing()
            .prefetch_related("evidence__publisher", "corrections", "products_mentioned")
        )


@require_GET
def search_view(request):
    query = request.GET.get("q", "").strip()
    page_number = request.GET.get("page", 1)
    groups = []
    for kind, queryset in site_search.search(query, request.user):
        page = Paginator(queryset, PAGE_SIZE).get_page(page_number)
        groups.append({"kind": kind, "page": page, "count": page.paginator.count})
    pages = max((g["page"].paginator.num_pages for g in groups), default=1)
    return render(
        request,
        "dialogues/search.html",
        {
            "query": query,
            "groups": groups,
            "total": sum(g["count"] for g in groups),
            "num_pages": pages,
            "page_number": groups[0]["page"].number if groups else 1,
        },
    )


@require_GET
def robots_txt(request):
    from django.urls import reverse

    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
