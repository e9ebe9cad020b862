"""Numbers as the Governor's office reads them: a Russian decimal comma and no more digits than mean something."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


def ru_number(value: object, significant: int = 2) -> str:
    """`significant` digits, never dropping whole ones, trailing zeros removed: 0.05 → «0,05», 0.375 → «0,38»,
    2.35 → «2,4», 123.4 → «123»; None → «—»; what is not a number is shown as it is."""
    if value is None:
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    if number == 0:
        return "0"
    places = max(0, significant - 1 - number.adjusted())
    text = f"{number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
