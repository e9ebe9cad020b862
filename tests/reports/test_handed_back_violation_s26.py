"""Found by a review (session 26), fixed since. Review 76. R-12 with R-6: a late draft handed over and straight back to the executor it was charged to stops
counting against her for good.

Default schedule (Mon–Thu 09:00–18:00, lunch 13:00–13:45), April 2025.

- Mon 28.04 10:00 dispatched to «Здравоохранение»; Алексеева's draft due Mon 15:45 (R-8.4).
- Tue 29.04 10:00 the sweep records the violation on Алексеева.
- Tue 11:00 the head gives the work to Борисов; Tue 11:05 gives it back to Алексеева.
- Wed 30.04 14:00 Алексеева sends the draft.

She held the late work all the time but those five minutes: Mon 15:45–18:00 (135) + Tue 09:00–11:00 (120) +
Tue 11:05–18:00 less lunch (370) + Wed 09:00–14:00 less lunch (255) = 880 working minutes. Her row, her line of
«by person» and her own record show 255: the hand-over back (`_hand_over_violations`, src/otklik/cases/actions.py
~824, `handed_over_at__isnull=True`) leaves `handed_over_at` at Tue 11:00 for good, and nobody is charged with
the day and a half after it — a head can wipe an executor's lateness with two clicks."""

from __future__ import annotations

import pytest

from otklik.cases import actions, sla
from otklik.reports import deficiencies, periods
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_r12_work_handed_back_is_late_again_for_her(personas: Personas) -> None:
    """The violations report (R-12) shows Алексеева 4 ч 15 мин late though she kept the late draft for another
    day and a half after it came back to her."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    sla.sweep(now=msk(2025, 4, 29, 10, 0))
    a = case.assignments.get()
    actions.hand_to_executor(p.health_head, a, p.bob, now=msk(2025, 4, 29, 11, 0))
    a.refresh_from_db()
    actions.hand_to_executor(p.health_head, a, p.alice, now=msk(2025, 4, 29, 11, 5))
    actions.submit_draft(
        p.alice, case, "answer", "Приём врача возобновлён с 5 мая.", now=msk(2025, 4, 30, 14, 0)
    )
    report = deficiencies.build(periods.month(2025, 4), now=msk(2025, 4, 30, 15, 0))
    drafts = [r for r in report["violations"] if r["rid"] == "R-8.4"]
    assert [r["person"] for r in drafts] == ["Алексеева Тест"]
    assert drafts[0]["body_late_minutes"] == 885
    # one end is kept, not each stretch (`_hand_over_violations`): the five minutes Борисов held it count to her too;
    # what matters is that the day and a half after the hand-back is not lost
    assert drafts[0]["late_minutes"] == 885, (
        f"Алексеева charged {drafts[0]['late_minutes']} min though she held the late work to Wed 14:00"
    )
