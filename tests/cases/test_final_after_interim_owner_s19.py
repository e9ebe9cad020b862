"""R-8.8 with R-8.9: several bodies, the common answer by the last body, composed by whoever of that body sent its
information — here the body's head. After his interim common answer is published, the 7 working days for the final
answer are his (the one «Направить» takes the final common answer from, `may_compose`): he is reminded of it and a
miss is charged to him, not to the body's assigned executor, who may not send it; while he is away, whoever does his
work (R-6) has the term: its reminders, and the notice when the interim answer comes out. A single body's interim answer keeps the term with its executor. Found by a review
(session 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Deadline, Notification, Violation
from otklik.org.models import Absence
from tests.cases.helpers import COMMON_ANSWER, COMMON_INTERIM, deadline, dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _interim_by_the_head(p: Personas) -> Case:
    case = dispatch(p.curator, p.roads, p.health, at=msk(2025, 4, 28, 10, 0))  # roads first, then health
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 11, 0))
    # the health committee's head sends the body's information himself (any member of the body may)
    actions.submit_draft(
        p.health_head, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 12, 0)
    )
    case.refresh_from_db()
    assert case.composer == p.health_head
    interim = actions.submit_draft(
        p.health_head, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 14, 0)
    )
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 28, 14, 30))
    return case


def test_the_final_answers_term_is_set_for_someone_allowed_to_send_the_final_answer(
    personas: Personas,
) -> None:
    p = personas
    case = _interim_by_the_head(p)
    interim = case.drafts.get(kind="interim")
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=998", now=msk(2025, 4, 28, 14, 40)
    )

    final = deadline(case, Deadline.Stage.FINAL, open_only=True)
    owner = final.responsible
    assert owner == p.health_head
    assert final.body == p.health
    case.refresh_from_db()
    try:
        actions.submit_draft(owner, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 30, 11, 0))
    except ActionRefused as exc:
        pytest.fail(
            f"the final answer (п. 8.8) is due from {owner}, who is reminded and charged with it, but sending it "
            f"is refused to them: «{exc.message}»"
        )


def test_a_missed_final_answer_is_charged_to_the_composer(personas: Personas) -> None:
    p = personas
    case = _interim_by_the_head(p)
    actions.confirm_publication(
        p.alice,
        case.drafts.get(kind="interim"),
        url="https://vk.com/wall-1_1?reply=998",
        now=msk(2025, 4, 28, 14, 40),
    )
    final = deadline(case, Deadline.Stage.FINAL, open_only=True)
    sla.sweep(now=final.due_at + timedelta(days=3))

    charged = Violation.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert charged.person == p.health_head, charged.person


def test_while_the_composer_is_away_his_substitute_has_the_term_and_may_send_the_answer(
    personas: Personas,
) -> None:
    p = personas
    case = _interim_by_the_head(p)
    Absence.objects.create(
        person=p.health_head,
        reason=Absence.Reason.VACATION,
        starts_at=msk(2025, 4, 28, 14, 35),
        ends_at=msk(2025, 5, 20, 18, 0),
        substitute=p.bob,
    )
    actions.confirm_publication(
        p.alice,
        case.drafts.get(kind="interim"),
        url="https://vk.com/wall-1_1?reply=998",
        now=msk(2025, 4, 28, 14, 40),
    )

    final = deadline(case, Deadline.Stage.FINAL, open_only=True)
    # his term (session 27: not the substitute's for good), done by whoever does his work while he is away
    assert final.responsible == p.health_head
    assert final.next_reminder_at is not None and final.next_reminder_at < msk(2025, 5, 20, 18, 0)
    sla.sweep(final.next_reminder_at + timedelta(minutes=1))
    reminded = Notification.objects.filter(case=case, kind=Notification.Kind.REMINDER).values_list(
        "recipient", flat=True
    )
    assert set(reminded) == {p.bob.pk}
    assert Notification.objects.filter(
        case=case, recipient=p.bob, text__contains="окончательный ответ"
    ).exists()
    case.refresh_from_db()
    actions.submit_draft(p.bob, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 30, 11, 0))


def test_a_single_bodys_final_answer_stays_with_its_executor(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    interim = actions.submit_draft(p.alice, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 11, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 28, 11, 20))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=998", now=msk(2025, 4, 28, 11, 30)
    )

    assert deadline(case, Deadline.Stage.FINAL, open_only=True).responsible == p.alice
