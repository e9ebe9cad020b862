"""The answer text as HTML with each finding's span in a <mark>: escaped, never trusting the draft."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .findings import Finding


def highlight(text: str, findings: Iterable[Finding]) -> SafeString:
    """Marks do not nest: where spans overlap the earlier (then longer) one is marked; every finding is still
    listed beside the text. Findings with an empty span (something missing) are listed only."""
    spans = sorted((f for f in findings if f.end > f.start), key=lambda f: (f.start, -(f.end - f.start)))
    parts: list[str] = []
    pos = 0
    for f in spans:
        if f.start < pos:
            continue
        parts.append(escape(text[pos : f.start]))
        parts.append(
            format_html('<mark data-code="{}" title="{}">{}</mark>', f.code, f.message, text[f.start : f.end])
        )
        pos = f.end
    parts.append(escape(text[pos:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped
