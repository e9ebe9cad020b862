"""`{% calendar_warning as text %}`: the administrators' warning that the production calendar runs out
(`worktime.service.calendar_warning`), for their home page and the admin's index."""

from __future__ import annotations

from django import template
from django.utils import timezone

from otklik.worktime.service import calendar_warning as warning_for

register = template.Library()


@register.simple_tag
def calendar_warning() -> str:
    return warning_for(timezone.localdate())
