"""Found by a review (session 23), fixed since. R-12 (with R-8.2, R-8.9): a breached answer term handed back to a body's part is reported as «done before the
term, 0 minutes late».

Default schedule (Mon–Thu 09:00–18:00, lunch 13:00–13:45), October 2025, no holidays.

- Mon 06.10 10:00 the curator sends a message to «Здравоохранение» (1st) and «Дороги» (2nd), the common answer by
  the last body (R-8.9). Health's R-8.3 term: 9 working hours from 10:00 = Mon 10:00–13:00 (3 h) + 13:45–18:00
  (4 h 15) + Tue 09:00–10:45 (1 h 45) → due **Tue 07.10 10:45**.
- 11:00 Алексеева sends health's part; roads receives the message and refuses at 11:30 (R-8.2, in the window).
  Health's part is the only one in: Алексеева composes the common answer and carries health's R-8.3 term
  (`_carry_overall`, reopened).
- Tue 07.10 14:00 the sweep records the R-8.3 violation on Алексеева (the term ran out at 10:45 while she held it).
- Tue 14:30 the curator names «Образование» in place of roads: the common answer waits for its part
  (`_await_new_part` → `_hand_back_overall`), Алексеева no longer holds the term.

The violations report of October (R-12, page / XLSX / PDF, `deficiencies.build`) now shows for that violation:
«Срок 07.10.2025 10:45 — Выполнено 06.10.2025 11:00 — Опоздание 0 раб. мин»: a violation done a day before its
term and not late at all. `_hand_back_overall` met the breached term again at the part's time (Mon 11:00), and the
report counts the lateness to `met_at`.

What the reader should see: the term was not met in time — it ran from 10:45 until it was taken off Алексеева at
14:30: 10:45–13:00 (135 min) + 13:45–14:30 (45 min) = **180 working minutes** late, and no «Выполнено» earlier
than the term («не выполнено», or 07.10.2025 14:30 when it left her).
"""

from __future__ import annotations

import pytest

from otklik.cases import actions, sla
from otklik.cases.actions import Route
from otklik.org.models import Body, Role
from otklik.reports import deficiencies, periods
from tests.conftest import Personas, make_person, msk
from tests.reports.builders import message

pytestmark = pytest.mark.django_db


def test_r12_a_breached_total_handed_back_keeps_its_lateness(personas: Personas) -> None:
    p = personas
    edu = Body.objects.create(name="Комитет образования", short_name="Образование")
    make_person("eve", edu, Role.Kind.EXECUTOR, last_name="Ершова")
    case = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 6, 9, 0))],
        [Route(p.health, 1), Route(p.roads, 2)],
        now=msk(2025, 10, 6, 10, 0),
    )
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 10, 6, 11, 0))
    roads = case.assignments.get(body=p.roads)
    actions.reject_assignment(p.dave, roads, "Дорога не региональная", now=msk(2025, 10, 6, 11, 30))
    sla.sweep(now=msk(2025, 10, 7, 14, 0))
    actions.reassign(p.curator, roads, edu, now=msk(2025, 10, 7, 14, 30))

    report = deficiencies.build(periods.month(2025, 10), now=msk(2025, 10, 7, 15, 0))
    rows = [r for r in report["violations"] if r["rid"] == "R-8.3"]
    assert [(r["body"], r["due_at"]) for r in rows] == [("Здравоохранение", "07.10.2025 10:45")], rows
    row = rows[0]
    assert row["done_at"] in ("", "07.10.2025 14:30"), (
        f"«Выполнено {row['done_at']}» before the term {row['due_at']}"
    )
    assert row["late_minutes"] == 180, row
