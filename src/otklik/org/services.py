"""Directory changes that carry rules (R-6). Views, admin and commands go through these."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.timezone import localtime

from .duty import may_substitute, overlapping_absences
from .models import Absence, Person


def overlap_message(existing: Absence) -> str:
    return (
        f"Период пересекается с уже внесённым отсутствием: {existing.get_reason_display()} "
        f"с {localtime(existing.starts_at):%d.%m.%Y %H:%M} по {localtime(existing.ends_at):%d.%m.%Y %H:%M}. "
        "Измените даты или отредактируйте существующую запись."
    )


def substitute_message(person: Person, substitute: Person) -> str:
    body = f"органа «{person.body}»" if person.body_id else "того же органа"
    if person.is_curator:
        return f"Замещающим куратора может быть другой куратор; {substitute} не куратор."
    return (
        f"Замещающим может быть только исполнитель или ответственное должностное лицо {body}; "
        f"{substitute} к ним не относится."
    )


# The years an absence may be recorded in (as the reports' periods): a date outside is a typo, and its moment in UTC
# may not exist at all (01.01.0001 00:00 in Moscow).
ABSENCE_YEARS = (2000, 2100)


def validate_absence(
    person: Person,
    starts_at: datetime,
    ends_at: datetime,
    substitute: Person | None,
    exclude_pk: int | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    for field, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not ABSENCE_YEARS[0] <= moment.year <= ABSENCE_YEARS[1]:  # a year typed short («0001») or long
            errors.setdefault(field, []).append(
                f"Проверьте год: отсутствие вносится на {ABSENCE_YEARS[0]}–{ABSENCE_YEARS[1]} годы."
            )
    if errors:
        raise ValidationError(errors)
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append("Окончание должно быть позже начала.")
    if substitute is not None and substitute.pk == person.pk:
        errors.setdefault("substitute", []).append("Сотрудник не может замещать сам себя.")
    if substitute is not None and not substitute.is_active:
        errors.setdefault("substitute", []).append("Замещающий сотрудник отключён.")
    if substitute is not None and substitute.pk != person.pk and not may_substitute(person, substitute):
        errors.setdefault("substitute", []).append(substitute_message(person, substitute))
    if not errors:
        clash = overlapping_absences(person, starts_at, ends_at, exclude_pk=exclude_pk)
        if clash:
            errors.setdefault("__all__", []).append(overlap_message(clash[0]))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_absence(absence: Absence) -> Absence:
    """Create or update an absence, refusing overlaps with the person's other absences.

    The person's row is locked so two concurrent requests cannot both pass the overlap check.
    """
    Person.objects.select_for_update().filter(pk=absence.person_id).first()
    validate_absence(
        absence.person, absence.starts_at, absence.ends_at, absence.substitute, exclude_pk=absence.pk
    )
    absence.save()
    return absence
