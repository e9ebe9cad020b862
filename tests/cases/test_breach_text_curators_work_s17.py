"""R-12 with R-8.9 (the curator composes): since 090e510 a missed term of the ill composing curator with several
curators present is recorded on nobody by name (`_answerable_curator`, sla.py:228-230: «…; выполнить её мог любой
куратор на месте»). The breach notice (`record_breach`, sla.py:173-175) adds «сотрудника на месте не было» to every
non-review stage, so the curators read «Нарушение записано только на орган: сотрудника на месте не было. Куратор …
отсутствовал …; выполнить её мог любой куратор на месте» — contradicting itself. Monday 28.04.2025.
Found by a review (session 17) and fixed; the text above tells what was wrong before the fix."""

from __future__ import annotations

import pytest

from otklik.cases import actions, sla
from otklik.cases.models import Case, Deadline, Notification, Violation
from otklik.org.models import Absence, Role
from tests.cases.helpers import COMMON_INTERIM, dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def test_breach_notice_does_not_say_nobody_was_present_when_any_curator_present_could_have_answered(
    personas: Personas,
) -> None:
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    make_person("orlova", p.office, Role.Kind.CURATOR, last_name="Орлова")
    case = dispatch(p.curator, p.health, p.roads, at=MON, multi_mode=Case.MultiMode.COMMON_BY_CURATOR)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 12, 0))
    interim = actions.submit_draft(p.curator, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 13, 0))
    actions.approve_draft(smirnova, interim, now=msk(2025, 4, 28, 13, 10))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=90", now=msk(2025, 4, 28, 13, 20)
    )
    final = Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL)
    Absence.objects.create(
        person=p.curator,
        reason="sick_leave",
        starts_at=msk(2025, 5, 12, 9, 0),
        ends_at=msk(2025, 5, 30, 9, 0),
    )
    sla.sweep(now=final.due_at + (msk(2025, 5, 1, 1, 0) - msk(2025, 5, 1, 0, 0)))
    v = Violation.objects.get(deadline=final)
    assert v.person is None  # the office's: any curator present could have written it
    notice = Notification.objects.filter(case=case, kind=Notification.Kind.BREACH, recipient=smirnova).first()
    assert notice is not None
    assert "сотрудника на месте не было" not in notice.text, notice.text
