from datetime import datetime

from django import template

from otklik.web.numbers import significant

register = template.Library()


@register.filter
def ru_number(value: object) -> str:
    """A number on the alerts page: a decimal comma, two significant digits (`otklik.web.numbers`)."""
    return significant(value)


@register.filter
def iso_datetime(value: str) -> datetime | None:
    """A moment kept as ISO text in JSON (an alert's notes), for the `date` filter; None if it is not one."""
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
