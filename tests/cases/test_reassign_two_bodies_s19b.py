"""R-8.2, R-6: when the curator gives a case to another body («Переназначить»), whoever did the replaced body's work
is told «Работа по нему больше не ваша: проект не направляйте» (6ef8877) — except a person who works for both bodies
(`org.duty.work_body_ids`) and does the new body's work on the case too (its executor): she reads only «Новое
обращение … для органа «Дороги»» and sends the draft, with no notice telling her not to.

Found by a review (session 19, second round).
"""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Notification
from otklik.org.models import Role
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_an_executor_of_both_bodies_is_not_told_the_work_is_no_longer_hers(personas: Personas) -> None:
    p = personas
    Role.objects.create(person=p.bob, kind=Role.Kind.EXECUTOR, body=p.roads)  # Борисов works for roads too
    case = actions.dispatch_case(
        p.curator, [message()], [actions.Route(p.health, 1, executor=p.bob)], now=msk(2025, 4, 28, 10, 0)
    )
    a = case.assignments.get()
    assert a.executor == p.bob
    new = actions.reassign(p.curator, a, p.roads, executor=p.bob, now=msk(2025, 4, 28, 10, 20))
    assert new.executor == p.bob  # the road committee's work on the case is Борисов's now

    told = list(Notification.objects.filter(recipient=p.bob, case=case).values_list("text", flat=True))
    assert any("Новое обращение" in t for t in told)
    wrong = [t for t in told if "больше не ваша" in t]
    assert not wrong, (
        f"Борисов, the new body's executor, is also told «{wrong[0]}» — the draft he must now send he is told not "
        "to send"
    )
