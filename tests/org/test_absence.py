"""R-6: absence periods; overlapping absences of one person are refused with a clear message."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from otklik.org.models import Absence
from otklik.org.services import save_absence
from tests.conftest import Personas, msk


def test_overlapping_absence_is_refused(personas: Personas) -> None:
    save_absence(
        Absence(
            person=personas.alice,
            starts_at=msk(2025, 7, 1, 0, 0),
            ends_at=msk(2025, 7, 15, 0, 0),
            reason=Absence.Reason.VACATION,
            substitute=personas.bob,
        )
    )
    with pytest.raises(ValidationError) as exc:
        save_absence(
            Absence(
                person=personas.alice,
                starts_at=msk(2025, 7, 14, 9, 0),
                ends_at=msk(2025, 7, 16, 18, 0),
                reason=Absence.Reason.TRAINING,
            )
        )
    message = " ".join(exc.value.messages)
    assert "пересекается" in message
    assert "отпуск с 01.07.2025 00:00 по 15.07.2025 00:00" in message
    assert Absence.objects.filter(person=personas.alice).count() == 1


def test_adjacent_absences_are_allowed(personas: Personas) -> None:
    save_absence(
        Absence(
            person=personas.alice,
            starts_at=msk(2025, 7, 1, 0, 0),
            ends_at=msk(2025, 7, 15, 0, 0),
            reason=Absence.Reason.VACATION,
        )
    )
    save_absence(
        Absence(
            person=personas.alice,
            starts_at=msk(2025, 7, 15, 0, 0),
            ends_at=msk(2025, 7, 16, 0, 0),
            reason=Absence.Reason.TRAINING,
        )
    )
    assert Absence.objects.filter(person=personas.alice).count() == 2


def test_editing_an_absence_does_not_clash_with_itself(personas: Personas) -> None:
    a = save_absence(
        Absence(
            person=personas.alice,
            starts_at=msk(2025, 7, 1, 0, 0),
            ends_at=msk(2025, 7, 15, 0, 0),
            reason=Absence.Reason.VACATION,
        )
    )
    a.ends_at = msk(2025, 7, 20, 0, 0)
    save_absence(a)
    a.refresh_from_db()
    assert a.ends_at == msk(2025, 7, 20, 0, 0)


def test_period_and_self_substitution_are_validated(personas: Personas) -> None:
    with pytest.raises(ValidationError) as exc:
        save_absence(
            Absence(
                person=personas.alice,
                starts_at=msk(2025, 7, 2, 0, 0),
                ends_at=msk(2025, 7, 1, 0, 0),
                reason=Absence.Reason.OTHER,
                substitute=personas.alice,
            )
        )
    assert "Окончание должно быть позже начала." in exc.value.messages
    assert "Сотрудник не может замещать сам себя." in exc.value.messages


def test_absence_form_shows_overlap_in_russian(personas: Personas, client: Client) -> None:
    client.force_login(personas.alice)
    data = {
        "person": personas.alice.pk,
        "reason": "vacation",
        "starts_at": "2025-07-01T00:00",
        "ends_at": "2025-07-15T00:00",
        "substitute": personas.bob.pk,
        "comment": "",
    }
    assert client.post("/directory/absences/new/", data).status_code == 302
    data.update(starts_at="2025-07-10T00:00", ends_at="2025-07-20T00:00", reason="training")
    response = client.post("/directory/absences/new/", data)
    assert response.status_code == 200
    assert "Период пересекается с уже внесённым отсутствием: отпуск" in response.content.decode()
    assert Absence.objects.count() == 1


def test_executor_cannot_record_absence_for_another_body(personas: Personas, client: Client) -> None:
    client.force_login(personas.alice)
    data = {
        "person": personas.dave.pk,
        "reason": "vacation",
        "starts_at": "2025-07-01T00:00",
        "ends_at": "2025-07-15T00:00",
        "substitute": "",
        "comment": "",
    }
    response = client.post("/directory/absences/new/", data)
    assert response.status_code == 200  # the form refuses the choice
    assert Absence.objects.count() == 0
