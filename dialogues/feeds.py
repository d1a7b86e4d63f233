from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dialogues.labels import listed
from dialogues.models import Coverage, Quote, Speaker, Topic

FEED_SIZE = 20


# What HTML itself needs escaped in text. Not Django's ``escape``: its "&#x27;" for an
# apostrophe, escaped again as XML, reached readers that show descriptions as text as
# "Jian&amp;#x27;s"; an apostrophe or a quote mark is plain text in HTML, left as it is.
_HTML_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class PlainTextRssFeed(Rss201rev2Feed):
    """RSS whose descriptions are our plain text: RSS readers read a description as HTML, so
    markup typed into a dek or a quote shows as typed instead of being run as markup. Escaped
    once, for HTML, where HTML needs it; the XML writer adds its own layer."""

    def add_item_elements(self, handler, item):
        if item["description"] is not None:
            item = {**item, "description": item["description"].translate(_HTML_TEXT_ESCAPES)}
        super().add_item_elements(handler, item)


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose summaries say they are text (``type="text"``), which they are; Django's say
    ``html``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class CoverageFeed(Feed):
    feed_type = PlainTextRssFeed
    # In the language of the feed's address (/zh-hans/feeds/… in Chinese); items as written.
    title = _("Dialogue Desk: latest coverage")
    description = _("New coverage of tech dialogues.")

    def link(self):
        return reverse("dialogues:coverage-list")

    def items(self):
        return Coverage.objects.published().select_related("dialogue__event")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.dek

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at


class CoverageAtomFeed(CoverageFeed):
    feed_type = PlainTextAtomFeed
    subtitle = CoverageFeed.description


class TopicFeed(Feed):
    """Quotes on a topic: what readers following a subject want next."""

    feed_type = PlainTextRssFeed
    model = Topic

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404:
            # Subscribed under a slug it had before a rename: feed readers follow a 301.
            item = self.model.objects.published().renamed_from(kwargs.get("slug", ""))
            if item is None:
                raise
            match = request.resolver_match
            return HttpResponsePermanentRedirect(
                reverse(match.view_name, kwargs={**match.kwargs, "slug": item.slug})
            )

    def get_object(self, request, slug):
        return get_object_or_404(self.model.objects.published(), slug=slug)

    def title(self, topic):
        return gettext("Dialogue Desk: quotes on %(topic)s") % {"topic": topic.name}

    def description(self, topic):
        return topic.description or gettext("What speakers said about %(topic)s.") % {"topic": topic.name}

    def link(self, topic):
        return topic.get_absolute_url()

    def items(self, topic):
        return (
            Quote.objects.published()
            .newest_on_topic(topic)
            .select_related("coverage")
            .prefetch_related("speakers")[:FEED_SIZE]
        )

    def item_title(self, item):
        return f"{listed(s.name for s in item.speakers.all())}: {item.text}"

    def item_description(self, item):
        return gettext("%(kind)s — from “%(title)s”.") % {
            "kind": item.get_kind_display(),
            "title": item.coverage.title,
        }

    def item_pubdate(self, item):
        return item.coverage.publish_at


class SpeakerFeed(TopicFeed):
    model = Speaker

    def title(self, speaker):
        return gettext("Dialogue Desk: quotes of %(speaker)s") % {"speaker": speaker.name}

    def description(self, speaker):
        return gettext("Published quotes of %(speaker)s.") % {"speaker": speaker.name}

    def link(self, speaker):
        return speaker.get_absolute_url()

    def items(self, speaker):
        return (
            Quote.objects.published()
            .by_speaker(speaker)
            .select_related("coverage")
            .prefetch_related("speakers")
            .newest_first()[:FEED_SIZE]
        )


class TopicAtomFeed(TopicFeed):
    feed_type = PlainTextAtomFeed


class SpeakerAtomFeed(SpeakerFeed):
    feed_type = PlainTextAtomFeed
