"""Found by a review (session 23), fixed since. R-13 (quality of the bodies' work) with R-8.2/R-8.9: a part set aside because its body was replaced (Draft state
«не вошла в ответ: орган заменён», `withdrawn`) still counts as one of the body's drafts reviewed by the curator.

The monthly report defines (reports/monthly.py): *returns per draft* = returns ÷ first versions of drafts, «a body's
part counts where parts go to review one by one»; *answer-checker score* = mean over the draft versions «that go to
review or are published». Since session 23 a replaced body's part never goes to review nor is published
(`actions.reassign`, tests/cases/test_reassign_after_part_s23.py) — it can never be returned either.

October 2025, default schedule:
- Case X, Mon 06.10 10:00 to «Здравоохранение»: Алексеева's draft 11:00, the curator returns it 11:10, the revision
  11:40 is approved 12:00. Health: 1 first draft, 1 return, 2 versions scored.
- Case Y, Tue 07.10 10:00 to «Здравоохранение», then «Дороги», parts published one by one (R-8.9). Алексеева sends
  health's part 11:00; at 11:30 the curator names «Образование» in place of health: health's part is set aside
  (`withdrawn`), never reviewed. Roads' part 12:00, education's 12:30 — education's goes to review.

Expected for health in October, by hand: «Проектов» 1 (X), «Возвратов» 1, «Возвратов на проект» 1/1 = 1,0, scored
versions 2 (X v1, X v2). The report now shows «Проектов» 2 and «Возвратов на проект» 1/2 = 0,5, scored 3: the
set-aside part, which no one could return, halves health's returns per draft (and lifts its «проекты без возврата»
in the quarter's rating from 0 to 50 %).
"""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Case, Draft
from otklik.org.models import Body, Role
from otklik.reports import monthly, periods
from tests.conftest import Personas, make_person, msk
from tests.reports.builders import TEXT, message

pytestmark = pytest.mark.django_db


def test_r13_a_replaced_bodys_set_aside_part_is_no_draft_of_its_body(personas: Personas) -> None:
    p = personas
    # case X: one draft returned once, then approved
    x = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 6, 9, 0))], [Route(p.health)], now=msk(2025, 10, 6, 10, 0)
    )
    v1 = actions.submit_draft(p.alice, x, "answer", "Ответ будет позже", now=msk(2025, 10, 6, 11, 0))
    actions.return_draft(p.curator, v1, "Поздоровайтесь и ответьте по существу", now=msk(2025, 10, 6, 11, 10))
    v2 = actions.revise_draft(p.alice, v1, TEXT, now=msk(2025, 10, 6, 11, 40))
    actions.approve_draft(p.curator, v2, now=msk(2025, 10, 6, 12, 0))

    # case Y: health's part set aside when health is replaced by education
    edu = Body.objects.create(name="Комитет образования", short_name="Образование")
    eve = make_person("eve", edu, Role.Kind.EXECUTOR, last_name="Ершова")
    y = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 7, 9, 0))],
        [Route(p.health, 1), Route(p.roads, 2)],
        now=msk(2025, 10, 7, 10, 0),
        multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE,
    )
    health_part = actions.submit_draft(
        p.alice, y, "part", "Здравствуйте! Поликлиника откроется 1 июня.", now=msk(2025, 10, 7, 11, 0)
    )
    actions.reassign(p.curator, y.assignments.get(body=p.health), edu, now=msk(2025, 10, 7, 11, 30))
    actions.submit_draft(
        p.dave, y, "part", "Здравствуйте! Дорогу отремонтируют в мае.", now=msk(2025, 10, 7, 12, 0)
    )
    actions.submit_draft(
        eve, y, "part", "Здравствуйте! Школа откроется в сентябре.", now=msk(2025, 10, 7, 12, 30)
    )
    health_part.refresh_from_db()
    assert health_part.state == Draft.State.WITHDRAWN

    q = monthly.build(periods.month(2025, 10))["quality"]
    health = next(r for r in q["rows"] if r["body"] == "Здравоохранение")
    assert (health["drafts"], health["returns"], health["returns_per_draft"]) == (1, 1, 1.0), health
    assert health["scored"] == 2, health
