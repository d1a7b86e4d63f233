"""Figures: amounts with their currency or unit, a qualifier ("about", "nearly", "over") and,
where the sentence gives one, the date they hold for."""

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a dozen": 12,
}  # fmt: skip
SCALES = {
    "thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9,
    "bn": 10**9, "b": 10**9, "trillion": 10**12, "tn": 10**12, "万": 10**4, "亿": 10**8, "万亿": 10**12,
}  # fmt: skip
CURRENCIES = {
    "us$": "USD", "$": "USD", "usd": "USD", "dollars": "USD", "us dollars": "USD", "美元": "USD",
    "hk$": "HKD", "hkd": "HKD", "nt$": "TWD", "twd": "TWD", "€": "EUR", "eur": "EUR",
    "euros": "EUR", "£": "GBP", "gbp": "GBP", "pounds": "GBP", "¥": "CNY", "rmb": "CNY",
    "cny": "CNY", "yuan": "CNY", "元": "CNY", "人民币": "CNY", "yen": "JPY", "jpy": "JPY",
}  # fmt: skip
UNITS = {
    "second": "seconds", "minute": "minutes", "hour": "hours", "day": "days", "week": "weeks",
    "month": "months", "year": "years", "decade": "decades", "user": "users", "people": "people",
    "person": "people", "customer": "customers", "developer": "developers", "employee": "employees",
    "company": "companies", "companies": "companies", "gpu": "GPUs", "chip": "chips",
    "parameter": "parameters", "token": "tokens", "country": "countries", "countries": "countries",
    "watt": "W", "w": "W", "kw": "kW", "mw": "MW", "gw": "GW", "twh": "TWh", "gwh": "GWh",
    "tb": "TB", "pb": "PB", "gb": "GB", "km": "km", "mile": "miles", "download": "downloads",
    "subscriber": "subscribers", "robot": "robots", "vehicle": "vehicles", "unit": "units",
    "model": "models", "partner": "partners", "startup": "startups", "server": "servers",
    "data center": "data centers", "exaflop": "exaflops", "petaflop": "petaflops",
    "分钟": "minutes", "小时": "hours", "天": "days", "周": "weeks", "个月": "months", "年": "years",
    "万人": "people", "人": "people", "家": "companies", "名": "people",
}  # fmt: skip
MULTIPLY_VERBS = {"doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4, "quintupled": 5}
QUALIFIERS = [
    ("nearly", r"nearly|almost|approaching|just under|close to|up to|short of"),
    ("over", r"over|more than|above|exceeding|upwards of|at least|beyond"),
    ("about", r"about|around|approximately|roughly|some|an estimated|estimated|~"),
]
# Chinese puts the qualifier right before the number, with no space and maybe a 了.
CJK_QUALIFIERS = [("nearly", r"将近|接近|近"), ("over", r"超过|超|逾|多于"), ("about", r"大约|约|左右")]
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})

_number = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_word_number = "|".join(sorted((re.escape(w) for w in NUMBER_WORDS), key=len, reverse=True))
_scale = r"trillion|billion|million|thousand|bn|tn|mn|万亿|亿|万|[kmb](?![a-z])"
_currency_before = r"US\$|HK\$|NT\$|\$|€|£|¥|RMB\s?|USD\s?|CNY\s?|EUR\s?|GBP\s?"
_currency_after = r"US dollars|dollars|euros|pounds|yuan|yen|USD|RMB|CNY|EUR|美元|元|人民币"
_unit = "|".join(
    sorted(
        (re.escape(u) + ("s?" if u.isalpha() and len(u) > 2 else "") for u in UNITS), key=len, reverse=True
    )
)

PATTERNS = [
    (
        "currency_before",
        re.compile(
            rf"(?P<cur>{_currency_before})\s?(?P<num>{_number})\s*(?P<scale>{_scale})?(?![\w%])", re.I
        ),
    ),
    (
        "currency_after",
        re.compile(rf"(?P<num>{_number})\s*(?P<scale>{_scale})?\s*(?P<cur>{_currency_after})(?!\w)", re.I),
    ),
    ("percent", re.compile(rf"(?P<num>{_number})\s*(?P<unit>%|％|percent|per cent|percentage points)", re.I)),
    # "300 million times" counts; "three times" multiplies.
    (
        "count",
        re.compile(
            rf"(?P<num>{_number})\s*(?P<scale>trillion|billion|million|thousand)\s+(?P<unit>times)(?!\w)",
            re.I,
        ),
    ),
    ("multiple", re.compile(rf"(?P<num>{_number}|{_word_number})[\s-]?(?P<unit>fold|times|x|×)(?!\w)", re.I)),
    ("multiply_verb", re.compile(r"\b(?P<verb>" + "|".join(MULTIPLY_VERBS) + r")\b", re.I)),
    ("half", re.compile(rf"\bhalf\s+(?:an?\s+)?(?P<unit>{_unit})(?!\w)", re.I)),
    (
        "quantity",
        re.compile(
            rf"(?<![A-Za-z0-9_$€£¥.,])(?P<num>{_number}|{_word_number})\s*(?P<scale>{_scale})?(?:[\s-]+|(?=[\u4e00-\u9fff]))(?P<unit>{_unit})(?![a-zA-Z])",
            re.I,
        ),
    ),
]
AS_OF_NOW = re.compile(
    r"\b(now|currently|today|to date|so far|as of now|at present|has|have|ago|approaching)\b", re.I
)
EXPLICIT_DATE = re.compile(
    r"\b(?:as of|by|in|at the end of|end of)\s+(?:(?P<month>[A-Z][a-z]{2,8})\s+)?(?P<year>(?:19|20)\d\d)\b"
)


@dataclass
class Figure:
    start: int
    end: int
    text: str
    value: Decimal
    unit: str
    qualifier: str = "exact"
    as_of: datetime.date = None
    label: str = ""


def _value(raw):
    raw = raw.strip().lower()
    if raw in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[raw])
    try:
        return Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None


def _qualifier(before):
    before = before[-28:].lower()
    for name, pattern in CJK_QUALIFIERS:
        if re.search(rf"(?:{pattern})了?$", before):
            return name
    for name, pattern in QUALIFIERS:
        if re.search(rf"(?:^|\W)(?:{pattern})\s*(?:\w+\s+)?$", before):
            return name
    return "exact"


def _as_of(sentence, published_on):
    explicit = EXPLICIT_DATE.search(sentence)
    if explicit:
        month = MONTHS.get((explicit.group("month") or "").lower())
        year = int(explicit.group("year"))
        if month:
            return datetime.date(year, month, calendar.monthrange(year, month)[1])
        return datetime.date(year, 12, 31)
    if published_on and AS_OF_NOW.search(sentence):
        return published_on
    return None


def _label(sentence_text, offset):
    """What is measured, as the words just before the figure's clause: an editor refines it."""
    before = re.split(r"[,;:—–(]|\b(?:while|and|but|which|whose)\b", sentence_text[:offset])[-1]
    before = re.sub(
        r"\b(?:has|have|had|is|are|was|were|now|of|by|to|at|nearly|almost|about|around|over|approaching|more than|reached|hit|grown|grew|rose|fell)\b",
        " ",
        before,
        flags=re.I,
    )
    words = [w for w in re.findall(r"[\w'’$-]+", before) if not w.isdigit()][-5:]
    return " ".join(words)[:120]


# Most sentences state no figure; one search rules them out before the seven patterns run.
HINT = re.compile(rf"\d|\b(?:half|{'|'.join(MULTIPLY_VERBS)}|{_word_number})\b", re.I)


def find_figures(sentence, published_on=None):
    """Figures in one sentence (a ``Span``)."""
    text, out, taken = sentence.text, [], []
    if not HINT.search(text):
        return out
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            groups = match.groupdict()
            if kind in ("currency_before", "currency_after"):
                value = _value(groups["num"])
                scale = (groups.get("scale") or "").lower()
                if value is None:
                    continue
                if re.fullmatch(r"(?:19|20)\d\d", groups["num"]) and not scale and kind == "currency_after":
                    continue
                value *= SCALES.get(scale, 1)
                unit = CURRENCIES.get(groups["cur"].strip().lower(), groups["cur"].strip().upper())
            elif kind == "percent":
                value, unit = (
                    _value(groups["num"]),
                    "%" if "point" not in groups["unit"].lower() else "percentage points",
                )
            elif kind == "count":
                value, unit = _value(groups["num"]) * SCALES[groups["scale"].lower()], "times"
            elif kind == "multiple":
                value, unit = _value(groups["num"]), "×"
            elif kind == "multiply_verb":
                value, unit = Decimal(MULTIPLY_VERBS[groups["verb"].lower()]), "×"
            elif kind == "half":
                unit = UNITS.get(groups["unit"].lower().rstrip("s"), groups["unit"].lower())
                value = Decimal("0.5")
                if unit == "hours":
                    value, unit = Decimal(30), "minutes"
                elif unit == "years":
                    value, unit = Decimal(6), "months"
            else:
                raw_unit = groups["unit"].lower()
                unit = UNITS.get(raw_unit) or UNITS.get(raw_unit.rstrip("s")) or raw_unit
                num = groups["num"].lower()
                if re.fullmatch(r"(?:19|20)\d\d", num) and unit in ("years",):
                    continue
                value = _value(num)
                if value is None:
                    continue
                value *= SCALES.get((groups.get("scale") or "").lower(), 1)
            if value is None:
                continue
            taken.append((start, end))
            out.append(
                Figure(
                    start=sentence.start + start,
                    end=sentence.start + end,
                    text=match.group(),
                    value=value,
                    unit=unit,
                    qualifier=_qualifier(text[:start]),
                    as_of=_as_of(text, published_on),
                    label=_label(text, start) or match.group(),
                )
            )
    out.sort(key=lambda figure: figure.start)
    return out
