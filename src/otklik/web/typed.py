"""Free text people post in forms."""

from __future__ import annotations

from django.http import HttpRequest

from otklik.intake.text import to_str


def posted_text(request: HttpRequest, name: str) -> str:
    """A free-text field as the person typed it, less NUL and the other control characters a clipboard can
    carry (PostgreSQL refuses NUL in text and JSON; none of them is ever part of what was meant)."""
    return to_str(request.POST.get(name, ""))
