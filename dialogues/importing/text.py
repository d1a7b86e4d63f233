"""Turning pasted input into the plain source text quotes and claims anchor into, and splitting
that text into lines, sentences and headings. Pure Python: no Django, no network."""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from dialogues.validators import CONTROL_CHARACTERS

MAX_BYTES = 5 * 1024 * 1024


class ImportInputError(ValueError):
    """The pasted input cannot be imported; the message says why, in one line."""


@dataclass(frozen=True)
class Heading:
    """A line the markup marked as a heading: ``level`` 1 for Markdown ``#`` or HTML ``<h1>``,
    2 for ``##``/``<h2>``, and so on."""

    level: int
    text: str


@dataclass
class PlainText:
    text: str
    # Lines the markup marked as headings, in order (``Heading``s).
    headings: list = field(default_factory=list)
    format: str = "text"


def _looks_like_utf16(data):
    """A byte order mark, or every other byte zero as ASCII text in UTF-16 has it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = data[:4096]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2], sample[1::2]
    return (
        max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.4
        and min(even.count(0), odd.count(0)) == 0
    )


def decode(data):
    """Bytes from a file or an upload → str, refusing what is not text."""
    if len(data) > MAX_BYTES:
        raise ImportInputError(f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is 5 MB.")
    if _looks_like_utf16(data):
        raise ImportInputError("The file is not UTF-8 text (it looks like UTF-16): save it as UTF-8.")
    if b"\x00" in data[:65536]:
        raise ImportInputError(BINARY["file"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportInputError(
            f"The file is not UTF-8 text (undecodable byte at position {error.start}): save it as UTF-8."
        ) from error


BINARY = {
    "text": "This looks like a binary file, not text: paste the article's text.",
    "file": "This looks like a binary file, not text: choose the article as a text, Markdown or HTML file.",
}
EMPTY = {
    "text": "The text is empty: paste the article.",
    "file": "The file is empty: choose the file with the article's text.",
}


def check_text(raw, *, source="text"):
    """Refuse empty, oversized and binary input with a message an editor can act on;
    ``source`` is "text" for a paste, "file" for a file's decoded text."""
    if raw is None or not raw.strip():
        raise ImportInputError(EMPTY[source])
    if len(raw.encode("utf-8")) > MAX_BYTES:
        raise ImportInputError(f"The {source} is larger than 5 MB: import a shorter article or transcript.")
    controls = len(CONTROL_CHARACTERS.findall(raw[:65536]))
    if "\x00" in raw or controls > 16:
        raise ImportInputError(BINARY[source])


HTML_SIGN = re.compile(r"<(?:p|div|h[1-6]|br|article|body|html|span|li|a)\b[^>]*>", re.IGNORECASE)
MARKDOWN_SIGN = re.compile(r"^(?:#{1,6} |\*\*|[-*] |> )|\[[^\]]+\]\([^)]+\)", re.MULTILINE)


def detect_format(raw):
    if HTML_SIGN.search(raw):
        return "html"
    if MARKDOWN_SIGN.search(raw):
        return "markdown"
    return "text"


class _HtmlText(HTMLParser):
    BLOCKS = {"p", "div", "section", "article", "li", "blockquote", "tr", "ul", "ol", "table", "header"}
    SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.headings, self._heading, self._level, self._skip = [], [], None, 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif re.fullmatch(r"h[1-6]", tag):
            self.parts.append("\n\n")
            self._heading, self._level = [], int(tag[1])

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        elif re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            heading = " ".join("".join(self._heading).split())
            if heading:
                self.headings.append(Heading(self._level, heading))
            self._heading = None
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _tidy(text):
    text = CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [" ".join(line.split()) if line.strip() else "" for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MD_INLINE = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]


def _markdown_text(raw):
    lines, headings = [], []
    for line in raw.replace("\r\n", "\n").split("\n"):
        heading = MD_HEADING.match(line)
        line = heading.group(2) if heading else re.sub(r"^\s*(?:>\s?|[-*+]\s+)", "", line)
        for pattern, replacement in MD_INLINE:
            line = pattern.sub(replacement, line)
        if heading:
            headings.append(Heading(len(heading.group(1)), " ".join(line.split())))
        lines.append(line)
    return "\n".join(lines), headings


def to_plain_text(raw, fmt="auto"):
    """The article as plain text (what is stored verbatim and anchored into), with the headings
    its markup marked. Plain text passes through with only line endings and spaces tidied."""
    check_text(raw)
    fmt = detect_format(raw) if fmt in ("auto", "", None) else fmt
    headings = []
    if fmt == "html":
        parser = _HtmlText()
        parser.feed(raw)
        parser.close()
        text, headings = "".join(parser.parts), parser.headings
    elif fmt == "markdown":
        text, headings = _markdown_text(raw)
    else:
        text = raw
    text = _tidy(html.unescape(text) if fmt == "html" else text)
    if not text.strip():
        raise ImportInputError("The input holds no text once its markup is removed.")
    return PlainText(text=text, headings=headings, format=fmt)


# --- sentences --------------------------------------------------------------------------------

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc",
    "e.g", "i.e", "no", "fig", "u.s", "u.k", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "approx", "est", "gen", "gov", "sen", "rep",
}  # fmt: skip
# A sentence ends at . ! ? (with any closing quotes or brackets) before a space, or at the
# full-width marks Chinese and Japanese use, which need no space after them.
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’」』)\]]*(?=\s)|[。！？]+[”’」』）]*")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def lines_of(text):
    """Non-empty lines as spans."""
    out, position = [], 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append(Span(position + lead, position + len(line.rstrip()), line.strip()))
        position += len(line) + 1
    return out


def sentences_in(text, start, end):
    """Sentence spans of ``text[start:end]`` (one line or paragraph)."""
    out, begin = [], start
    chunk = text[start:end]
    for match in SENTENCE_END.finditer(chunk):
        stop = start + match.end()
        if match.group().startswith(".") and len(match.group()) == 1:
            word = re.search(r"([\w.]+)$", text[begin : start + match.start()])
            if word and (word.group(1).lower() in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
                continue
        piece = text[begin:stop]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append(Span(begin + lead, stop, piece.strip()))
        begin = stop
    piece = text[begin:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        out.append(Span(begin + lead, begin + lead + len(piece.strip()), piece.strip()))
    return out
