"""R-13, «Все органы»: the answers as the citizens got them (`reports.monthly._case_answers`), checked with real
actions on a controlled clock (default schedule: Mon–Thu 09:00–18:00, Fri 09:00–16:45, lunch 13:00–13:45).
Found by a review (session 17); each test's text tells what the report or page showed before the fix."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.actions import Route
from otklik.cases.models import Case, Deadline
from tests.conftest import Personas, msk
from tests.reports.builders import TEXT, message, publish, two_bodies

pytestmark = pytest.mark.django_db


def _report(client: Client, p: Personas) -> dict[str, Any]:
    client.force_login(p.observer)
    timeliness: dict[str, Any] = client.get("/reports/monthly/?month=2025-10&format=json").json()[
        "timeliness"
    ]
    return timeliness


def test_oblast_total_counts_the_answer_of_a_case_a_body_refused_late(
    personas: Personas, client: Client
) -> None:
    """R-8.2, R-8.3: roads lets the 4-hour term of a high-importance case run out (the sweep records it), refuses
    afterwards, the curator names health, and health answers in 40 minutes. The citizen got an answer: health's row
    counts it (median 40 min), and «Все органы» must count it too. It does not: roads' breached R-8.3 deadline was
    cancelled by the refusal and is never met, so the case is «late» but never «answered» — the oblast's median
    reads «—» while the only body that answered shows «40 мин»."""
    p = personas
    case = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 1, 9, 0))],
        [Route(p.roads)],
        importance=Case.Importance.HIGH,
        now=msk(2025, 10, 1, 10, 0),
    )
    sla.sweep(now=msk(2025, 10, 1, 15, 0))  # due 14:45: breached
    assert Deadline.objects.filter(case=case, stage="overall", breached_at__isnull=False).exists()
    roads = case.assignments.get(body=p.roads)
    actions.reject_assignment(p.dave, roads, "Не наша компетенция", now=msk(2025, 10, 1, 15, 10))
    roads.refresh_from_db()
    actions.reassign(p.curator, roads, p.health, executor=p.alice, now=msk(2025, 10, 1, 15, 20))
    case.refresh_from_db()
    draft = actions.submit_draft(p.alice, case, "answer", TEXT, now=msk(2025, 10, 1, 15, 40))
    actions.approve_draft(p.curator, draft, now=msk(2025, 10, 1, 15, 50))
    publish(p.alice, draft, msk(2025, 10, 1, 16, 0))
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED

    t = _report(client, p)
    health = next(r for r in t["rows"] if r["body"] == "Здравоохранение")
    assert health["answered"] == 1 and health["median_minutes"] == 40.0
    total = t["total"]
    assert total["on_time_share"] == 0.0  # late: roads' term ran out
    assert total["answered"] == 1 and total["median_minutes"] is not None, (
        f"«Все органы»: answered {total['answered']}, median {total['median_minutes']} — the case was answered "
        "(health's row: 1 answer, 40 min)"
    )


def test_oblast_total_time_to_a_common_answer_ends_at_its_publication_when_a_part_came_late(
    personas: Personas, client: Client
) -> None:
    """R-8.9, R-8.3: health and roads, one common answer by roads' executor. Health's part is in at 11:00; roads'
    part comes the next day at 11:00, after the R-8.3 term (due Thu 10:45), so the term is not carried to the
    composer (`_carry_overall`). The common answer is published Fri 03.10 12:00. The citizen waited from Wed 10:00
    to Fri 12:00: 435 + 495 + 180 = 1110 working minutes. «Все органы» says 555 (Wed 10:00 → roads' part Thu 11:00),
    and it counted the case as answered already on Thursday, before any answer was published."""
    p = personas
    case = two_bodies(p)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется в июне.", now=msk(2025, 10, 1, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 10, 2, 11, 0))
    assert not Case.objects.get(pk=case.pk).publications.exists()  # nothing published yet
    before = _report(client, p)["total"]
    assert before["answered"] == 0, (
        f"«Все органы» counts {before['answered']} answer(s) with a median of {before['median_minutes']} min while "
        "the citizen has got no answer yet (the common answer is still being written)"
    )

    case.refresh_from_db()
    common = actions.submit_draft(p.dave, case, "answer", TEXT, now=msk(2025, 10, 3, 11, 0))
    actions.approve_draft(p.curator, common, now=msk(2025, 10, 3, 11, 30))
    publish(p.dave, common, msk(2025, 10, 3, 12, 0))
    total = _report(client, p)["total"]
    assert (total["on_time_share"], total["median_minutes"]) == (0.0, 1110.0), (
        f"«Все органы»: in time {total['on_time_share']}, median {total['median_minutes']} min for the one common "
        "answer published Fri 12:00 (dispatched Wed 10:00: 1110 working minutes)"
    )


def test_oblast_total_does_not_count_as_answered_a_case_closed_without_an_answer(
    personas: Personas, client: Client
) -> None:
    """R-8.9, R-8.3: health and roads; health sends its part at 11:00, and at 11:30 the curator closes the case as a
    duplicate: nothing was published, the citizen got no answer from this case. «Все органы» (the answers «as the
    citizens got them») says one answer, in time, in 60 minutes: roads' deadline, cancelled unbreached, is left out
    (`_case_answers`), and health's part is taken for the case's answer."""
    p = personas
    case = two_bodies(p)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется в июне.", now=msk(2025, 10, 1, 11, 0))
    actions.close_case(p.curator, case, "Дубль обращения", now=msk(2025, 10, 1, 11, 30))
    assert not Case.objects.get(pk=case.pk).publications.exists()

    total = _report(client, p)["total"]
    assert (total["answer_deadlines"], total["answered"]) == (0, 0), (
        f"«Все органы»: {total['answer_deadlines']} answer(s) decided, {total['answered']} answered, in time "
        f"{total['on_time_share']}, median {total['median_minutes']} min — for a case closed with no answer"
    )
