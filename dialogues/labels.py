"""How the desk names things and words what it tells people, in one place: an object as an
editor reads it in a list of several kinds (“Quote: AI will become your digital partner”, not
“quote #7”), and a message built from pieces ended with one full stop, never two."""

from functools import cache

from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language, pgettext

# What a sentence may already end with: its own stop, or a quoted or shortened title that ends it.
ENDINGS = (".", "!", "?", "…", "”", "’", '"')


def titled(obj):
    """How an editor names ``obj`` among other kinds: its kind, then the start of its words."""
    words = next(
        (getattr(obj, name) for name in ("text", "statement", "title") if getattr(obj, name, "")), str(obj)
    )
    return f"{capfirst(obj._meta.verbose_name)}: {Truncator(words).chars(80)}"


def sentence(text):
    """``text`` ended with a full stop, unless it ends a sentence already (a title may:
    “Quote: Compute is the new oil.”)."""
    text = text.rstrip()
    return text if text.endswith(ENDINGS) else text + "."


def counted(number, noun):
    """“1 quote”, “2 quotes”: a count with its noun, a word or a model (its verbose names)."""
    if isinstance(noun, str):
        return f"{number} {noun if number == 1 else noun + 's'}"
    meta = noun._meta
    return f"{number} {meta.verbose_name if number == 1 else meta.verbose_name_plural}"


def listed(names):
    """“A, B and C” in the active language (“A、B和C” in Chinese), with the messages the
    pages' lists use (``templating.list_separator``)."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return pgettext("list", ", ").join(names[:-1]) + pgettext("list", " and ") + names[-1]


def choice_label(obj, field_name):
    """What ``obj.get_<field>_display()`` says, from a table of the field's labels made once per
    language. Django's own makes the table again on every call, translating every label of the
    field to read one: on an article page with every cache off, a fifth of the render."""
    value = getattr(obj, field_name)
    return _choice_labels(type(obj), field_name, get_language()).get(value, value)


@cache
def _choice_labels(model, field_name, language):
    # The labels are the code's (translated by the catalogue), never the data's: a table per
    # model, field and language is all there will ever be.
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}
