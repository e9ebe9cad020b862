"""R-6: a body receives the message (at dispatch, or its turn in the curator's order, or named by «Переназначить»)
while nobody of it is on duty: the case's curator is told at once — «в органе «Дороги» никого нет на месте: нужно
решение куратора» — not only at the first reminder of its deadline. Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Notification
from otklik.org.models import Absence
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

NOBODY = "в органе «Дороги» никого нет на месте: нужно решение куратора"


def _roads_away(p: Personas) -> None:
    for person in (p.dave, p.roads_head):  # everybody of «Дороги» is on a business trip that week
        Absence.objects.create(
            person=person,
            reason="business_trip",
            starts_at=msk(2025, 4, 28, 0, 0),
            ends_at=msk(2025, 5, 3, 0, 0),
        )


def test_the_curator_is_told_at_once_when_nobody_of_the_body_can_take_the_case(personas: Personas) -> None:
    p = personas
    _roads_away(p)
    case = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 10, 0))

    told = Notification.objects.filter(recipient=p.curator, case=case, text__contains=NOBODY)
    assert told.count() == 1
    assert told.get().created_at == msk(2025, 4, 28, 10, 0)


def test_the_curator_is_told_when_the_turn_of_an_empty_body_comes(personas: Personas) -> None:
    p = personas
    _roads_away(p)
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0))  # roads second, by the curator
    assert not Notification.objects.filter(case=case, text__contains=NOBODY).exists()

    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))

    told = Notification.objects.filter(recipient=p.curator, case=case, text__contains=NOBODY)
    assert [n.created_at for n in told] == [msk(2025, 4, 28, 11, 0)]


def test_nobody_is_bothered_when_the_body_has_someone_on_duty(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 10, 0))
    assert not Notification.objects.filter(case=case, text__contains="никого нет на месте").exists()
