"""The common answer of several bodies (R-8.9) with the interim answer (R-8.8) and substitutes (R-6):
whoever a deadline of it is charged to can do that work. Monday 28.04.2025, default schedule.
Found by a review (session 17); each test's text tells what went wrong before the fix."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Deadline, Notification, Violation
from otklik.org.models import Absence, Role
from tests.cases.helpers import COMMON_ANSWER, COMMON_INTERIM, message, parts_in
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def test_final_answer_after_the_curators_interim_common_answer_is_due_from_who_can_write_it(
    personas: Personas,
) -> None:
    """R-8.8 with R-8.9 (the curator composes): the curator's interim common answer is published on Tuesday; the
    7-working-day deadline for the final answer is opened for Алексеева (the first body's executor, `_publisher`
    of a draft with no assignment) — yet the final answer is refused to her («Общий ответ готовит …»): only the
    curator may send it (`may_compose`), and the deadline is not hers."""
    p = personas
    case = parts_in(p, Case.MultiMode.COMMON_BY_CURATOR)
    assert case.composer == p.curator
    interim = actions.submit_draft(p.curator, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 29, 10, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 29, 10, 10))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=90", now=msk(2025, 4, 29, 10, 20)
    )
    final = Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL)
    charged = final.responsible
    assert charged is not None
    try:
        actions.submit_draft(charged, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 30, 10, 0))
    except ActionRefused as exc:
        pytest.fail(
            f"the R-8.8 deadline is {charged}'s (body {final.body}), but {charged} may not send the final answer: "
            f"{exc.message}"
        )


def test_r8_8_violation_is_not_charged_to_an_executor_who_could_not_send_the_final_answer(
    personas: Personas,
) -> None:
    """The same case left alone: the sweep after the 7 working days records the R-8.8 violation on Алексеева, who
    was refused the final answer; the curator composing it is not named."""
    p = personas
    case = parts_in(p, Case.MultiMode.COMMON_BY_CURATOR)
    interim = actions.submit_draft(p.curator, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 29, 10, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 29, 10, 10))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=91", now=msk(2025, 4, 29, 10, 20)
    )
    final = Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert final.due_at == msk(2025, 5, 14, 18, 0)  # 30.04, 05–07.05, 12–14.05
    sla.sweep(now=msk(2025, 5, 15, 12, 0))
    v = Violation.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert v.person == p.curator, (
        f"R-8.8 violation charged to {v.person} ({v.body}), who could not send the answer"
    )


def test_head_can_give_the_common_answer_of_the_body_to_another_executor(
    client: Client, personas: Personas
) -> None:
    """R-6 with R-8.9 (the last body's executor composes): both parts are in, Давыдов of roads composes the common
    answer. Roads' head (Романов) cannot give that work to another executor: the case page has no hand-over form for
    roads (`_hand_over_choices` offers only ACTIVE/WAITING assignments) and `hand_to_executor` refuses «Передать можно только работу органа, которая ещё не выполнена» — the
    assignment is «информация направлена» although the body's common answer (its R-8.9 composing deadline and the
    R-8.3 total) is still to be written."""
    p = personas
    ella = make_person("ella", p.roads, Role.Kind.EXECUTOR, last_name="Ершова")
    case = parts_in(p, Case.MultiMode.COMMON_BY_LAST)
    assert case.composer == p.dave
    compose = Deadline.objects.get(case=case, stage=Deadline.Stage.COMPOSE)
    assert compose.responsible == p.dave and compose.is_open
    roads = case.assignments.get(body=p.roads)
    try:
        actions.hand_to_executor(p.roads_head, roads, ella, now=msk(2025, 4, 28, 16, 30))
    except ActionRefused as exc:
        pytest.fail(f"the head cannot give the open common answer to another executor: {exc.message}")
    actions.submit_draft(ella, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 28, 17, 0))


def _curator_away(p: Personas) -> tuple[Case, object]:
    """Both parts in (Mon 16:00), the curator composes; she falls ill on Tuesday 09:00. A curator's absence names
    no substitute: `validate_absence` takes only an executor or responsible official of her body, and the office
    has none — so while she is away every curator present does her work (`curator_duty`)."""
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    case = parts_in(p, Case.MultiMode.COMMON_BY_CURATOR)
    Absence.objects.create(
        person=p.curator,
        reason="sick_leave",
        starts_at=msk(2025, 4, 29, 9, 0),
        ends_at=msk(2025, 5, 12, 9, 0),
    )
    return case, smirnova


def test_another_curator_can_send_the_common_answer_while_the_composing_curator_is_ill(
    personas: Personas,
) -> None:
    """R-6 with R-8.9 (the curator composes): while the composing curator is ill, the other curator present gets her
    reviews, but the common answer is refused to her («Общий ответ готовит …»: `may_compose` admits nobody but the
    composer in this mode): the case stands until the ill curator is back."""
    p = personas
    case, smirnova = _curator_away(p)
    try:
        actions.submit_draft(smirnova, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 29, 10, 0))  # type: ignore[arg-type]
    except ActionRefused as exc:
        pytest.fail(f"no curator present may send the ill curator's common answer: {exc.message}")


def test_reminder_of_the_ill_curators_composing_deadline_reaches_a_curator_present(
    personas: Personas,
) -> None:
    """R-6, R-8.9: the composing deadline (5 working hours from Mon 16:00, due Tue 12:00) is reminded on Tuesday
    morning to the ill curator alone (`_on_duty_for` → `on_duty` finds no executor in the office, «nobody», and
    keeps the responsible person); the curator present hears nothing until the breach."""
    p = personas
    case, _smirnova = _curator_away(p)
    sla.sweep(now=msk(2025, 4, 29, 10, 30))
    told = set(
        Notification.objects.filter(
            case=case, kind=Notification.Kind.REMINDER, deadline__stage="compose"
        ).values_list("recipient__username", flat=True)
    )
    assert told, "no reminder of the composing deadline at all"
    assert "smirnova" in told, f"the composing reminder went only to {sorted(told)}, the ill curator"


def test_composer_is_told_when_the_new_bodys_part_arrives_after_the_interim_common_answer(
    personas: Personas,
) -> None:
    """R-8.2 with R-8.8, R-8.9 (the last executor composes): health's part is in, roads refuses, so Алексеева
    composes; her interim common answer is published. The curator then names culture in place of roads; culture's
    executor sends its part on Wednesday. The common answer already went out once, so `_await_new_part` leaves
    Алексеева composing and `_advance_parts` stops at once — nobody tells her the new part has come: she may send the
    final answer without it (nothing refuses that) or wait for it without knowing it is there."""
    p = personas
    case, eva = _interim_then_new_body(p)
    before = Notification.objects.filter(recipient=p.alice, case=case).count()
    actions.submit_draft(
        eva, case, "part", "Библиотеку откроют после ремонта в июле.", now=msk(2025, 4, 30, 11, 0)
    )
    told = list(
        Notification.objects.filter(recipient=p.alice, case=case)
        .order_by("id")[before:]
        .values_list("text", flat=True)
    )
    assert told, "the composer of the common answer is not told that culture's part has arrived"


def test_final_common_answer_waits_for_the_part_of_the_body_named_after_the_interim_one(
    personas: Personas,
) -> None:
    """The same case: before culture's part comes, Алексеева's final common answer is accepted, approved and
    published, the case closes, and culture's part is then refused («Обращение закрыто» / state): the question the
    curator named culture for is never answered, and culture's R-8.9 deadline is silently cancelled. Before any common
    draft, the same refusal-and-replacement makes the common answer wait for the new part (`_await_new_part`)."""
    p = personas
    case, eva = _interim_then_new_body(p)
    try:
        final = actions.submit_draft(p.alice, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 29, 10, 0))
    except ActionRefused:
        return  # the final answer waits for culture's part: fine
    actions.approve_draft(p.curator, final, now=msk(2025, 4, 29, 10, 10))
    actions.confirm_publication(
        p.alice, final, url="https://vk.com/wall-1_1?reply=93", now=msk(2025, 4, 29, 10, 20)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    try:
        actions.submit_draft(
            eva, case, "part", "Библиотеку откроют после ремонта в июле.", now=msk(2025, 4, 29, 11, 0)
        )  # type: ignore[arg-type]
    except ActionRefused as exc:
        pytest.fail(
            f"the common answer went out without culture's part, whose part is now refused: {exc.message}"
        )


def _interim_then_new_body(p: Personas) -> tuple[Case, object]:
    from otklik.org.models import Body

    culture = Body.objects.create(name="Комитет по культуре", short_name="Культура")
    eva = make_person("eva", culture, Role.Kind.EXECUTOR, last_name="Егорова")
    case = actions.dispatch_case(
        p.curator,
        [message()],
        [actions.Route(p.health, 1), actions.Route(p.roads, 1)],
        now=MON,
    )
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 10, 40))
    roads = case.assignments.get(body=p.roads)
    actions.reject_assignment(p.dave, roads, "Не дорожный вопрос", now=msk(2025, 4, 28, 10, 50))
    case.refresh_from_db()
    assert case.composer == p.alice
    interim = actions.submit_draft(p.alice, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 12, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 28, 12, 10))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=92", now=msk(2025, 4, 28, 12, 20)
    )
    actions.reassign(p.curator, case.assignments.get(body=p.roads), culture, now=msk(2025, 4, 28, 14, 0))
    case.refresh_from_db()
    assert case.composer == p.alice  # the interim common answer is out: she still composes
    assert case.assignments.get(body=culture).state == "active"
    return case, eva
