"""Clause 8 audited sub-point by sub-point, at the edges the scenario tests do not reach: a refusal among several
bodies (R-8.2 with R-8.9), a body replaced before its turn, an interim answer followed by another interim answer or
by a clarification request (R-8.8). Monday 03.03.2025: working hours 09:00–18:00, lunch 13:00–13:45; Friday until
16:45; 8 March 2025 is a Saturday (no day moved). Every due time below was counted by hand.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused, Route
from otklik.cases.models import Assignment, Case, Deadline, Draft, Notification
from otklik.org.models import Body, Role
from tests.cases.helpers import deadline, message, violations
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Ремонт участка улицы Соборной в Гатчине запланирован на июнь."
INTERIM = "Здравствуйте, Ирина! Мы запросили сведения у подрядчика и ответим, как только их получим."


def work_texts(person: object, case: Case) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person, case=case, kind=Notification.Kind.WORK).values_list(
            "text", flat=True
        )
    )


def publish(actor: object, draft: Draft, at: object, n: int) -> None:
    actions.confirm_publication(actor, draft, url=f"https://vk.com/wall-1_1?reply={n}", now=at)  # type: ignore[arg-type]


def test_r8_2_r8_9_when_the_first_body_in_order_refuses_the_next_one_receives_the_message(
    personas: Personas,
) -> None:
    """R-8.2 with R-8.9: the curator sends the message to health first, then roads. Health refuses at 10:30: roads'
    turn has come, so Давыдов receives it then and is told, with his 5-working-hour limit for his part (16:15, lunch
    skipped) and the 9-hour answer limit (Tuesday 11:15). Before, the refusal left roads waiting for ever: nobody was
    told, no deadline ran, and the case looked as if work went on."""
    p = personas
    routes = [Route(p.health, 1), Route(p.roads, 2)]
    case = actions.dispatch_case(p.curator, [message()], routes, now=msk(2025, 3, 3, 10, 0))
    assert work_texts(p.dave, case) == []
    health = case.assignments.get(body=p.health)
    actions.reject_assignment(p.alice, health, "Ремонт дорог — дорожный комитет", now=msk(2025, 3, 3, 10, 30))

    roads = case.assignments.get(body=p.roads)
    assert (roads.state, roads.executor, roads.received_at) == (
        Assignment.State.ACTIVE,
        p.dave,
        msk(2025, 3, 3, 10, 30),
    )
    assert any("Новое обращение" in t for t in work_texts(p.dave, case))
    part = deadline(case, "part", open_only=True)
    assert (part.responsible, part.due_at) == (p.dave, msk(2025, 3, 3, 16, 15))
    assert deadline(case, "overall", open_only=True).due_at == msk(2025, 3, 4, 11, 15)

    # The curator has not named a body for health's question yet: roads sends its part, and (the last to send)
    # writes the common answer.
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в июне.", now=msk(2025, 3, 3, 11, 0))
    case.refresh_from_db()
    assert case.composer == p.dave
    common = actions.submit_draft(p.dave, case, "answer", ANSWER, now=msk(2025, 3, 3, 11, 30))
    actions.approve_draft(p.curator, common, now=msk(2025, 3, 3, 11, 40))
    publish(p.dave, common, msk(2025, 3, 3, 11, 50), 5)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    sla.sweep(now=msk(2025, 3, 5, 12, 0))
    assert violations(case) == []


def test_r8_9_a_body_left_alone_by_a_refusal_sends_its_part_and_is_not_charged_for_it(
    client: Client, personas: Personas
) -> None:
    """R-8.2 with R-8.9: health and roads receive the message together at 10:00 (each part due at 15:45); health
    refuses at 10:30. Roads' page still asks for its part, and Давыдов sends it at 14:00, in time: no R-8.9
    violation at 16:00. Before, the part was refused («нужна, только когда … нескольким органам»), the page offered a
    plain answer instead, and roads' part deadline ran on into a violation although the answer went in time."""
    p = personas
    routes = [Route(p.health, 1), Route(p.roads, 1)]
    case = actions.dispatch_case(p.curator, [message()], routes, now=msk(2025, 3, 3, 10, 0))
    health = case.assignments.get(body=p.health)
    actions.reject_assignment(p.alice, health, "Ремонт дорог — дорожный комитет", now=msk(2025, 3, 3, 10, 30))

    client.force_login(p.dave)
    page = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    assert 'value="part"' in page and 'value="answer"' not in page
    with pytest.raises(ActionRefused, match="когда все органы направят"):
        actions.submit_draft(p.dave, case, "answer", ANSWER, now=msk(2025, 3, 3, 13, 50))

    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в июне.", now=msk(2025, 3, 3, 14, 0))
    assert deadline(case, "part").state_label == "выполнен в срок"
    compose = deadline(case, "compose", open_only=True)
    assert (compose.responsible, compose.due_at) == (p.dave, msk(2025, 3, 4, 10, 0))
    sla.sweep(now=msk(2025, 3, 3, 16, 0))
    assert violations(case) == []


def test_r8_9_a_body_replaced_before_its_turn_receives_the_message_when_its_turn_comes(
    personas: Personas,
) -> None:
    """R-8.9: the curator sets the order — health first, then roads. Before roads' turn the curator replaces roads by
    the social committee (10:30): the new body waits for its turn like roads did (no deadline, nobody told), and
    receives the message when health sends its part at 11:00, its part due at 16:45. Before, it was started at once,
    beside health, out of the curator's order and with its clock running from 10:30."""
    p = personas
    social = Body.objects.create(name="Комитет по социальной защите населения", short_name="Соцзащита")
    sam = make_person("sam", social, Role.Kind.EXECUTOR, last_name="Семёнов")
    routes = [Route(p.health, 1), Route(p.roads, 2)]
    case = actions.dispatch_case(p.curator, [message()], routes, now=msk(2025, 3, 3, 10, 0))
    roads = case.assignments.get(body=p.roads)

    new = actions.reassign(p.curator, roads, social, now=msk(2025, 3, 3, 10, 30))
    new.refresh_from_db()
    assert (new.state, new.order, new.received_at) == (Assignment.State.WAITING, 2, None)
    assert not Deadline.objects.filter(case=case, assignment=new).exists()
    assert work_texts(sam, case) == []

    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 3, 3, 11, 0))
    new.refresh_from_db()
    assert (new.state, new.executor, new.received_at) == (
        Assignment.State.ACTIVE,
        sam,
        msk(2025, 3, 3, 11, 0),
    )
    part = deadline(case, "part", open_only=True)
    assert (part.responsible, part.started_at, part.due_at) == (
        sam,
        msk(2025, 3, 3, 11, 0),
        msk(2025, 3, 3, 16, 45),
    )
    assert any("Новое обращение" in t for t in work_texts(sam, case))


def test_r8_8_a_second_interim_answer_does_not_move_the_final_answer_deadline(personas: Personas) -> None:
    """R-8.8: the final draft is due within 7 working days of the interim answer: published Monday 03.03 at 11:20,
    due Wednesday 12.03 at 18:00 (04–07.03, 10–12.03). A second interim answer on 11.03 is not the final draft: the
    limit stays, and the sweep on 13.03 records Алексеева's violation. Before, the second interim answer «met» the
    deadline and opened a new one of 7 more days, so interim answers could put the final one off for ever."""
    p = personas
    case = actions.dispatch_case(p.curator, [message()], [Route(p.health)], now=msk(2025, 3, 3, 10, 0))
    first = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2025, 3, 3, 11, 0))
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 3, 11, 10))
    publish(p.alice, first, msk(2025, 3, 3, 11, 20), 1)
    assert deadline(case, "final").due_at == msk(2025, 3, 12, 18, 0)

    second = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2025, 3, 11, 11, 0))
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 11, 11, 10))
    publish(p.alice, second, msk(2025, 3, 11, 11, 20), 2)
    finals = Deadline.objects.filter(case=case, stage=Deadline.Stage.FINAL)
    assert [(d.due_at, d.state_label) for d in finals] == [(msk(2025, 3, 12, 18, 0), "идёт")]

    sla.sweep(now=msk(2025, 3, 12, 17, 59))
    assert violations(case) == []
    sla.sweep(now=msk(2025, 3, 13, 9, 30))
    assert violations(case) == [("R-8.8", "alice", "Здравоохранение")]

    final = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 3, 13, 10, 0))
    assert deadline(case, "final").state_label == "выполнен с нарушением"
    actions.approve_draft(p.curator, final, now=msk(2025, 3, 13, 10, 10))
    publish(p.alice, final, msk(2025, 3, 13, 10, 20), 3)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert violations(case) == [("R-8.8", "alice", "Здравоохранение")]


def test_r8_8_the_final_answer_clock_runs_while_a_clarification_request_waits_for_the_author(
    personas: Personas,
) -> None:
    """R-8.8 with R-8.4: after the interim answer (03.03, final draft due 12.03 18:00) Алексеева asks the author for
    details. The request is not the final draft: the 7 working days keep running while the case waits for the
    author, and the final draft after his reply on 13.03 is late. Before, the request «met» the R-8.8 deadline and
    the final answer had no limit at all."""
    p = personas
    case = actions.dispatch_case(p.curator, [message()], [Route(p.health)], now=msk(2025, 3, 3, 10, 0))
    interim = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2025, 3, 3, 11, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 3, 3, 11, 10))
    publish(p.alice, interim, msk(2025, 3, 3, 11, 20), 1)
    request = actions.submit_draft(
        p.alice, case, "clarification", "Здравствуйте! Уточните номер дома.", now=msk(2025, 3, 5, 10, 0)
    )
    actions.approve_draft(p.curator, request, now=msk(2025, 3, 5, 10, 10))
    publish(p.alice, request, msk(2025, 3, 5, 10, 20), 2)
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert deadline(case, "final").state_label == "идёт"

    sla.sweep(now=msk(2025, 3, 13, 9, 30))
    assert violations(case) == [("R-8.8", "alice", "Здравоохранение")]


def test_r8_8_the_executor_answers_without_the_authors_details_before_the_seven_days_run_out(
    personas: Personas, client: Client
) -> None:
    """R-8.8: after the interim answer (03.03, final draft due 12.03 18:00) Алексеева asks the author for details;
    he does not answer. On 11.03 she presses «Готовить ответ без уточнения автора» on the case page: drafting
    reopens with its 5 working hours (R-8.4, until 11.03 15:45), her final answer goes in at 14:00, and no R-8.8
    violation is recorded. Before, the case waited for the author with no way to answer, and the 7 days ran out on
    her."""
    p = personas
    case = actions.dispatch_case(p.curator, [message()], [Route(p.health)], now=msk(2025, 3, 3, 10, 0))
    interim = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2025, 3, 3, 11, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 3, 3, 11, 10))
    publish(p.alice, interim, msk(2025, 3, 3, 11, 20), 1)
    request = actions.submit_draft(
        p.alice, case, "clarification", "Здравствуйте! Уточните номер дома.", now=msk(2025, 3, 5, 10, 0)
    )
    actions.approve_draft(p.curator, request, now=msk(2025, 3, 5, 10, 10))
    publish(p.alice, request, msk(2025, 3, 5, 10, 20), 2)

    client.force_login(p.alice)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Готовить ответ без уточнения автора" in page
    case.refresh_from_db()
    actions.answer_without_author(p.alice, case, now=msk(2025, 3, 11, 10, 0), expected_version=case.version)
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert deadline(case, "draft").due_at == msk(2025, 3, 11, 15, 45)
    assert f"Подготовьте ответ по обращению № {case.pk} без уточнения автора." in work_texts(p.alice, case)

    final = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 3, 11, 14, 0))
    actions.approve_draft(p.curator, final, now=msk(2025, 3, 11, 14, 30))
    publish(p.alice, final, msk(2025, 3, 11, 14, 40), 3)
    sla.sweep(now=msk(2025, 3, 13, 9, 30))
    assert violations(case) == []


def test_answering_without_the_author_is_refused_when_the_case_is_not_waiting_for_him(
    personas: Personas, client: Client
) -> None:
    """The button's action on a case being drafted changes nothing and says why in Russian."""
    p = personas
    case = actions.dispatch_case(p.curator, [message()], [Route(p.health)], now=msk(2025, 3, 3, 10, 0))
    client.force_login(p.alice)
    response = client.post(
        reverse("cases:without_author", args=[case.pk]), {"version": case.version}, follow=True
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert "без уточнения автора" not in " ".join(str(m) for m in response.context["messages"])
    assert list(response.context["messages"])


def test_r8_8_the_authors_reply_after_the_answer_went_on_without_it_joins_the_case(
    personas: Personas, client: Client
) -> None:
    """R-8.8, R-8.4: Алексеева went on without the author's details on 11.03 10:00 (draft due 15:45); at 11:00 the
    author answers after all. The reply is added on the case page and she is told; her draft deadline stays as it
    was (nothing restarts), and the form stays for a further reply (session 25)."""
    p = personas
    case = actions.dispatch_case(p.curator, [message()], [Route(p.health)], now=msk(2025, 3, 3, 10, 0))
    request = actions.submit_draft(
        p.alice, case, "clarification", "Здравствуйте! Уточните номер дома.", now=msk(2025, 3, 3, 11, 0)
    )
    actions.approve_draft(p.curator, request, now=msk(2025, 3, 3, 11, 10))
    publish(p.alice, request, msk(2025, 3, 3, 11, 20), 1)
    case.refresh_from_db()
    actions.answer_without_author(p.alice, case, now=msk(2025, 3, 11, 10, 0), expected_version=case.version)

    client.force_login(p.alice)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Добавить ответ автора на запрос" in page
    assert "Готовить ответ без уточнения автора" not in page
    case.refresh_from_db()
    response = client.post(
        reverse("cases:reply", args=[case.pk]),
        {"text": "Дом 5, подъезд 2.", "url": "", "version": case.version},
        follow=True,
    )
    assert "Ответ автора добавлен" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert case.case_messages.filter(is_author_reply=True, message__text="Дом 5, подъезд 2.").exists()
    assert deadline(case, "draft", open_only=True).due_at == msk(2025, 3, 11, 15, 45)
    assert any("учтите его ответ" in t for t in work_texts(p.alice, case))
    again = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # the author may add details in a further message: the form stays while the answer is prepared (session 25)
    assert "Добавить ответ автора на запрос" in again
