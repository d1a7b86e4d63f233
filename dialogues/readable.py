"""Numbers as a reader writes them: "nearly US$73 billion", not "73000000000 USD".

The ``figure`` filter of the Jinja2 pages (``dialogues.templating``) prints every figure with
this, so a claim's numbers read the same wherever they are shown."""

from decimal import ROUND_HALF_UP, Decimal

# Currency codes as an English-language news site prints them, before the number.
CURRENCY_PREFIXES = {
    "USD": "US$",
    "CNY": "CN¥",
    "RMB": "CN¥",
    "HKD": "HK$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
}
# Units written against the number: "45%", "3×".
CLOSED_UNITS = {"%", "×", "x"}
SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
# The qualifier's word in running text (its display name explains it for editors).
QUALIFIER_WORDS = {"exact": "", "about": "about", "nearly": "nearly", "over": "over"}


def _plain(number):
    """Up to one decimal, a trailing ".0" dropped, thousands grouped: 1.5, 73, 12,500."""
    rounded = Decimal(number).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded:,.1f}"


def readable_number(value, unit="", qualifier=""):
    """``value`` (a number) with its ``unit`` and ``qualifier`` ("about", "nearly", "over",
    "exact" or empty) as running text: large numbers in millions, billions or trillions."""
    value = Decimal(str(value))
    magnitude = ""
    for scale, word in SCALES:
        if abs(value) >= scale:
            value, magnitude = value / scale, word
            break
    number = _plain(value) + (f" {magnitude}" if magnitude else "")
    unit = (unit or "").strip()
    if unit.upper() in CURRENCY_PREFIXES:
        text = CURRENCY_PREFIXES[unit.upper()] + number
    elif unit in CLOSED_UNITS:
        text = number + ("×" if unit == "x" else unit)
    elif unit:
        if value == 1 and not magnitude and unit.endswith("s"):
            unit = unit[:-1]  # "1 month"
        text = f"{number} {unit}"
    else:
        text = number
    word = QUALIFIER_WORDS.get(qualifier, qualifier or "")
    return f"{word} {text}" if word else text


def readable_figure(figure):
    """A claim's figure (``ClaimFigure``) as running text."""
    return readable_number(figure.value, figure.unit, figure.qualifier)
