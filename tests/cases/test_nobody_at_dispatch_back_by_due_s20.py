"""R-6, R-12: a message that came to a body while nobody of it was on duty gets no executor; when its deadline runs
out, the violation is charged to whoever of the body was on duty at the due moment — by the rule its reminders
follow (`org.duty.body_duty`, `cases.sla._answerable_body`) — with a note saying that nobody had been named and who
did the body's work then; the body only when nobody of it was on duty at the due moment either.

Found by a review (session 20).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from otklik.cases import sla
from otklik.cases.models import Notification, Violation
from otklik.org.models import Absence
from otklik.org.services import save_absence
from tests.cases.helpers import deadline, dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_a_missed_deadline_is_charged_to_the_executor_who_was_back_and_reminded_before_it_ran_out(
    personas: Personas,
) -> None:
    """R-6, R-8.4, R-12: roads has Давыдов (executor) and Романов (head). On Monday 28.04.2025 both are away until
    10:00 (a training morning), with no substitute; the curator sends a message to roads at 09:30: nobody takes it
    (the curators are told). Давыдов is back at 10:00; the sweep's 50 % reminder of the R-8.4 draft (due 15:15)
    reaches him as the one of roads now at work (`sla._on_duty_for` → `body_duty`). He sends nothing; at 15:20 the
    sweep records the violation on him, as the one of roads on duty at the due moment, with a note saying nobody had
    been named and that he did the body's work by then; the curator's breach notice says the same."""
    p = personas
    _roads_away(p)
    case = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 9, 30))
    draft = deadline(case, "draft")
    assert draft.responsible is None
    sla.sweep(now=msk(2025, 4, 28, 12, 30))
    reminded = set(
        Notification.objects.filter(deadline=draft, kind=Notification.Kind.REMINDER).values_list(
            "recipient__username", flat=True
        )
    )
    assert "dave" in reminded, reminded

    sla.sweep(now=draft.due_at + timedelta(minutes=5))
    violation = Violation.objects.get(deadline=draft)
    assert violation.person == p.dave, (
        f"the draft's violation is charged to {violation.person or 'nobody (the body only)'}, note «{violation.note}», "
        "though Давыдов was at work from 10:00 and had the reminder"
    )
    assert violation.body == p.roads
    assert violation.note == (
        "Исполнитель не был назначен: при поступлении в органе никого не было на месте; "
        f"к сроку 28.04.2025 15:15 работу выполняет исполнитель органа {p.dave}"
    )
    notice = Notification.objects.get(deadline=draft, kind=Notification.Kind.BREACH, recipient=p.curator)
    assert f"Нарушение записано на {p.dave}. Исполнитель не был назначен" in notice.text, notice.text


def test_the_body_alone_answers_when_nobody_of_it_is_back_by_the_due_moment(personas: Personas) -> None:
    """R-12: the same morning, but Давыдов and Романов are away the whole day: the violation names nobody (the body
    only, «Никто не назначен (нарушение органа)» on the head's dashboard) and its note says why."""
    p = personas
    _roads_away(p, until=msk(2025, 4, 29, 0, 0))
    case = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 9, 30))
    draft = deadline(case, "draft")
    sla.sweep(now=draft.due_at + timedelta(minutes=5))
    violation = Violation.objects.get(deadline=draft)
    assert violation.person is None
    assert violation.note == (
        "Исполнитель не был назначен: при поступлении в органе никого не было на месте; "
        "к сроку 28.04.2025 15:15 на месте тоже никого не было"
    )
    notice = Notification.objects.get(deadline=draft, kind=Notification.Kind.BREACH, recipient=p.curator)
    assert "Нарушение записано только на орган: сотрудника на месте не было." in notice.text, notice.text


def _roads_away(p: Personas, until: datetime | None = None) -> None:
    """Давыдов (roads' executor) and Романов (its head) away from 09:00 on Monday 28.04.2025, no substitute."""
    for person in (p.dave, p.roads_head):
        save_absence(
            Absence(
                person=person,
                reason=Absence.Reason.TRAINING,
                starts_at=msk(2025, 4, 28, 9, 0),
                ends_at=until or msk(2025, 4, 28, 10, 0),
            )
        )
