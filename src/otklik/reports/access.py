"""Who may read the reports: observers (the vice-governor's office), curators and administrators (R-13, R-12)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from otklik.org.models import Role


def can_read_reports(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool({Role.Kind.OBSERVER, Role.Kind.CURATOR, Role.Kind.ADMINISTRATOR} & set(user.role_kinds()))


def can_read_rating(user: Any) -> bool:
    """The quarterly rating (R-13) also for the bodies' heads: it ranks their body among the others and shows what
    each component gave, so they see what to improve; the monthly report and the deficiencies of other bodies'
    people stay with the readers above."""
    return can_read_reports(user) or bool(
        getattr(user, "is_authenticated", False) and user.responsible_body_ids()
    )


def require_reader(user: Any) -> None:
    if not can_read_reports(user):
        raise PermissionDenied("Отчёты доступны наблюдателям, кураторам и администраторам.")
