"""Turning stored text into safe HTML: the article with its quotes and claims marked in place,
and Markdown commentary."""

import functools
import html
import re
import threading
from dataclasses import dataclass

import markdown
import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from dialogues.anchors import AnchorError
from dialogues.labels import choice_label

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
}


# Building a Markdown converter costs as much as converting a paragraph with it; each thread
# keeps one and resets it between texts (instances are not safe to share across threads).
_converters = threading.local()


def _markdown_converter():
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    return converter.reset()


# The same commentary is rendered for every request of its page that the page cache does not
# answer (staff, the first after an edit): a tenth of the article page's time. The output depends
# on the text alone, so each worker keeps the latest texts' HTML.
@functools.lru_cache(maxsize=1024)
def render_markdown(text):
    """Markdown to HTML through a maintained sanitizer: no scripts, handlers or js: links."""
    html = _markdown_converter().convert(text or "")
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener nofollow",
        )
    )


@dataclass
class Annotation:
    start: int
    end: int
    obj: object
    css: str
    label: str
    number: int = 0
    section: object = None  # where the passage is, whatever section the item names


# Leftovers of the web page the article was copied from. The source text keeps them verbatim
# (anchors point into it); readers get the article without them.
PAGE_DATE_AND_VIEWS = re.compile(r"\d{2}/\d{2} \d{4} \d+")  # "07/23 2025 566": date, view counter
LIST_MARKER = re.compile(r"l (?=\S)")  # a bullet that lost its glyph: "l As AI enters…"
SECTION_NUMBER = re.compile(r"\d{1,2}")  # "01" over a section's title


def reading_text(coverage):
    """The article's words as its page shows them, without the copied page's debris (the title
    line, the date and view counter, the standfirst, section numbers, lost bullet glyphs, the
    copyright notice the page's footer shows): what a search excerpt quotes."""
    lines = []
    for number, line in enumerate(coverage.source_text.split("\n")):
        stripped = line.strip()
        if (
            not stripped
            or (number == 0 and stripped == coverage.title)
            or PAGE_DATE_AND_VIEWS.fullmatch(stripped)
            or stripped == coverage.dek.strip()
            or SECTION_NUMBER.fullmatch(stripped)
            or stripped == coverage.copyright_notice.strip()
        ):
            continue
        marker = LIST_MARKER.match(line)
        lines.append(line[marker.end() :] if marker else line)
    return "\n".join(lines)


def markdown_text(text):
    """Markdown as the words a reader sees, its marks gone ("**post-training**" is
    "post-training"): what a search excerpt quotes."""
    return html.unescape(nh3.clean(render_markdown(text), tags=set()))


@dataclass
class Block:
    kind: str  # "paragraph", "item" (of a list), "heading", "subtitle"
    html: str
    section: object = None


def _annotations(quotes, claims):
    found = []
    for css, items in (("quote", quotes), ("claim", claims)):
        for item in items:
            try:
                start, end = item.anchor_span()
            except AnchorError:
                continue  # validation keeps stored anchors resolvable; never break the page
            label = gettext("Quote") if css == "quote" else choice_label(item, "kind")
            found.append(Annotation(start, end, item, css, label))
    # Numbered in the order readers meet the numbers: each is printed where its passage ends,
    # so a passage inside another (a claim within a longer one) comes first.
    found.sort(key=lambda a: (a.end, a.start, a.css))
    for number, annotation in enumerate(found, start=1):
        annotation.number = number
    return found


def ref_id(css, item):
    """The id of the reference link after an item's passage in the text."""
    return f"ref-{css}-{item.slug}"


def _paragraph_html(text, offset, annotations):
    """Escape one paragraph, wrapping annotated runs in <mark> and adding a reference link
    after each passage. Overlapping passages are handled by cutting at every boundary."""
    end_offset = offset + len(text)
    inside = [a for a in annotations if a.start < end_offset and a.end > offset]
    if not inside:
        return escape(text)
    cuts = sorted(
        {
            offset,
            end_offset,
            *(max(offset, a.start) for a in inside),
            *(min(end_offset, a.end) for a in inside),
        }
    )
    parts = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = [a for a in inside if a.start < right and a.end > left]
        segment = escape(text[left - offset : right - offset])
        if covering:
            classes = " ".join(sorted({f"mark-{a.css}" for a in covering}))
            parts.append(f'<mark class="{classes}">{segment}</mark>')
        else:
            parts.append(segment)
        for annotation in inside:
            if annotation.end == right:
                # The id is where the note's way back leads (``ref_id``).
                parts.append(
                    format_html(
                        '<a class="ref ref-{}" id="{}" href="#{}-{}" aria-label="{} {}">{}</a>',
                        annotation.css,
                        ref_id(annotation.css, annotation.obj),
                        annotation.css,
                        annotation.obj.slug,
                        annotation.label,
                        annotation.number,
                        annotation.number,
                    )
                )
    return "".join(parts)


def article_blocks(coverage, *, quotes=(), claims=()):
    """The source text as blocks, sections recognised by their headings, passages marked."""
    text = coverage.source_text
    annotations = _annotations(quotes, claims)
    sections = sorted(coverage.sections.all(), key=lambda s: s.number)
    starts = {s.heading_start(): s for s in sections}
    for annotation in annotations:
        # A passage belongs to the last section whose heading comes before it.
        before = [start for start in starts if 0 <= start <= annotation.start]
        annotation.section = starts[max(before)] if before else None
    subtitles = {s.subtitle for s in sections if s.subtitle}
    numbers = {f"{s.number:02d}" for s in sections}
    notice = coverage.copyright_notice.strip()
    blocks = []
    current = None
    offset = 0
    for line_number, line in enumerate(text.split("\n")):
        line_start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped or (line_number == 0 and stripped == coverage.title):
            continue
        if stripped == notice:
            continue  # the page's footer shows the copyright notice, once
        if line_start in starts:
            current = starts[line_start]
            blocks.append(Block("heading", escape(line), current))
        elif stripped in numbers:
            continue  # the section number is shown with its heading
        elif current is not None and stripped in subtitles and stripped == current.subtitle:
            blocks.append(Block("subtitle", escape(line), current))
        elif current is None and (
            PAGE_DATE_AND_VIEWS.fullmatch(stripped) or stripped == coverage.dek.strip()
        ):
            continue  # the page's date line, and the standfirst the page header already shows
        elif marker := LIST_MARKER.match(line):
            html = _paragraph_html(line[marker.end() :], line_start + marker.end(), annotations)
            blocks.append(Block("item", mark_safe(html), current))
        else:
            html = _paragraph_html(line, line_start, annotations)
            blocks.append(Block("paragraph", mark_safe(html), current))
    return blocks, annotations


def coverage_parts(coverage, *, quotes, claims, commentaries):
    """The article cut into its introduction and sections, each with its text blocks, the
    quotes and claims whose passage is in it as notes (numbered, and ordered, as in the text)
    and its commentary.

    A note goes where its passage is, not where the item's ``section`` says: an item with no
    section set, or the wrong one, would put its note far from its mark. Only an item whose
    anchor does not resolve falls back to its ``section``."""
    blocks, annotations = article_blocks(coverage, quotes=quotes, claims=claims)
    found = {(a.css, a.obj.pk): a for a in annotations}
    parts = {None: {"section": None, "blocks": [], "commentaries": [], "notes": []}}
    for section in coverage.sections.all():
        parts[section.pk] = {"section": section, "blocks": [], "commentaries": [], "notes": []}
    for block in blocks:
        parts[block.section.pk if block.section else None]["blocks"].append(block)
    for commentary in commentaries:
        parts.get(commentary.section_id, parts[None])["commentaries"].append(commentary)
    for kind, items in (("claim", claims), ("quote", quotes)):
        for item in items:
            annotation = found.get((kind, item.pk))
            item.note_kind = kind
            item.ref_number = annotation.number if annotation else None
            item.ref_id = ref_id(kind, item) if annotation else None
            if annotation is None:
                section_id = item.section_id
            else:
                section_id = annotation.section.pk if annotation.section else None
            parts.get(section_id, parts[None])["notes"].append(item)
    for part in parts.values():
        part["notes"].sort(key=lambda item: (item.ref_number is None, item.ref_number or 0))
    return list(parts.values())
