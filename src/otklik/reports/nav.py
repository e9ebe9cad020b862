"""Menu items of the reports and alerts, by role (used by web.context_processors.navigation)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from .access import can_read_reports


def report_items(user: Any) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    reader = can_read_reports(user)
    head = not reader and bool(user.responsible_body_ids())  # one query for the menu (`can_read_rating`)
    if reader or head:
        items.append(("Сводка", reverse("reports:dashboard")))
    if reader:
        items += [("Отчёты", reverse("reports:monthly")), ("Срочные оповещения", reverse("notify:alerts"))]
    else:
        if head:  # a body's head: the body's place among the others (`can_read_rating`)
            items.append(("Рейтинг органов", reverse("reports:rating")))
        if getattr(user, "body_id", None):
            items.append(("Мои нарушения", reverse("reports:my_record")))
    return items
