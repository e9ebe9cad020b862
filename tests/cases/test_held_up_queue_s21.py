"""R-8.3, R-8.9 (docs/decisions/0005-parts-one-by-one-overall-term.md), R-8.1 «Мои обращения» and the home page: the
overall term is shown where the work is.

The scenario of tests/cases/test_parts_one_by_one_s21.py: health's part approved Tue 10:00, roads carries the total
due 14:45. The sweep at 14:47 charges the late answer to health (its publication was due 10:30): the total becomes
an open copy on health, which is where the work is. What a user now sees: once Алексеева publishes health's part at
14:50, health has nothing left to do — its head reads «Обращения с просроченным сроком: 0» and «Мои обращения» no
longer lists the case — and the overall term runs on at roads, whose part still waits for the curator and Давыдов's
publication: Давыдов finds it in «Мои обращения» as overdue. It stays charged to health: the sweeps meanwhile record
nothing on Давыдов, and the last publication leaves what the case would have without the sweep (roads' term met at
its part, health's copy of the total met at the last publication). Before, the copy stayed open on health until
roads' publication. Found by a review (session 21)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.models import Deadline
from tests.cases.helpers import violations
from tests.cases.test_parts_one_by_one_s21 import _in_review, _parts_in, _publish
from tests.cases.test_s5c_overall import overall
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_a_body_whose_part_is_published_has_no_overdue_case_left(personas: Personas, client: Client) -> None:
    p = personas
    case = _parts_in(p)
    first = _in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 0))
    sla.sweep(now=msk(2025, 3, 4, 14, 47))  # the late answer is recorded on health
    _publish(p.alice, first, msk(2025, 3, 4, 14, 50), 950001)  # health's part is out: its work is done

    client.force_login(p.health_head)
    home = client.get("/").content.decode()
    overdue = re.search(r'data-testid="overdue-deadlines"><span>[^<]*</span> <strong>(\d+)</strong>', home)
    assert overdue is not None
    queue = client.get("/cases/mine/").content.decode()
    listed = f"№ {case.pk}" in queue and "просрочено" in queue
    assert (overdue[1], listed) == ("0", False), (
        f"health's head reads «Обращения с просроченным сроком: {overdue[1]}» and «Мои обращения» lists case "
        f"№ {case.pk} as overdue ({listed}), though health's part is published and the case waits for the curator "
        "and roads"
    )


def _overdue_in_queue(client: Client, case_pk: int) -> bool:
    queue = client.get("/cases/mine/?show=overdue").content.decode()
    return f"№ {case_pk}" in queue and "просрочено" in queue


def test_the_total_runs_on_at_the_carrier_and_stays_charged_to_the_body_that_held_it_up(
    personas: Personas, client: Client
) -> None:
    p = personas
    case = _parts_in(p)
    first = _in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 0))
    sla.sweep(now=msk(2025, 3, 4, 14, 47))
    client.force_login(p.dave)
    assert not _overdue_in_queue(client, case.pk)  # health still has to publish: the term is at health
    _publish(p.alice, first, msk(2025, 3, 4, 14, 50), 950002)
    assert _overdue_in_queue(client, case.pk), "the answer waits for roads: Давыдов sees the overall term"
    assert sla.sweep(now=msk(2025, 3, 4, 14, 52)).breached == 0
    second = _in_review(case)
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 14, 55))
    _publish(p.dave, second, msk(2025, 3, 4, 15, 0), 950003)
    sla.sweep(now=msk(2025, 3, 6, 12, 0))
    assert violations(case) == [("R-8.7", "alice", "Здравоохранение"), ("R-8.3", "alice", "Здравоохранение")]
    assert overall(case) == [
        ("Здравоохранение", "alice", msk(2025, 3, 4, 10, 45), msk(2025, 3, 3, 14, 0), False),
        ("Дороги", "dave", msk(2025, 3, 4, 14, 45), msk(2025, 3, 4, 9, 55), False),
        ("Здравоохранение", "alice", msk(2025, 3, 4, 14, 45), msk(2025, 3, 4, 15, 0), True),
    ]
    assert not Deadline.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True).exists()


def test_a_body_whose_part_was_out_before_the_sweep_charged_it_gets_no_open_term(
    personas: Personas, client: Client
) -> None:
    """Health publishes Tue 13:50 (2 h 35 min late), roads' part waits for the curator past the total (14:45): the
    sweep at 14:47 charges health, and the term stays with roads, where the work is."""
    p = personas
    case = _parts_in(p)
    first = _in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 0))
    _publish(p.alice, first, msk(2025, 3, 4, 13, 50), 950004)
    assert sla.sweep(now=msk(2025, 3, 4, 14, 47)).breached == 1
    assert violations(case)[-1] == ("R-8.3", "alice", "Здравоохранение")
    client.force_login(p.health_head)
    assert not _overdue_in_queue(client, case.pk)
    client.force_login(p.dave)
    assert _overdue_in_queue(client, case.pk)
    sla.sweep(now=msk(2025, 3, 4, 15, 30))  # the curator's review of roads' part (R-8.5, due 14:50) ran out
    assert [v[0] for v in violations(case)] == ["R-8.7", "R-8.3", "R-8.5"]  # and nothing on Давыдов
    second = _in_review(case)
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 15, 35))
    _publish(p.dave, second, msk(2025, 3, 4, 15, 40), 950005)
    assert [v[0] for v in violations(case)] == ["R-8.7", "R-8.3", "R-8.5"]
    assert overall(case)[1:] == [
        ("Дороги", "dave", msk(2025, 3, 4, 14, 45), msk(2025, 3, 4, 9, 55), False),
        ("Здравоохранение", "alice", msk(2025, 3, 4, 14, 45), msk(2025, 3, 4, 15, 40), True),
    ]
    assert not Deadline.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True).exists()
