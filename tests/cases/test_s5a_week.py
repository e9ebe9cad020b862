"""An executor's, a head's and a substitute's working week (R-6, R-8.2, R-8.7 … R-8.10, R-7.1).

Tuesday 22.04.2025 in the default schedule (09:00–18:00, lunch 13:00–13:45); the May holidays of 2025 (1–4 and
8–11 May) are off. Every due time below was counted by hand from the production calendar."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused, Route
from otklik.cases.models import Assignment, Case, Draft, Notification, Violation
from otklik.governor import actions as gov
from otklik.governor import service
from otklik.governor.models import Comment
from otklik.org.models import Absence, Body, Person, Role
from tests.cases.helpers import current_draft, deadline, dispatch, message, violations
from tests.conftest import Personas, make_person, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Ремонт участка улицы Соборной в Гатчине запланирован на июнь."
LINK = "https://vk.com/wall-1_1?reply=77"


def away(person: Person, substitute: Person, start: tuple[int, ...], end: tuple[int, ...]) -> None:
    Absence.objects.create(
        person=person, substitute=substitute, reason="sick_leave", starts_at=msk(*start), ends_at=msk(*end)
    )


def work_texts(person: Person, case: Case) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person, case=case, kind="work")
        .order_by("id")
        .values_list("text", flat=True)
    )


def signed_in(person: Person) -> Client:
    c = Client()
    c.force_login(person)
    return c


def test_r6_a_return_and_an_approval_after_the_executor_fell_ill_go_to_the_substitute(
    personas: Personas,
) -> None:
    """R-6, R-8.6, R-8.7: Алексеева sends the draft at 11:00 and falls ill at 11:30 (Борисов substitutes). The
    returned draft (11:40, due 12:40) and the approved answer (12:10, publish by 12:40) are Борисов's work: his
    deadlines, his notifications naming both, and the missed publication is his violation, not hers."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 22, 10, 0))
    actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 22, 11, 0))
    away(p.alice, p.bob, (2025, 4, 22, 11, 30), (2025, 4, 30, 0, 0))

    actions.return_draft(p.curator, current_draft(case), "Уточните сроки.", now=msk(2025, 4, 22, 11, 40))
    revise = deadline(case, "revise")
    assert (revise.responsible, revise.due_at) == (p.bob, msk(2025, 4, 22, 12, 40))
    [returned] = work_texts(p.bob, case)
    assert "возвращён: Уточните сроки." in returned
    assert "Алексеева Тест отсутствует до" in returned and "замещающий Борисов Тест" in returned
    assert not any("возвращён" in t for t in work_texts(p.alice, case))

    revised = actions.revise_draft(
        p.bob, current_draft(case), ANSWER + " Срок — июнь.", now=msk(2025, 4, 22, 12, 0)
    )
    actions.approve_draft(p.curator, revised, now=msk(2025, 4, 22, 12, 10))
    publish = deadline(case, "publish")
    assert (publish.responsible, publish.due_at) == (p.bob, msk(2025, 4, 22, 12, 40))
    assert any("согласован: разместите его" in t for t in work_texts(p.bob, case))
    assert not any("согласован" in t for t in work_texts(p.alice, case))

    sla.sweep(now=msk(2025, 4, 22, 12, 50))
    assert violations(case) == [("R-8.7", "bob", "Здравоохранение")]


def test_r6_the_final_answer_after_an_interim_one_is_due_from_the_substitute(personas: Personas) -> None:
    """R-6, R-8.8: the interim answer is published by Борисов at 10:50 while Алексеева is away since 10:45: the
    final draft is his while she is away, due at the close of the 7th working day after 22.04 — 05.05.2025 18:00 (23, 24, 25,
    28, 29, 30 April and 5 May; 1–4 May are holidays)."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 22, 10, 0))
    interim = actions.submit_draft(p.alice, case, "interim", ANSWER, now=msk(2025, 4, 22, 10, 30))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 22, 10, 40))
    away(p.alice, p.bob, (2025, 4, 22, 10, 45), (2025, 5, 20, 0, 0))
    actions.confirm_publication(p.bob, interim, url=LINK, now=msk(2025, 4, 22, 10, 50))
    final = deadline(case, "final")
    # her term, done by Борисов while she is away (to 20.05, past its due time): his reminders, his violation
    assert (final.responsible, final.due_at) == (p.alice, msk(2025, 5, 5, 18, 0))
    sla.sweep(msk(2025, 5, 5, 18, 5))
    assert Violation.objects.get(case=case, rid="R-8.8").person == p.bob


def test_r6_the_authors_reply_reaches_the_substitute(personas: Personas) -> None:
    """R-6, R-8.4: the clarification request was Алексеева's; the author replies while she is on sick leave:
    the new draft (5 working hours, 11:30 → 16:15) and the notice are Борисов's."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 22, 10, 0))
    request = actions.submit_draft(
        p.alice, case, "clarification", "Здравствуйте, Ирина! Уточните адрес.", now=msk(2025, 4, 22, 10, 20)
    )
    actions.approve_draft(p.curator, request, now=msk(2025, 4, 22, 10, 30))
    actions.confirm_publication(p.alice, request, url=LINK, now=msk(2025, 4, 22, 10, 40))
    away(p.alice, p.bob, (2025, 4, 22, 11, 0), (2025, 4, 30, 0, 0))
    actions.register_author_reply(
        p.curator, case, message("Улица Соборная, дом 5."), now=msk(2025, 4, 22, 11, 30)
    )
    draft = deadline(case, "draft", open_only=True)
    assert (draft.responsible, draft.due_at) == (p.bob, msk(2025, 4, 22, 17, 15))
    assert any("Автор ответил" in t for t in work_texts(p.bob, case))
    assert not any("Автор ответил" in t for t in work_texts(p.alice, case))


def test_r6_r8_9_the_substitute_of_the_absent_composer_prepares_the_common_answer(personas: Personas) -> None:
    """R-6 with R-8.9: Давыдов sent the last part and composes the common answer; he falls ill and Романов (the
    roads' responsible official) substitutes: Романов sees «Подготовить проект» and his common answer is taken."""
    p = personas
    routes = [Route(p.health, 1), Route(p.roads, 1)]
    case = actions.dispatch_case(p.curator, [message()], routes, now=msk(2025, 4, 22, 10, 0))
    actions.submit_draft(
        p.alice, case, "part", "Поликлиника: терапевт принимает с мая.", now=msk(2025, 4, 22, 10, 30)
    )
    actions.submit_draft(p.dave, case, "part", "Дороги: ремонт в июне.", now=msk(2025, 4, 22, 11, 0))
    case.refresh_from_db()
    assert case.composer == p.dave
    # still away when the page is opened (the page reads the present moment)
    away(p.dave, p.roads_head, (2025, 4, 22, 12, 0), (2099, 1, 1, 0, 0))

    page = signed_in(p.roads_head).get(f"/cases/{case.pk}/").content.decode()
    assert "Подготовить проект" in page
    assert "Подготовить проект" not in signed_in(p.bob).get(f"/cases/{case.pk}/").content.decode()
    with pytest.raises(ActionRefused, match="Общий ответ готовит"):
        actions.submit_draft(p.bob, case, "answer", ANSWER, now=msk(2025, 4, 22, 12, 10))
    common = actions.submit_draft(p.roads_head, case, "answer", ANSWER, now=msk(2025, 4, 22, 12, 10))
    assert (common.author, common.kind) == (p.roads_head, Draft.Kind.ANSWER)
    assert deadline(case, "compose").met_at == msk(2025, 4, 22, 12, 10)


def test_r8_10_the_measures_of_a_repeats_part_are_kept(personas: Personas) -> None:
    """R-8.10 with R-8.9: a repeat sent to two bodies whose parts are published one by one. Each executor types
    the measures in the field the editor shows for a repeat; they are kept with the part, shown on the case page,
    and the curator can approve the part (before, they were dropped and the approval refused)."""
    p = personas
    first = dispatch(p.curator, p.health, at=msk(2025, 4, 15, 10, 0))
    routes = [Route(p.health, 1), Route(p.roads, 1)]
    case = actions.dispatch_case(
        p.curator,
        [message()],
        routes,
        repeat_of=first,
        multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE,
        now=msk(2025, 4, 22, 10, 0),
    )
    editor = f"/cases/{case.pk}/draft/"
    alice = signed_in(p.alice)
    assert "Принятые меры" in alice.get(editor).content.decode()
    response = alice.post(
        editor,
        {
            "kind": "part",
            "text": ANSWER,
            "measures": "Подрядчику выдано предписание.",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    part = case.drafts.get(kind="part", author=p.alice)
    assert part.measures == "Подрядчику выдано предписание."
    assert "Подрядчику выдано предписание." in alice.get(f"/cases/{case.pk}/").content.decode()

    actions.submit_draft(
        p.dave, case, "part", ANSWER, measures="Ямы заделаны 20.04.", now=msk(2025, 4, 22, 10, 40)
    )
    pending = case.drafts.get(state=Draft.State.SUBMITTED)  # the first part in the curator's order
    assert pending.measures
    actions.approve_draft(p.curator, pending, now=msk(2025, 4, 22, 10, 50))
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING


def test_r8_2_r8_9_a_new_body_named_after_a_refusal_is_waited_for_before_the_common_answer(
    personas: Personas,
) -> None:
    """R-8.2 with R-8.9: health sends its part; roads refuses, and the common answer falls to Алексеева with
    roads' question unanswered. The curator names the transport committee: the common answer waits for its
    part (Алексеева is told), and its executor, who sends the last part, composes it."""
    p = personas
    transport = Body.objects.create(name="Комитет по транспорту", short_name="Транспорт")
    egor = make_person("egor", transport, Role.Kind.EXECUTOR, last_name="Егоров")
    routes = [Route(p.health, 1), Route(p.roads, 1)]
    case = actions.dispatch_case(p.curator, [message()], routes, now=msk(2025, 4, 22, 10, 0))
    actions.submit_draft(p.alice, case, "part", "Поликлиника: терапевт с мая.", now=msk(2025, 4, 22, 10, 30))
    roads = case.assignments.get(body=p.roads)
    actions.reject_assignment(p.dave, roads, "Это автобусы, не дороги.", now=msk(2025, 4, 22, 10, 40))
    case.refresh_from_db()
    assert case.composer == p.alice

    new = actions.reassign(p.curator, roads, transport, now=msk(2025, 4, 22, 10, 50))
    case.refresh_from_db()
    assert case.composer is None
    assert deadline(case, "compose").cancelled_at == msk(2025, 4, 22, 10, 50)
    assert deadline(case, "part", open_only=True).responsible == egor
    assert any("пока не готовьте" in t and "Транспорт" in t for t in work_texts(p.alice, case))
    with pytest.raises(ActionRefused, match="когда все органы направят"):
        actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 22, 11, 0))

    actions.submit_draft(egor, case, "part", "Транспорт: автобус № 5 с мая.", now=msk(2025, 4, 22, 11, 30))
    case.refresh_from_db()
    assert case.composer == egor
    assert Assignment.objects.get(pk=new.pk).state == Assignment.State.PART_SUBMITTED
    assert deadline(case, "compose", open_only=True).responsible == egor


def test_r6_r7_1_an_answer_returned_by_the_head_goes_to_the_substitute(personas: Personas) -> None:
    """R-6 with R-7.1: under the Governor's post the head returns Алексеева's answer after she went away: the
    remark goes to Борисов, who substitutes, not to the absent author."""
    p = personas
    competence(p.health, *HEALTH_TOPIC)
    gov.set_require_approval(p.health, p.health_head, True)
    post = governor_post(governor_source(), msk(2025, 4, 22, 9, 0))
    service.open_watches(now=msk(2025, 4, 22, 9, 0))
    msg = comment(post, HEALTH_QUESTION, msk(2025, 4, 22, 9, 10))
    service.process_comments(now=msk(2025, 4, 22, 9, 15))
    case = Comment.objects.get(message=msg).case
    assert case is not None
    gov.submit_answer(case, p.alice, "Здравствуйте! Терапевт принимает с мая.", now=msk(2025, 4, 22, 9, 30))
    away(p.alice, p.bob, (2025, 4, 22, 9, 40), (2025, 4, 30, 0, 0))
    gov.return_answer(case, p.health_head, "Назовите дату.", now=msk(2025, 4, 22, 9, 50))
    assert any("возвращён: Назовите дату." in t for t in work_texts(p.bob, case))
    assert not any("возвращён" in t for t in work_texts(p.alice, case))


def test_r6_r7_3_the_authors_details_under_the_governors_post_reach_the_substitute(
    personas: Personas,
) -> None:
    """R-6 with R-7.3: Алексеева asked the author for details in an interim answer and went away; the details
    arrive at 10:40: the answer is due from Борисов 2 working hours later (12:40), and he is told."""
    p = personas
    competence(p.health, *HEALTH_TOPIC)
    post = governor_post(governor_source(), msk(2025, 4, 22, 9, 0))
    service.open_watches(now=msk(2025, 4, 22, 9, 0))
    msg = comment(post, HEALTH_QUESTION, msk(2025, 4, 22, 9, 10), author="201")
    service.process_comments(now=msk(2025, 4, 22, 9, 15))
    case = Comment.objects.get(message=msg).case
    assert case is not None
    gov.submit_answer(
        case, p.alice, "Здравствуйте! Уточните поликлинику.", interim=True, now=msk(2025, 4, 22, 9, 30)
    )
    gov.confirm_publication(
        case, method="manual", url=f"{post.url}?reply=78", actor=p.alice, now=msk(2025, 4, 22, 9, 40)
    )
    away(p.alice, p.bob, (2025, 4, 22, 10, 0), (2025, 4, 30, 0, 0))
    comment(post, "Поликлиника № 2 на Соборной.", msk(2025, 4, 22, 10, 40), author="201")
    service.process_comments(now=msk(2025, 4, 22, 10, 45))
    after = deadline(case, "gov_after_reply")
    assert (after.responsible, after.due_at) == (p.bob, msk(2025, 4, 22, 12, 40))
    assert any("Автор ответил" in t for t in work_texts(p.bob, case))
