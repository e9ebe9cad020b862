from __future__ import annotations

from typing import Any

from django import template

from otklik.reports.monthly import fmt_minutes, fmt_share
from otklik.web.numbers import decimal, no_break
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
def score(value: float | None) -> str:
    """A review score out of 100 with one decimal («95,0»), as the rating and the PDFs show it."""
    return decimal(value, 1)


@register.filter
def signed(value: float | None) -> str:
    """A change with its sign and the Russian decimal comma: «+2,5», «−0,7»."""
    return "—" if value is None else signed_number(value)


register.filter("no_break", no_break)  # «(п. 8.3)», «№ 171» kept on one line (`web.numbers.no_break`)
