"""Found by a review (session 24), fixed since. R-6 with R-8.9 (the curator composes the common answer, `common_by_curator`): when the last part comes in while
the curator who dispatched the case is away, the notice «Подготовьте общий ответ» goes to her, not to the curator
who does her work.

Scenario (Moscow time): Monday 28.04.2025 10:00 the curator (Куратор) sends a message to health and roads, the
common answer to be composed by the curator. From 10:30 she is on sick leave until 2035 and names Смирнова, a
curator at work, as her substitute. Health's part comes at 11:00, roads' at 16:00: all parts are in, the R-8.9
composing term (5 working hours) starts now and is the curator's work, which Смирнова does while she is away
(`may_compose`, the reminders and the charge all go to Смирнова: `sla._told` → `notify.curators_instead_of`).

Now: the only notice of it, «Подготовьте общий ответ по обращению № N», is written to the absent curator
(`actions._advance_parts` notifies `case.dispatched_by` directly); Смирнова receives nothing at 16:00 and learns of
the common answer she must write only from the first reminder the next day, with half of the term gone.

Expected: at 16:00 Смирнова receives the notice to prepare the common answer (saying she does it instead of the
absent curator), as she receives the curator's reviews and reminders (R-6)."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Case, Notification
from otklik.org.models import Absence, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_substitute_curator_is_told_to_prepare_the_common_answer(personas: Personas) -> None:
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    case = dispatch(
        p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0), multi_mode=Case.MultiMode.COMMON_BY_CURATOR
    )
    Absence.objects.create(
        person=p.curator,
        reason="sick_leave",
        starts_at=msk(2025, 4, 28, 10, 30),
        ends_at=msk(2035, 1, 1, 9, 0),
        substitute=smirnova,
    )
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 16, 0))
    case.refresh_from_db()
    assert case.composer == p.curator  # the office's common answer, which Смирнова writes while she is away
    assert actions.may_compose(case, smirnova, msk(2025, 4, 28, 16, 0))

    told = [
        n.text
        for n in Notification.objects.filter(
            recipient=smirnova, case=case, created_at=msk(2025, 4, 28, 16, 0)
        )
    ]
    assert any("Подготовьте общий ответ" in t for t in told), (
        f"Смирнова, who writes the common answer for the absent curator, is not told to prepare it: {told}"
    )
