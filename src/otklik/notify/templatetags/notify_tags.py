from datetime import datetime
from typing import Any

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


@register.simple_tag
def header_unread(unread: str, user: Any) -> str:
    """The header's «Уведомления» badge: the case notifications not read (`web.context_processors`, «99+» past 99)
    and the reports delivered in the app not yet shown (R-13: `services.unread_reports`), which the page of
    notifications lists too. Reports go to observers (`services.observers`): for them one more query over the
    (recipient, read_at) index, reading at most 100 ids; none for the others (the list pages' query baselines)."""
    from otklik.web.context_processors import UNREAD_SHOWN

    from ..services import unread_reports

    if str(unread).endswith("+") or not getattr(user, "is_observer", False):
        return str(unread or "")
    reports = len(unread_reports(user).values_list("id", flat=True)[: UNREAD_SHOWN + 1])
    n = int(unread or 0) + reports
    return f"{UNREAD_SHOWN}+" if n > UNREAD_SHOWN else (str(n) if n else "")
