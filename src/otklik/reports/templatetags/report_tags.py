from __future__ import annotations

from typing import Any

from django import template

from otklik.reports.monthly import fmt_minutes, fmt_share
from otklik.reports.monthly import no_break as monthly_no_break
from otklik.web.numbers import decimal
from otklik.web.numbers import signed as signed_number

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    return fmt_share(value)


@register.filter
def minutes(value: float | None) -> str:
    return fmt_minutes(value)


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)


@register.filter
def ratio(value: float | None) -> str:
    return decimal(value, 2)


@register.filter
def signed(value: float | None) -> str:
    """A change with its sign and the Russian decimal comma: «+2,5», «−0,7»."""
    return "—" if value is None else signed_number(value)


@register.filter
def no_break(value: Any) -> str:
    """«(п. 8.3)», «№ 171» with a no-break space (`monthly.no_break`): a line never ends with «п.» or «№»."""
    return monthly_no_break(str(value))
