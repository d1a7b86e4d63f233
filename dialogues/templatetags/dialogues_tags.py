import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from dialogues import structured_data
from dialogues.rendering import render_markdown

register = template.Library()

# Escapes that keep JSON valid while making "</script>" and friends impossible inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def jsonld(context, kind, obj):
    builder = getattr(structured_data, kind)
    data = builder(obj, context.get("request"))
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


@register.filter
def markdown(text):
    return render_markdown(text)


@register.filter
def title_on(speaker, day):
    """The title a speaker held on a day: attributions show the title at the time."""
    return speaker.title_on(day)


@register.inclusion_tag("includes/pagination.html", takes_context=True)
def pagination(context, page_obj):
    query = context["request"].GET.copy()
    query.pop("page", None)
    return {"page_obj": page_obj, "query": query.urlencode()}


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)
