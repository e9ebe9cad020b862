"""Found by a review (session 25), fixed since. R-12 with R-8.3, R-8.9 (parts published one by one): the answer's total charged to the body that held it up is
reported «Выполнено» before its own term and «0 мин» late.

Monday 03.03.2025 (the scenario of tests/cases/test_parts_one_by_one_s21.py): health's part Mon 14:00, roads' part
Tue 09:55; Давыдов («Дороги») carries the total, due Tue 14:45. Health's part is approved at 10:00 and Алексеева
publishes it only at 13:50 (R-8.7 due 10:30); roads' part is approved at 14:40 and is still waiting for its
publication when the minute's sweep runs at 14:47. The sweep charges the R-8.3 total to «Здравоохранение»
(`sla._charge_total`, `_held_up_by`) — rightly — but because health's part is already out, the copy charged to it
is met at that publication (`out = _parts_out(...)`, `Deadline.update(met_at=met_now or out)` in
src/otklik/cases/sla.py `_charge_total`), 13:50, an hour *before* the term of 14:45. The deficiencies report
(src/otklik/reports/deficiencies.py counts lateness to `met_at`) then shows the violation as «Срок 04.03.2025 14:45
— Выполнено 04.03.2025 13:50 — Опоздание 0 мин»: a violation done before its term and not late at all — the
symptom session 23 fixed for `_hand_back_overall` (tests/reports/test_violation_hand_back_s23.py). It stays so
until the last part is published; if the case is closed instead (roads never publishes), it stays so for good.

Expected: no «Выполнено» earlier than the term, and a lateness above zero for a missed term."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.models import Case, Draft
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

HEALTH = "Здравствуйте, Ирина! Поликлиника откроется 1 июня."
ROADS = "Здравствуйте, Ирина! Подъездную дорогу отремонтируют в мае."


def _held_up(p: Personas) -> Case:
    """Health publishes its part late but before the total's term; roads' approved part waits at the sweep."""
    case = dispatch(
        p.curator, p.health, p.roads, at=msk(2025, 3, 3, 10, 0), multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE
    )
    actions.submit_draft(p.alice, case, "part", HEALTH, now=msk(2025, 3, 3, 14, 0))
    actions.submit_draft(p.dave, case, "part", ROADS, now=msk(2025, 3, 4, 9, 55))
    first = case.drafts.get(state=Draft.State.SUBMITTED)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 0))
    actions.confirm_publication(
        p.alice, first, url="https://vk.com/wall-1_1?reply=910003", now=msk(2025, 3, 4, 13, 50)
    )
    second = case.drafts.get(state=Draft.State.SUBMITTED)
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 14, 40))
    sla.sweep(now=msk(2025, 3, 4, 14, 47))  # roads' approved part not published yet
    return case


def _total_row(client: Client, p: Personas) -> dict[str, Any]:
    client.force_login(p.observer)
    data = client.get("/reports/violations/?from=2025-03-04&to=2025-03-04&format=json").json()
    rows = [r for r in data["violations"] if r["rid"] == "R-8.3"]
    assert [(r["body"], r["due_at"]) for r in rows] == [("Здравоохранение", "04.03.2025 14:45")], rows
    return rows[0]


def test_the_total_charged_to_the_late_body_is_not_done_before_its_term(
    personas: Personas, client: Client
) -> None:
    _held_up(personas)
    row = _total_row(client, personas)
    assert row["done_at"] not in ("04.03.2025 13:50",) and row["late_minutes"] > 0, (
        f"the missed answer term reads «Срок {row['due_at']} — Выполнено {row['done_at']} — "
        f"Опоздание {row['late_minutes']} мин»"
    )


def test_closed_before_the_last_publication_it_stays_done_before_its_term(
    personas: Personas, client: Client
) -> None:
    """The curator closes the case at 15:30 before roads publishes: the total's violation keeps «Выполнено 13:50,
    0 мин» for good."""
    p = personas
    case = _held_up(p)
    case.refresh_from_db()
    actions.close_case(p.curator, case, "Ответ дан по телефону", now=msk(2025, 3, 4, 15, 30))
    row = _total_row(client, p)
    assert row["done_at"] not in ("04.03.2025 13:50",) and row["late_minutes"] > 0, (
        f"after the closing the missed answer term reads «Срок {row['due_at']} — Выполнено {row['done_at']} — "
        f"Опоздание {row['late_minutes']} мин»"
    )
