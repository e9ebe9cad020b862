"""R-12 with R-6: a late draft handed over to another executor is the first executor's lateness only until it
left her; the body stays late until the work is done.

Default schedule (Mon–Thu 09:00–18:00, lunch 13:00–13:45), April 2025, no holidays.

- Mon 28.04 10:00 the curator sends a message to «Здравоохранение»; Алексеева's draft is due Mon 15:45 (R-8.4,
  5 working hours: 10:00–13:00, 13:45–15:45).
- Tue 29.04 10:00 the sweep records the violation on Алексеева.
- Tue 11:00 the body's head gives the work to Борисов (`hand_to_executor`); Tue 14:00 Борисов sends the draft.

Алексеева's record (the violations report's row and her own page): late from Mon 15:45 to Tue 11:00, when the
work left her: 15:45–18:00 (135) + 09:00–11:00 (120) = **255 working minutes**, the row saying to whom it went.
The body's line: late until the draft came, Tue 14:00: 135 + 09:00–13:00 (240) + 13:45–14:00 (15) = **390**.
Before, her row ran on to Борисов's draft (390): a colleague's three hours were charged to her."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions, sla
from otklik.reports import deficiencies, periods
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _late_draft_handed_over(p: Personas) -> None:
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    sla.sweep(now=msk(2025, 4, 29, 10, 0))
    actions.hand_to_executor(p.health_head, case.assignments.get(), p.bob, now=msk(2025, 4, 29, 11, 0))
    actions.submit_draft(
        p.bob, case, "answer", "Приём врача возобновлён с 5 мая.", now=msk(2025, 4, 29, 14, 0)
    )


def test_r12_the_first_executor_is_late_until_the_work_left_her(personas: Personas) -> None:
    p = personas
    _late_draft_handed_over(p)
    report = deficiencies.build(periods.month(2025, 4), now=msk(2025, 4, 29, 15, 0))
    drafts = [r for r in report["violations"] if r["rid"] == "R-8.4"]
    assert [(r["person"], r["late_minutes"], r["done_at"]) for r in drafts] == [
        ("Алексеева Тест", 255, "29.04.2025 14:00")
    ]
    assert "передана 29.04.2025 11:00" in drafts[0]["note"] and "Борисов" in drafts[0]["note"], drafts[0][
        "note"
    ]
    alice = [g for g in report["by_person"] if g["person"] == "Алексеева Тест"]
    assert [(g["violations"], g["late_minutes"]) for g in alice] == [(1, 255)]
    health = [g for g in report["by_body"] if g["body"] == "Здравоохранение"]
    assert [(g["violations"], g["late_minutes"]) for g in health] == [(1, 390)]


def test_r12_her_own_page_counts_the_same(client: Client, personas: Personas) -> None:
    p = personas
    _late_draft_handed_over(p)
    client.force_login(p.alice)
    page = client.get(reverse("reports:my_record")).content.decode()
    late = re.search(r'data-testid="record-late">([^<]*)<', page)
    assert late is not None and late[1].replace("\xa0", " ") == "4 ч 15 мин", late
