from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from dialogues.models import Claim, Coverage, Dialogue, Event, Quote, Speaker, Topic


class BilingualSitemap(Sitemap):
    """Every page in English and under /zh-hans/, each naming the other as its ``hreflang``
    alternate (and English as ``x-default``), as the pages' own ``<link rel="alternate">`` do."""

    i18n = True
    alternates = True
    x_default = True


class CoverageSitemap(BilingualSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Coverage.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PublishedSitemap(BilingualSitemap):
    """Every model with a public page, limited to what anonymous readers may see."""

    model = None

    def items(self):
        return self.model.objects.published().order_by("pk")


class SpeakerSitemap(PublishedSitemap):
    model = Speaker


class EventSitemap(PublishedSitemap):
    model = Event


class DialogueSitemap(PublishedSitemap):
    model = Dialogue


class QuoteSitemap(PublishedSitemap):
    model = Quote


class ClaimSitemap(PublishedSitemap):
    model = Claim


class TopicSitemap(PublishedSitemap):
    model = Topic


class StaticSitemap(BilingualSitemap):
    def items(self):
        return ["dialogues:home", "dialogues:claim-list", "dialogues:prediction-list", "dialogues:quote-list"]

    def location(self, item):
        return reverse(item)


sitemaps = {
    "pages": StaticSitemap,
    "coverage": CoverageSitemap,
    "speakers": SpeakerSitemap,
    "events": EventSitemap,
    "dialogues": DialogueSitemap,
    "topics": TopicSitemap,
    "quotes": QuoteSitemap,
    "claims": ClaimSitemap,
}
