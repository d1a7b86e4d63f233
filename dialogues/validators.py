import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters other than tab, newline and carriage return: they make XML
# feeds invalid and are never part of real prose.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def validate_no_control_characters(value):
    match = CONTROL_CHARACTERS.search(value or "")
    if match:
        raise ValidationError(
            "Remove the control character U+%(code)04X at position %(position)d.",
            code="control_character",
            params={"code": ord(match.group()), "position": match.start()},
        )


validate_wikidata_id = RegexValidator(
    regex=r"^Q[1-9][0-9]*$",
    message="Enter a Wikidata item id: Q followed by digits, e.g. Q305177.",
    code="invalid_wikidata_id",
)

validate_language_tag = RegexValidator(
    regex=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    message="Enter a BCP 47 language tag such as en, zh or zh-Hans.",
    code="invalid_language_tag",
)


# The languages editors pick from by name; forms store their BCP 47 tag (``LanguageSelect``).
# Readers see the names too (``language_name``), in the page's language.
# Chinese is offered by script too, as speakers' names are written in both.
LANGUAGES = (
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("zh-Hans", _("Chinese (Simplified)")),
    ("zh-Hant", _("Chinese (Traditional)")),
    ("yue", _("Cantonese")),
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("he", _("Hebrew")),
    ("hi", _("Hindi")),
    ("id", _("Indonesian")),
    ("it", _("Italian")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("ms", _("Malay")),
    ("fa", _("Persian")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("sv", _("Swedish")),
    ("th", _("Thai")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("vi", _("Vietnamese")),
)


_LANGUAGE_NAMES = {tag.lower(): name for tag, name in LANGUAGES}


def language_name(tag):
    """A BCP 47 tag as readers read it ("zh" → "Chinese", 中文 on a Chinese page); a tag not in
    ``LANGUAGES`` is shown as it is."""
    return _LANGUAGE_NAMES.get((tag or "").lower(), tag)
