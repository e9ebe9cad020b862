"""R-6 with R-8.9 (the curator composes, `common_by_curator`) and R-8.4: once the curator's clarification request is
out and drafting reopens (`answer_without_author` / `register_author_reply` → `_reopen_drafting`, actions.py:1913-1927),
the new COMPOSE deadline is the curator's but carries an assignment (`_publisher` of a draft with none = the first
live body). `sla._answerable` (sla.py:200) and `sla._told` (sla.py:436) treat a curator's deadline as the office's
only when it has no assignment, so for this one the ill curator's work is looked up among the office's executors
(`on_duty`): the curator present is never reminded, and the missed term is recorded on nobody. Monday 28.04.2025.
Found by a review (session 17) and fixed; the text above tells what was wrong before the fix."""

from __future__ import annotations

import pytest

from otklik.cases import actions, sla
from otklik.cases.models import Case, Deadline, Notification, Violation
from otklik.org.models import Absence, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)
ASK = "Здравствуйте, Ирина! Уточните, пожалуйста, адрес поликлиники и номер дороги, о которых вы пишете."


def test_missed_common_answer_after_clarification_is_the_curator_presents_while_the_composer_is_ill(
    personas: Personas,
) -> None:
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    case = dispatch(p.curator, p.health, p.roads, at=MON, multi_mode=Case.MultiMode.COMMON_BY_CURATOR)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 12, 0))
    case.refresh_from_db()
    assert case.composer == p.curator
    ask = actions.submit_draft(p.curator, case, "clarification", ASK, now=msk(2025, 4, 28, 13, 0))
    actions.approve_draft(smirnova, ask, now=msk(2025, 4, 28, 13, 10))
    actions.confirm_publication(
        p.alice, ask, url="https://vk.com/wall-1_1?reply=90", now=msk(2025, 4, 28, 13, 20)
    )
    actions.answer_without_author(p.curator, case, now=msk(2025, 4, 28, 14, 0))
    compose = Deadline.objects.filter(case=case, stage=Deadline.Stage.COMPOSE).order_by("-id").first()
    assert compose is not None and compose.is_open and compose.responsible == p.curator
    Absence.objects.create(
        person=p.curator,
        reason="sick_leave",
        starts_at=msk(2025, 4, 28, 14, 5),
        ends_at=msk(2025, 5, 12, 9, 0),
    )
    assert actions.may_compose(case, smirnova, msk(2025, 4, 28, 14, 10))  # she may write it
    sla.sweep(now=msk(2025, 4, 29, 9, 50))  # the reminders, before the due time (29.04 10:00)
    sla.sweep(now=msk(2025, 5, 5, 12, 0))
    reminded = Notification.objects.filter(
        case=case, recipient=smirnova, kind=Notification.Kind.REMINDER, deadline=compose
    ).exists()
    v = Violation.objects.get(deadline=compose)
    assert v.person == smirnova and reminded, (
        f"the ill curator's common answer (assignment {compose.assignment_id}): Смирнова reminded: {reminded}; "
        f"violation recorded on {v.person}: «{v.note}»"
    )
