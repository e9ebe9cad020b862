"""Found by a review (session 27), fixed since. Review 14. R-6 with R-8.8, R-8.9 (`common_by_curator`): the composing curator is ill, Смирнова composes in her
place. Смирнова herself decides «ответ без уточнения автора»: drafting reopens. Since 624e065 `_reopen_drafting`
tells `curators_instead_of(composer)` — Смирнова — of the action she has just taken herself («Подготовьте ответ …
без уточнения автора. Вы получили это вместо куратора …»), in the app and by e-mail; elsewhere (`_advance_parts`,
the hand-overs) the actor is never told of her own action."""

from __future__ import annotations

from typing import Any

import pytest

from otklik.cases import actions
from otklik.cases.models import Case, Notification
from otklik.org.models import Absence, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)
ASK = "Здравствуйте, Ирина! Уточните, пожалуйста, адрес поликлиники и номер дороги, о которых вы пишете."


def _setup(p: Personas) -> tuple[Case, Any]:
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    case = dispatch(p.curator, p.health, p.roads, at=MON, multi_mode=Case.MultiMode.COMMON_BY_CURATOR)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 12, 0))
    case.refresh_from_db()
    ask = actions.submit_draft(p.curator, case, "clarification", ASK, now=msk(2025, 4, 28, 13, 0))
    actions.approve_draft(smirnova, ask, now=msk(2025, 4, 28, 13, 10))
    actions.confirm_publication(
        p.alice, ask, url="https://vk.com/wall-1_1?reply=90", now=msk(2025, 4, 28, 13, 20)
    )
    Absence.objects.create(
        person=p.curator,
        reason="sick_leave",
        starts_at=msk(2025, 4, 28, 14, 5),
        ends_at=msk(2025, 5, 12, 9, 0),
        substitute=smirnova,
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    return case, smirnova


def test_substitute_curator_is_not_told_of_her_own_answer_without_author(personas: Personas) -> None:
    p = personas
    case, smirnova = _setup(p)
    actions.answer_without_author(smirnova, case, now=msk(2025, 4, 29, 10, 0))
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    own = Notification.objects.filter(case=case, recipient=smirnova, text__contains="без уточнения автора")
    assert not own.exists(), f"Смирнова is told of her own action: {[n.text for n in own]}"
