"""R-6: work addressed to an absent executor goes to whoever is actually on duty, and the record says why."""

from __future__ import annotations

import pytest

from otklik.org.duty import DutyReason, on_duty
from otklik.org.models import Absence, Person
from tests.conftest import Personas, msk

AT = msk(2025, 3, 12, 11, 0)


def away(person: Person, substitute: Person | None = None, reason: str = Absence.Reason.VACATION) -> Absence:
    return Absence.objects.create(
        person=person,
        starts_at=msk(2025, 3, 10, 0, 0),
        ends_at=msk(2025, 3, 20, 0, 0),
        reason=reason,
        substitute=substitute,
    )


def test_present_executor_does_own_work(personas: Personas) -> None:
    duty = on_duty(personas.alice, AT)
    assert duty.person == personas.alice
    assert duty.reason == DutyReason.PRESENT


def test_absence_outside_the_moment_does_not_count(personas: Personas) -> None:
    away(personas.alice, substitute=personas.bob)
    assert on_duty(personas.alice, msk(2025, 3, 20, 0, 0)).person == personas.alice  # ends exclusive
    assert on_duty(personas.alice, msk(2025, 3, 9, 23, 59)).person == personas.alice


def test_substitute_takes_over(personas: Personas) -> None:
    away(personas.alice, substitute=personas.bob, reason=Absence.Reason.SICK_LEAVE)
    duty = on_duty(personas.alice, AT)
    assert duty.person == personas.bob
    assert duty.reason == DutyReason.SUBSTITUTE
    # until when, never why: the explanation is stored on cases other bodies read (sick leave is health data)
    assert f"{personas.alice} отсутствует до 20.03.2025 00:00" in duty.explanation
    assert "больничный" not in duty.explanation
    assert str(personas.bob) in duty.explanation


def test_chain_skips_substitute_who_is_also_away(personas: Personas) -> None:
    away(personas.alice, substitute=personas.bob)
    away(personas.bob, substitute=personas.charlie, reason=Absence.Reason.BUSINESS_TRIP)
    duty = on_duty(personas.alice, AT)
    assert duty.person == personas.charlie
    assert duty.chain == [personas.alice, personas.bob]
    assert f"{personas.bob} отсутствует до" in duty.explanation and "командировка" not in duty.explanation


def test_cycle_is_detected_and_falls_back_to_another_executor(personas: Personas) -> None:
    away(personas.alice, substitute=personas.bob)
    away(personas.bob, substitute=personas.alice)
    duty = on_duty(personas.alice, AT)
    assert duty.cycle is True
    assert "цикл" in duty.explanation
    assert duty.person == personas.charlie
    assert duty.reason == DutyReason.FALLBACK_EXECUTOR


def test_no_substitute_named_falls_back_to_present_executor(personas: Personas) -> None:
    away(personas.alice)
    away(personas.bob)
    duty = on_duty(personas.alice, AT)
    assert duty.person == personas.charlie
    assert "не назначен" in duty.explanation


def test_falls_back_to_responsible_official_when_no_executor_left(personas: Personas) -> None:
    away(personas.alice, substitute=personas.bob)
    away(personas.bob, substitute=personas.charlie)
    away(personas.charlie, substitute=personas.alice)
    duty = on_duty(personas.alice, AT)
    assert duty.person == personas.health_head
    assert duty.reason == DutyReason.FALLBACK_RESPONSIBLE
    assert duty.cycle is True


def test_no_one_left_says_so(personas: Personas) -> None:
    for person in (personas.alice, personas.bob, personas.charlie, personas.health_head):
        away(person)
    duty = on_duty(personas.alice, AT)
    assert duty.person is None
    assert duty.reason == DutyReason.NOBODY
    assert "никого" in duty.explanation


def test_fallback_stays_inside_the_body(personas: Personas) -> None:
    """An executor of another body is never picked as a fallback, even if present."""
    for person in (personas.alice, personas.bob, personas.charlie, personas.health_head):
        away(person)
    assert on_duty(personas.alice, AT).person not in {personas.dave, personas.roads_head}


def test_substitute_from_another_body_is_not_followed(personas: Personas) -> None:
    """An executor of another body cannot open the body's cases (cases.scoping), so a substitute from another
    body recorded before the rule is skipped: the work stays inside the body."""
    away(personas.alice, substitute=personas.dave)
    duty = on_duty(personas.alice, AT)
    assert duty.person == personas.bob
    assert duty.reason == DutyReason.FALLBACK_EXECUTOR
    assert f"{personas.dave} не может замещать" in duty.explanation


@pytest.mark.parametrize("deactivate", ["bob"])
def test_inactive_substitute_is_treated_as_away(personas: Personas, deactivate: str) -> None:
    away(personas.alice, substitute=personas.bob)
    personas.bob.is_active = False
    personas.bob.save()
    duty = on_duty(personas.alice, AT)
    assert duty.person == personas.charlie
