"""Numbers as people in Russia read and type them: a decimal comma, a real minus sign, «—» for none; and the
numbers of records typed into forms."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NONE = "—"

MAX_ID = 2**63 - 1  # the largest primary key any of our databases can hold


def record_number(text: str) -> int | None:
    """A message's or a case's number typed by a person: «125» or «№ 125», in ASCII digits («²».isdigit() is
    true, but int() refuses it). ValueError when it is not a number at all; None when no row can have it (zero,
    beyond the largest key)."""
    text = text.strip().removeprefix("№").strip()
    if not (text.isascii() and text.isdecimal()):
        raise ValueError(f"not a record number: {text!r}")
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def whole_number(value: str | None) -> int | None:
    """A form field's whole number written in ASCII digits, else None («²».isdigit() is true, but int() refuses
    it); None also beyond the largest key any of our databases can hold."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdecimal()):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def _half_up(value: float, digits: int) -> Decimal:
    """`value` rounded to `digits` decimals half away from zero, as Excel shows a cell (0.125 → 0.13; Python's own
    formatting gives 0.12): the page, the PDF and the XLSX show one figure."""
    try:
        return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # not a finite number: said as Python says it
        return Decimal(repr(float(value)))


def half_up(value: float, digits: int) -> float:
    """`value` rounded as the pages show it (`_half_up`: 96.25 → 96.3, where Python's round gives 96.2), for a file's
    cell that must read as the page."""
    return float(_half_up(value, digits))


def decimal(value: float | int | None, digits: int = 1) -> str:
    """A fixed number of decimals: 66.66 → «66,7», 0.125 → «0,13» (to 2); an int stays whole; None → «—»."""
    if value is None:
        return NONE
    if isinstance(value, int):
        return str(value)
    return f"{_half_up(value, digits):.{digits}f}".replace(".", ",").replace("-", "−")


def signed(value: float, digits: int = 1) -> str:
    """A change with its sign: «+2,5», «−0,7»."""
    return f"{_half_up(value, digits):+.{digits}f}".replace(".", ",").replace("-", "−")


def short(value: float) -> str:
    """As few digits as the value needs (a formula weight, a chart axis): «0,5», «2»."""
    return f"{value:g}".replace(".", ",")


def significant(value: object, digits: int = 2) -> str:
    """`digits` significant digits, never dropping whole ones, trailing zeros removed: 0.05 → «0,05», 0.375 →
    «0,38», 2.35 → «2,4», 123.4 → «123»; None → «—»; what is not a number is shown as it is."""
    if value is None:
        return NONE
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if number == 0:
        return "0"
    places = max(0, digits - 1 - number.adjusted())
    text = f"{number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−")


def counted(number: int, noun: str) -> str:
    """A whole number with its noun agreed by pymorphy3: «1 час», «4 часа», «9 часов», «21 день». Nouns only:
    pymorphy3 puts an adjective after 2–4 in the genitive singular («2 рабочего часа»), which Russian does not."""
    from otklik.analysis.text import morph  # the one analyzer of the process (its dictionaries are large)

    word = morph().parse(noun)[0].make_agree_with_number(abs(number))
    return f"{number} {word.word if word is not None else noun}"


def counted_phrase(number: int, singular: str, plural: str) -> str:
    """A number with a model's name agreed: the words up to the first noun agree with the number, the rest stays
    («3 курсора источника», «21 официальный аккаунт», «187 настроек органа для постов Губернатора»); a name with no
    noun in it (pluralia tantum, «неразобранные данные») is said with its plural and the number after it."""
    from otklik.analysis.text import morph

    words = singular.split(" ")
    agreed = []
    for i, word in enumerate(words):
        parsed = morph().parse(word)[0]
        form = parsed.make_agree_with_number(abs(number))
        agreed.append(form.word if form is not None else word)
        if "NOUN" in parsed.tag:
            return " ".join([str(number), *agreed, *words[i + 1 :]])
    return f"{plural}: {number}"


def hours_minutes(minutes: int) -> str:
    """A span of working minutes as the lists and reports write it: «3 ч 05 мин»; under an hour «45 мин»."""
    return f"{minutes // 60} ч {minutes % 60:02d} мин" if minutes >= 60 else f"{minutes} мин"


_REFERENCE = re.compile(r"(№|п\.) (?=\d)")


def no_break(text: str) -> str:
    """«№ 171», «(п. 8.3)» with a no-break space: a line never ends with «№» or «п.»."""
    return _REFERENCE.sub("\\1\u00a0", text)


class RecordNumber:
    """The path converter «id»: a record's number in an address, as «int» but no larger than a database holds
    (`MAX_ID`). A longer one — digits stuck to a copied link — matches no page: «Страница не найдена», never the
    database's overflow where a page looks the number up through another table."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # the address matches no page: 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def short_moment(moment: datetime, now: datetime | None = None) -> str:
    """A moment in Moscow time as the lists give it: «12.01 12:00» in the current year, «12.01.2027 12:00» in
    another — a term after the New Year, a wait since the last one."""
    from django.utils import timezone

    local = timezone.localtime(moment)
    this_year = timezone.localtime(now or timezone.now()).year
    return f"{local:%d.%m %H:%M}" if local.year == this_year else f"{local:%d.%m.%Y %H:%M}"
