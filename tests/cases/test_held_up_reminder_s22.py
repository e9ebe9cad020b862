"""R-8.3 with R-8.9 (parts published one by one), R-8.7, R-6: the reminder of the overall term while another body's
approved part still waits for its publication.

Set-up of tests/cases/test_parts_one_by_one_s21.py (Monday 03.03.2025, default hours): both parts are in by
Tue 09:55, and Давыдов («Дороги») carries the whole answer's term, Mon 14:00 → Tue 14:45 (540 working minutes).
The curator approves health's part at Tue 10:00; Алексеева («Здравоохранение») must publish it by 10:30 and has not.
The second reminder of the total (0.8 of 540 = 432 minutes: Mon 14:00–18:00 and Tue 09:00–12:12) is due at 12:12.

Before, only Давыдов was reminded — the one who cannot save the answer, his part being in — and the reminder did not
say what the answer waited for, while Алексеева, whose publication holds it up and who will be charged with the
term if it runs out (decision 0005), heard nothing of it. Now Давыдов's reminder names the part the answer waits for,
and Алексеева gets the reminder too, saying her body's part holds the answer up."""

from __future__ import annotations

import pytest

from otklik.cases import actions, sla
from otklik.cases.models import Deadline, Notification
from otklik.org.models import Absence
from tests.cases.test_parts_one_by_one_s21 import _in_review, _parts_in
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _total_reminders(at: object) -> dict[str, str]:
    return {
        n.recipient.username: n.text
        for n in Notification.objects.filter(
            kind=Notification.Kind.REMINDER, created_at=at, deadline__stage=Deadline.Stage.OVERALL
        ).select_related("recipient")
    }


def test_the_body_whose_part_holds_the_answer_up_is_reminded_of_the_total_and_the_carrier_told_why(
    personas: Personas,
) -> None:
    p = personas
    case = _parts_in(p)
    actions.approve_draft(p.curator, _in_review(case), now=msk(2025, 3, 4, 10, 0))
    at = msk(2025, 3, 4, 12, 20)
    sla.sweep(now=at)

    told = _total_reminders(at)
    assert set(told) == {"dave", "alice"}, (
        f"reminded of the whole answer's term at 12:20: {sorted(told)} — Алексеева's approved part, due for "
        "publication at 10:30, is what the answer waits for"
    )
    assert (
        "Ответ ждёт частей других органов: «Здравоохранение» — публикация части, срок истёк 04.03.2025 10:30"
        in (told["dave"])
    )
    assert "срок 04.03.2025 14:45" in told["alice"]
    assert (
        "Общий ответ ждёт части вашего органа (публикация части, срок истёк 04.03.2025 10:30)"
        in told["alice"]
    )
    assert "нарушение запишут на ваш орган" in told["alice"]


def test_once_every_other_part_is_out_the_carrier_alone_is_reminded_as_before(personas: Personas) -> None:
    p = personas
    case = _parts_in(p)
    first = _in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 0))
    actions.confirm_publication(
        p.alice, first, url="https://vk.com/wall-1_1?reply=920001", now=msk(2025, 3, 4, 10, 20)
    )
    at = msk(2025, 3, 4, 12, 20)
    sla.sweep(now=at)

    told = _total_reminders(at)
    assert set(told) == {"dave"}, f"reminded of the whole answer's term at 12:20: {sorted(told)}"
    assert "ждёт" not in told["dave"], told["dave"]


def test_while_the_late_bodys_executor_is_away_her_substitute_gets_the_reminder(personas: Personas) -> None:
    """R-6: Алексеева went on leave at Tue 11:00 with Борисов as her substitute; the reminder of the total her
    unpublished part holds up reaches Борисов, saying why, and not her (found in review of this change: the
    sweep's list of absent people covered only the reminded deadline's own responsible person)."""
    p = personas
    case = _parts_in(p)
    actions.approve_draft(p.curator, _in_review(case), now=msk(2025, 3, 4, 10, 0))
    Absence.objects.create(
        person=p.alice,
        starts_at=msk(2025, 3, 4, 11, 0),
        ends_at=msk(2025, 3, 14, 0, 0),
        reason=Absence.Reason.VACATION,
        substitute=p.bob,
    )
    at = msk(2025, 3, 4, 12, 20)
    sla.sweep(now=at)

    told = _total_reminders(at)
    assert set(told) == {"dave", "bob"}, f"reminded of the whole answer's term at 12:20: {sorted(told)}"
    assert "Общий ответ ждёт части вашего органа" in told["bob"]
    assert "вместо" in told["bob"], told["bob"]
