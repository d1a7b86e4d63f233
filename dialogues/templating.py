"""The Jinja2 environment for the public pages (templates/jinja2/).

Readers' pages are Jinja2 templates because they are the pages a cold cache renders: Jinja2
compiles a template to Python once, where Django's engine walks its node tree and resolves every
variable through a chain of lookups on each render (measured in-process: first renders of the
article, speaker, topic and search pages 20-30% faster; bench/README.md). The admin, the API's browsable pages and the plain error
pages stay on Django templates.

What the templates call is defined here: URL reversing, static files, Django's own date and text
filters (so dates and plurals read exactly as before), and the few site helpers that used to be
template tags.
"""

import functools
import json

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language
from jinja2 import Environment, pass_context

from dialogues import structured_data
from dialogues.models import loaded
from dialogues.rendering import render_markdown

# Escapes that keep JSON valid while making "</script>" and friends impossible inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def url(viewname, *args, **kwargs):
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def date(value, format_string=None):
    """Django's ``date`` filter, after the conversion to local time Django's engine does first.

    Each written once per value, format and language: the article's page prints some two dozen
    dates, most of them the same few, and the filter works out the format and the month's name
    afresh for every one (7% of the page's time). The time zone is part of the key, as two
    times equal as instants print differently in different zones."""
    value = template_localtime(value)
    return _date(value, getattr(value, "tzinfo", None), format_string, get_language())


@functools.lru_cache(maxsize=1024)
def _date(value, tzinfo, format_string, language):
    return defaultfilters.date(value, format_string)


@pass_context
def jsonld(context, kind, obj):
    """A JSON-LD block describing ``obj`` (see ``dialogues.structured_data``)."""
    data = getattr(structured_data, kind)(obj, context.get("request"))
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@pass_context
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@pass_context
def query_without_page(context):
    """The current query string minus ``page``, for pagination links."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    return query.urlencode()


def environment(**options):
    env = Environment(**options)
    env.globals.update(
        url=url,
        static=static,
        jsonld=jsonld,
        absolute_url=absolute_url,
        query_without_page=query_without_page,
        loaded=loaded,
    )
    env.filters.update(
        date=date,
        markdown=render_markdown,
        localize=formats.localize,
        capfirst=defaultfilters.capfirst,
        pluralize=defaultfilters.pluralize,
        truncatewords=defaultfilters.truncatewords,
        urlencode=defaultfilters.urlencode,
    )
    return env
