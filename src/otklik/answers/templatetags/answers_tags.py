"""`{% marked_answer text result %}`: the answer with its findings in <mark>, for the fragment and for review."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from otklik.answers.findings import CheckResult
from otklik.answers.highlight import highlight

register = template.Library()


@register.simple_tag
def marked_answer(text: str, result: CheckResult) -> SafeString:
    return highlight(text or "", result.findings)
