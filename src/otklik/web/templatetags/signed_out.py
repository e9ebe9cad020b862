"""`{% typed_back %}` (web/base.html): on the first page after signing in again, the form that was sent after the
session ended — or, on the page it was sent from, a form refused as sent from a stale page (`otklik.web.stale_page`)
— said, shown to copy and put back into the same form when it is on the page (`otklik.web.signed_out`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString

from otklik.web.signed_out import MAX_KEPT_SAID, STALE, take_kept_form, typed

register = template.Library()


@register.simple_tag(takes_context=True)
def typed_back(context: dict[str, Any]) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated or getattr(request, "htmx", False):
        return SafeString("")
    kept = take_kept_form(request)
    if kept is None:
        return SafeString("")
    fields = [f for f in kept.get("fields", []) if isinstance(f, list) and len(f) == 2]
    return render_to_string(
        "web/_typed_back.html",
        {
            "texts": [(name, value) for name, value in fields if typed(value)],
            "at": parse_datetime(str(kept.get("at", ""))),
            "data": {
                "action": str(kept.get("action", "")),
                "element": str(kept.get("element", "")),
                "fields": fields,
            },
            "cut": kept.get("cut") is True,
            "limit": MAX_KEPT_SAID,
            "stale": kept.get("why") == STALE,
        },
        request=request,
    )
