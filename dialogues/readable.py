"""Numbers as a reader writes them in the page's language: "nearly US$73 billion" in English,
"近730亿美元" in Chinese, not "73000000000 USD".

The ``figure`` filter of the Jinja2 pages (``dialogues.templating``) prints every figure with
this, so a claim's numbers read the same wherever they are shown. Digits are grouped by
Django's formats for the active language (``1,250`` in English, ``1250`` in Chinese); the
words around them (scales, currencies, qualifiers) are each language's own, below."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation

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


# Chinese counts large numbers in 万 (10⁴) and 亿 (10⁸); currencies follow the number by name.
SCALES_ZH = ((Decimal(10) ** 12, "万亿"), (Decimal(10) ** 8, "亿"), (Decimal(10) ** 5, "万"))
SCALE_VALUES_ZH = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}
CURRENCY_SUFFIXES_ZH = {
    "USD": "美元",
    "CNY": "元",
    "RMB": "元",
    "HKD": "港元",
    "EUR": "欧元",
    "GBP": "英镑",
    "JPY": "日元",
}
QUALIFIER_WORDS_ZH = {"exact": "", "about": "约", "nearly": "近", "over": "超过"}
# Units of time (and percent spelled out) as a Chinese reader writes them: "约2个月".
UNITS_ZH = {
    "day": "天",
    "days": "天",
    "week": "周",
    "weeks": "周",
    "month": "个月",
    "months": "个月",
    "year": "年",
    "years": "年",
    "hour": "小时",
    "hours": "小时",
    "minute": "分钟",
    "minutes": "分钟",
    "second": "秒",
    "seconds": "秒",
    "percent": "%",
}


def _plain(number):
    """Up to one decimal, a trailing ".0" dropped, digits grouped as the active language
    groups them: 1.5, 73, 12,500 (English) or 12500 (Chinese)."""
    rounded = Decimal(number).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    places = 0 if rounded == rounded.to_integral_value() else 1
    return formats.number_format(rounded, places, use_l10n=True, force_grouping=True)


def _chinese_number(value, unit, qualifier):
    """ "近730亿美元", "超过125万元", "约3倍", "2.5%": scale and currency after the number."""
    magnitude = ""
    for threshold, word in SCALES_ZH:
        if abs(value) >= threshold:
            value, magnitude = value / SCALE_VALUES_ZH[word], word
            break
    number = _plain(value) + magnitude
    if unit.upper() in CURRENCY_SUFFIXES_ZH:
        text = number + CURRENCY_SUFFIXES_ZH[unit.upper()]
    elif unit in CLOSED_UNITS:
        text = number + ("%" if unit == "%" else "倍")
    elif unit.lower() in UNITS_ZH:
        text = number + UNITS_ZH[unit.lower()]
    elif unit:
        text = f"{number} {unit}"  # a unit the data spells in English stays as written
    else:
        text = number
    return QUALIFIER_WORDS_ZH.get(qualifier, qualifier or "") + text


def readable_number(value, unit="", qualifier=""):
    """``value`` (a number) with its ``unit`` and ``qualifier`` ("about", "nearly", "over",
    "exact" or empty) as running text in the page's language: large numbers in millions,
    billions or trillions (万, 亿 or 万亿 in Chinese)."""
    value = Decimal(str(value))
    # None where translation is switched off (deactivate_all: admin change messages, commands).
    if (translation.get_language() or "").startswith("zh"):
        return _chinese_number(value, (unit or "").strip(), qualifier)
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
