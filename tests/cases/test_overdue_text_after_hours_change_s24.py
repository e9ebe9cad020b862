"""Found by a review (session 24), fixed since. Working time (R-8.4, R-12): «просрочено на …» on the case page and in «Мои обращения» is counted by the body's
NEW hours for time that went by under its OLD ones, so it disagrees with «Мои нарушения» for the same violation.

Scenario (2025, the health committee, standard hours Mon–Thu 09:00–18:00, lunch 13:00–13:45):
- Monday 28.04 10:00 the curator sends a message; the draft (п. 8.4, 5 working hours) is due Monday 15:45.
- Monday 17:00 the sweep records the violation; the draft is still not sent.
- Tuesday 29.04 09:00 the administrator changes the committee's hours to 09:00–17:00 (lunch 13:00–13:45): the
  hours it replaces are kept (`worktime.models.BodySchedule`), and «what already happened» is to be counted by the
  hours then in force (docs/requirements.md «Working time», `worktime.service.worktime_then`).
- Tuesday 10:00 the executor Алексеева opens her pages.

Lateness so far: Monday 15:45–18:00 under the hours of that day (2 h 15 min) + Tuesday 09:00–10:00 (1 h) =
3 h 15 min. «Мои нарушения» says «3 ч 15 мин» for this violation. The case page and «Мои обращения» say
«просрочено на 2 ч 15 мин»: they count Monday by the new hours (15:45–17:00), which were not in force on Monday.

Expected: the case page and «Мои обращения» say «просрочено на 3 ч 15 мин», as «Мои нарушения» does.
Suspected: `cases.views.remaining_text` / `_engine` (and `case_list`'s `_engines`) use `worktime_for(body)` — the
body's current hours for all time — where the lateness already elapsed needs `worktime_then(body)`.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import sla
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

LATER_CLOSE = {
    "week": {
        day: [["09:00", "13:00"], ["13:45", "17:00"]]
        if day != "fri"
        else [["09:00", "13:00"], ["13:45", "15:45"]]
        for day in ("mon", "tue", "wed", "thu", "fri")
    }
}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_overdue_text_counts_past_time_by_the_hours_then_in_force(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    sla.sweep(now=msk(2025, 4, 28, 17, 0))  # the draft's 5 working hours ran out at 15:45

    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 4, 29, 9, 0))  # the clock: the change is made then
    p.health.schedule = LATER_CLOSE
    p.health.full_clean()
    p.health.save()

    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 4, 29, 10, 0))
    client = Client()
    client.force_login(p.alice)
    record = _text(client.get(reverse("reports:my_record")).content.decode())
    detail = _text(client.get(reverse("cases:detail", args=[case.pk])).content.decode())
    queue = _text(client.get(reverse("cases:my_queue")).content.decode())

    # «Мои нарушения» counts the lateness by the hours of each moment
    assert "суммарное опоздание: 3 ч 15 мин" in record
    # the case page and the queue must say the same for the same open, violated draft term
    assert "просрочено на 3 ч 15 мин" in detail, detail[detail.find("Сроки") : detail.find("Сроки") + 600]
    assert "просрочено на 3 ч 15 мин" in queue
