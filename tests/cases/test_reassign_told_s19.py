"""R-8.2, R-6: when the curator's «Переназначить» gives an active case to another body, the executor of the replaced
body (or whoever does their work while they are away) gets a notice naming the body the case went to: «Работа по нему
больше не ваша: проект не направляйте» — as at the head's hand-over and the curator's closing. A body that refused
itself is not told again. Found by a review (session 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from otklik.cases import actions
from otklik.cases.models import Notification
from otklik.org.models import Absence
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_the_executor_whose_body_the_curator_replaces_is_told_the_work_is_no_longer_theirs(
    personas: Personas,
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    a = case.assignments.get()
    assert a.executor == p.alice
    before = set(Notification.objects.filter(recipient=p.alice).values_list("pk", flat=True))

    # the curator decides the question is the road committee's (the executor has not refused: she is writing)
    actions.reassign(p.curator, a, p.roads, now=msk(2025, 4, 28, 11, 0))

    told = Notification.objects.filter(recipient=p.alice, case=case).exclude(pk__in=before)
    assert told.exists(), (
        "Алексеева (Здравоохранение) was not told that the case was given to «Дороги»: she keeps drafting "
        "an answer that «Направить» will refuse"
    )
    # and what she reads names the body the work went to
    assert any("Дорог" in n.text for n in told)
    assert all("больше не ваша" in n.text for n in told), [n.text for n in told]


def test_the_substitute_doing_the_replaced_executors_work_is_told(personas: Personas) -> None:
    """R-6: Alice is on leave, Bob does her work: he is the one writing, and he is told."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=msk(2025, 4, 28, 10, 30),
        ends_at=msk(2025, 4, 28, 10, 30) + timedelta(days=3),
        substitute=p.bob,
    )
    actions.reassign(p.curator, case.assignments.get(), p.roads, now=msk(2025, 4, 28, 11, 0))

    told = Notification.objects.filter(recipient=p.bob, case=case)
    assert [n.text for n in told if "Дороги" in n.text and "больше не ваша" in n.text], [n.text for n in told]
    assert not Notification.objects.filter(
        recipient=p.alice, case=case, text__contains="больше не ваша"
    ).exists()


def test_a_body_that_refused_is_not_told_again(personas: Personas) -> None:
    """The executor said it is not the body's competence (R-8.2): the curator's new body is no news to her."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    a = case.assignments.get()
    actions.reject_assignment(p.alice, a, "Дороги — не наша компетенция", now=msk(2025, 4, 28, 10, 20))
    actions.reassign(p.curator, a, p.roads, now=msk(2025, 4, 28, 11, 0))

    assert not Notification.objects.filter(
        recipient=p.alice, case=case, text__contains="больше не ваша"
    ).exists()
