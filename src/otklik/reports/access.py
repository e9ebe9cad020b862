"""Who may read the reports: observers (the vice-governor's office), curators and administrators (R-13, R-12)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from otklik.org.models import Role


def can_read_reports(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool({Role.Kind.OBSERVER, Role.Kind.CURATOR, Role.Kind.ADMINISTRATOR} & set(user.role_kinds()))


def require_reader(user: Any) -> None:
    if not can_read_reports(user):
        raise PermissionDenied("Отчёты доступны наблюдателям, кураторам и администраторам.")
