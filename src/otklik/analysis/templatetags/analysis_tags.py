"""Template filters of the analysis app."""

from __future__ import annotations

from typing import Any

from django import template

from otklik.analysis.failures import current_mark, failure_text

register = template.Library()


@register.filter
def analysis_failed(found: Any) -> str:
    """«анализ не выполнен: …» for a message whose latest analysis failed (`analysis.failures`), else "";
    ``found``: the message's dict from `pipeline.suggestions_for_many`."""
    mark = current_mark(found) if isinstance(found, dict) else None
    return failure_text(mark) if mark else ""
