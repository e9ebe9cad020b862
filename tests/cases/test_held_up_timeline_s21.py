"""R-8.3, R-8.9, R-12, R-6 (docs/decisions/0005-parts-one-by-one-overall-term.md): the case's timeline names the
person the late answer is recorded on.

What a user now sees: health's part approved Tue 10:00; Алексеева (health) falls ill at 12:00 with Борисов
substituting, and Борисов publishes health's part only at 14:50; roads publishes its own part five minutes after its
approval. The late answer is charged to health, and at the due moment 14:45 Алексеева was away, so the violation,
the breach notice and Борисов's record name Борисов — and the timeline's «срок ответа — на органе, задержавшем ответ»
now ends «Отвечает Борисов («Здравоохранение»)», after the sentence saying whose work it was, not «Отвечает
Алексеева». Found by a review (session 21)."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases import actions
from otklik.cases.models import CaseEvent, Violation
from otklik.org.models import Absence
from tests.cases.test_parts_one_by_one_s21 import _in_review, _parts_in, _publish
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_the_timeline_names_the_person_the_late_answer_is_recorded_on(
    personas: Personas, client: Client
) -> None:
    p = personas
    case = _parts_in(p)
    first = _in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 0))
    Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=msk(2025, 3, 4, 12, 0),
        ends_at=msk(2025, 3, 14, 18, 0),
        substitute=p.bob,
    )
    _publish(p.bob, first, msk(2025, 3, 4, 14, 50), 930001)
    second = _in_review(case)
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 14, 55))
    _publish(p.dave, second, msk(2025, 3, 4, 15, 0), 930002)

    total = Violation.objects.select_related("person").get(case=case, rid="R-8.3")
    assert (
        total.person == p.bob
    )  # Алексеева was on sick leave at 14:45: her substitute answers (clause 12, R-6)
    event = CaseEvent.objects.get(case=case, action="total_held_up")
    said = event.reason.rpartition("Отвечает ")[2]
    assert str(p.bob) in said and str(p.alice) not in said, (
        f"the timeline says «Отвечает {said}», the violation of the late answer is recorded on {total.person}"
    )
