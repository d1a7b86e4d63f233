"""The Jinja2 environment for the public pages (templates/jinja2/).

Readers' pages are Jinja2 templates because they are the pages a cold cache renders: Jinja2
compiles a template to Python once, where Django's engine walks its node tree and resolves every
variable through a chain of lookups on each render (measured in-process: first renders of the
article, speaker, topic and search pages 20-30% faster; in git history, bench/README.md). The admin, the API's browsable pages and the plain error
pages stay on Django templates.

What the templates call is defined here: URL reversing, static files, Django's own date and text
filters (so dates and plurals read exactly as before), and the few site helpers that used to be
template tags.
"""

import json
import re

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import prefetch_related_objects
from django.template import defaultfilters, engines
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from jinja2 import Environment, pass_context

from dialogues import structured_data
from dialogues.fragments import cached_pieces, for_readers
from dialogues.i18n import language_tag, language_versions
from dialogues.labels import choice_label
from dialogues.newsroom import newsroom_time
from dialogues.perf.urls import plain_url
from dialogues.permissions import can_preview
from dialogues.readable import readable_figure
from dialogues.rendering import render_markdown
from dialogues.validators import language_name

# Escapes that keep JSON valid while making "</script>" and friends impossible inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def url(viewname, *args, **kwargs):
    if not args and not kwargs:
        # The methodology page behind every badge, the nav: reversed once (dialogues.perf.urls).
        return plain_url(viewname)
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def date(value, format_string=None):
    """Django's ``date`` filter, after the conversion to local time Django's engine does first.

    The format is the English one; each language's catalogue gives its own under the context
    "date format" (``Y年n月j日`` for "j F Y"), as a Chinese reader writes a date."""
    if format_string:
        format_string = translation.pgettext("date format", format_string)
    return defaultfilters.date(template_localtime(value), format_string)


def date_range(start, end):
    """``start`` to ``end`` (dates) as the page's language writes a range, each end a
    ``<time>``: "16–20 July 2025" in English, "2025年7月16日至20日" in Chinese. What the first
    date leaves out (the year, the month) depends on what the two share; each language's
    catalogue gives its formats under the "date range" contexts."""
    if not end or end == start:
        return format_html('<time datetime="{}">{}</time>', start.isoformat(), date(start, "j F Y"))
    pgettext = translation.pgettext
    if (start.year, start.month) == (end.year, end.month):
        formats_ = (
            pgettext("date range, same month: start", "j"),
            pgettext("date range, same month: end", "j F Y"),
        )
    elif start.year == end.year:
        formats_ = (
            pgettext("date range, same year: start", "j F"),
            pgettext("date range, same year: end", "j F Y"),
        )
    else:
        formats_ = (pgettext("date format", "j F Y"),) * 2
    first, last = defaultfilters.date(start, formats_[0]), defaultfilters.date(end, formats_[1])
    return format_html(
        translation.pgettext("date range", '<time datetime="{}">{}</time>–<time datetime="{}">{}</time>'),
        start.isoformat(),
        first,
        end.isoformat(),
        last,
    )


def with_cards(items):
    """``items`` (quotes or claims, any mix), each with ``card_html``: its card rendered by its
    macro in ``includes/cards.html`` or read from the per-object cache (``dialogues.fragments``).

    Call it once per page with every item the page shows: only the cards rendered afresh load
    what they print besides their row (``card_lookups``), in one query per relation, and a page
    whose cards are all cached reads no speakers, titles or evidence."""
    items = list(items)
    macros = engines["jinja2"].env.get_template("includes/cards.html").module
    by_model = {}
    for item in items:
        by_model.setdefault(type(item), []).append(item)
    for model, of_model in by_model.items():
        name = model._meta.model_name
        html = cached_pieces(
            f"{name}-card",
            of_model,
            getattr(macros, f"{name}_card"),
            prepare=lambda missing, model=model: prefetch_related_objects(
                missing, *model.objects.card_lookups()
            ),
        )
        for item, card_html in zip(of_model, html, strict=True):
            item.card_html = card_html
    return items


def list_separator(loop):
    """What follows item ``loop.index`` of a list of names, in the page's language: "and"
    before the last, a comma before the others ("A, B and C"; in Chinese "A、B和C")."""
    if loop.revindex == 2:
        return translation.pgettext("list", " and ")
    return translation.pgettext("list", ", ")


# The facts a page prints a source beside, as a reader names them ("Source for the start date,
# end date and city: …"); their subject's field names otherwise.
FACT_LABELS = {
    "starts_on": translation.pgettext_lazy("fact", "start date"),
    "ends_on": translation.pgettext_lazy("fact", "end date"),
    "city": translation.pgettext_lazy("fact", "city"),
    "country": translation.pgettext_lazy("fact", "country"),
    "edition": translation.pgettext_lazy("fact", "edition"),
    "organizer": translation.pgettext_lazy("fact", "organizer"),
    "held_on": translation.pgettext_lazy("fact", "date"),
    "format": translation.pgettext_lazy("fact", "format"),
    "duration_minutes": translation.pgettext_lazy("fact", "length"),
    "wikidata_id": translation.pgettext_lazy("fact", "Wikidata ID"),
    "title": translation.pgettext_lazy("fact", "title"),
    "organization": translation.pgettext_lazy("fact", "organization"),
    "valid_from": translation.pgettext_lazy("fact", "start"),
    "valid_to": translation.pgettext_lazy("fact", "end"),
    "url": translation.pgettext_lazy("fact", "address"),
    "published_on": translation.pgettext_lazy("fact", "publication date"),
    "publisher": translation.pgettext_lazy("fact", "publisher"),
    "check_note": translation.pgettext_lazy("fact", "check note"),
    "checked_on": translation.pgettext_lazy("fact", "check date"),
    "status": translation.pgettext_lazy("fact", "status"),
}


def sources_by_link(subject, facts):
    """``subject``'s sources of ``facts`` (its ``fact_sources`` prefetched), each once with the
    facts it supports, in the order of ``facts``: ``[(source, [fact label, …])]``. One source
    stored per fact would print the same link once per fact (five times on the event page)."""
    grouped = {}
    for source in sorted(
        (source for source in subject.fact_sources.all() if source.fact in facts),
        key=lambda source: facts.index(source.fact),
    ):
        key = (source.url, source.title, source.accessed_on, source.is_confirmed)
        grouped.setdefault(key, (source, []))[1].append(FACT_LABELS.get(source.fact, source.fact))
    return list(grouped.values())


def lang_attr(language=None):
    """`` lang="…"`` for content written in ``language`` when the page is in another one (an
    English quote on a Chinese page), so screen readers and fonts switch; nothing otherwise.

    One rule for all content: it carries the language it was written in, its coverage's
    ``language`` where it has one, else (``None``: event names, speaker titles, evidence
    titles, topic names) the site's default language, which everything else is entered in."""
    language = language or language_tag(settings.LANGUAGE_CODE)
    if language.lower() == language_tag(translation.get_language()).lower():
        return ""
    return format_html(' lang="{}"', language)


# Han characters: how a title no field gives a language for shows it is Chinese.
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def title_lang(title):
    """``lang_attr`` for a source's title, whose language no field records: Chinese ("zh", the
    script unsaid) when it is written in Han characters, else the site's language."""
    return lang_attr("zh" if HAN.search(title or "") else None)


def as_written(text, language=None):
    """``text`` (escaped), in a ``<span lang>`` when it is written in another language than the
    page's (``lang_attr``): for content inside a translated sentence or a bare table cell."""
    attr = lang_attr(language)
    if not attr:
        return conditional_escape(text)
    return format_html("<span{}>{}</span>", attr, text)


def speaker_name(speaker):
    """The speaker's name for the page's language: on a Chinese page the alias in its script,
    when he has one ("黄仁勋的全部引语"), else his name as written (``as_written``). Read from
    aliases already prefetched only, never a query of its own: where a page has not loaded
    them, the name it has."""
    page = language_tag(translation.get_language()).lower()
    aliases = getattr(speaker, "_prefetched_objects_cache", {}).get("aliases", ())
    if page != language_tag(settings.LANGUAGE_CODE).lower():
        for alias in aliases:
            if alias.language.lower() == page:
                return as_written(alias.name, alias.language)
    return as_written(speaker.name)


@pass_context
def jsonld(context, kind, obj):
    """A JSON-LD block describing ``obj`` (see ``dialogues.structured_data``)."""
    data = getattr(structured_data, kind)(obj, context.get("request"))
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@pass_context
def cached_section(context, name, *parts, caller):
    """``{% call cached_section("speaker-statements", speaker.pk) %}…{% endcall %}``: the
    block as rendered once per content generation for every reader (``fragments.for_readers``).

    What the block reads, the view hands over lazily (a ``cached_property`` of the view, a
    callable), so a cached block costs none of its queries."""
    return mark_safe(for_readers(context["request"], name, parts, lambda: str(caller())))


@pass_context
def edit_link(context, obj):
    """For staff who may edit ``obj`` (the admin's own permission checks, ``write_access``
    included), a link to its admin change page; nothing for anyone else.

    Never inside a ``cached_section``: those are shared with readers. Pages for logged-in
    users never enter the page cache (``caching.PageCacheMiddleware``)."""
    request = context.get("request")
    if not isinstance(obj, models.Model) or request is None or not can_preview(request.user):
        return ""
    try:
        model_admin = admin.site.get_model_admin(type(obj))
    except admin.sites.NotRegistered:
        return ""
    if not model_admin.has_change_permission(request, obj):
        return ""
    meta = obj._meta
    change_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return format_html(
        '<p class="staff-edit"><a href="{}">Edit this {} in the admin</a></p>', change_url, meta.verbose_name
    )


@pass_context
def unpublished_for_staff(context, obj):
    """Whether this is a staff preview of something readers do not see (its model's
    ``published()``): a speaker no published coverage shows yet, say."""
    request = context.get("request")
    if not isinstance(obj, models.Model) or request is None or not can_preview(request.user):
        return False
    return not type(obj).objects.published().filter(pk=obj.pk).exists()


@pass_context
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@pass_context
def query_without_page(context):
    """The current query string minus ``page``, for pagination links."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    return query.urlencode()


@pass_context
def languages(context):
    """This page in each language (``dialogues.i18n.language_versions``)."""
    return language_versions(context["request"])


def environment(**options):
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    # Django's catalogues (locale/) for _(), gettext, ngettext and {% trans %}, in the language
    # the request activated (dialogues.i18n).
    env.install_gettext_translations(translation, newstyle=True)
    env.globals.update(
        page_language=lambda: language_tag(translation.get_language()),
        default_language=lambda: language_tag(settings.LANGUAGE_CODE),
        languages=languages,
        list_separator=list_separator,
        lang_attr=lang_attr,
        as_written=as_written,
        date_range=date_range,
        speaker_name=speaker_name,
        url=url,
        static=static,
        jsonld=jsonld,
        cached_section=cached_section,
        edit_link=edit_link,
        unpublished_for_staff=unpublished_for_staff,
        absolute_url=absolute_url,
        query_without_page=query_without_page,
        sources_by_link=sources_by_link,
        choice_label=choice_label,
        title_lang=title_lang,
    )
    env.filters.update(
        date=date,
        markdown=render_markdown,
        figure=readable_figure,
        newsroom_time=newsroom_time,
        language_name=language_name,
        localize=formats.localize,
        capfirst=defaultfilters.capfirst,
        pluralize=defaultfilters.pluralize,
        truncatewords=defaultfilters.truncatewords,
        urlencode=defaultfilters.urlencode,
    )
    return env
