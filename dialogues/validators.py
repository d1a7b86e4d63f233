import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

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
# Chinese is offered by script too, as speakers' names are written in both.
LANGUAGES = (
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("zh-Hans", "Chinese (Simplified)"),
    ("zh-Hant", "Chinese (Traditional)"),
    ("yue", "Cantonese"),
    ("nl", "Dutch"),
    ("en", "English"),
    ("fr", "French"),
    ("de", "German"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("id", "Indonesian"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("ms", "Malay"),
    ("fa", "Persian"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ru", "Russian"),
    ("es", "Spanish"),
    ("sv", "Swedish"),
    ("th", "Thai"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("vi", "Vietnamese"),
)
