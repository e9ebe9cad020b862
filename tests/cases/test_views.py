"""The staff pages of the workflow and who may open them (R-4.2–4.3): an executor of another body gets 404
on every URL of a case; observers read only; the pages drive the real actions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case, Draft
from otklik.cases.scoping import cases_for
from otklik.org.models import Person
from tests.cases.helpers import classified, dispatch, message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db
ANSWER = "Здравствуйте, Ирина! Ремонт запланирован на июнь."


def login(client: Client, username: str) -> Client:
    client.force_login(Person.objects.get(username=username))
    return client


def every_case_url(case: Case) -> list[tuple[str, str]]:
    draft = case.drafts.first()
    a = case.assignments.first()
    assert draft is not None and a is not None
    return [
        ("get", reverse("cases:detail", args=[case.pk])),
        ("get", reverse("cases:draft", args=[case.pk])),
        ("get", reverse("cases:revise", args=[case.pk, draft.pk])),
        ("post", reverse("cases:review", args=[case.pk, draft.pk])),
        ("get", reverse("cases:publish", args=[case.pk, draft.pk])),
        ("post", reverse("cases:publish", args=[case.pk, draft.pk])),
        ("post", reverse("cases:reject", args=[case.pk, a.pk])),
        ("post", reverse("cases:reassign", args=[case.pk, a.pk])),
        ("post", reverse("cases:reply", args=[case.pk])),
        ("post", reverse("cases:close", args=[case.pk])),
    ]


def test_executor_of_another_body_gets_404_on_every_case_url(client: Client, personas: Personas) -> None:
    """R-4.2–4.3: dave (roads) cannot see a health case at all, whatever the URL or method."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    actions.return_draft(p.curator, draft, "Поправьте", now=msk(2025, 4, 28, 10, 10))
    login(client, "dave")
    for method, url in every_case_url(case):
        response = getattr(client, method)(url, {"reason": "x", "text": "x", "url": "https://vk.com/x"})
        assert response.status_code == 404, (method, url)
    case.refresh_from_db()
    assert case.status == Case.Status.REVISION
    assert reverse("cases:detail", args=[case.pk]) not in client.get(reverse("cases:list")).content.decode()


def test_scoping_helper_by_role(personas: Personas) -> None:
    """One helper decides: curators and observers see all, executors and responsible their bodies' cases."""
    p = personas
    health_case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    roads_case = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 9, 0))
    assert set(cases_for(p.curator)) == {health_case, roads_case}
    assert set(cases_for(p.observer)) == {health_case, roads_case}
    assert set(cases_for(p.alice)) == {health_case}
    assert set(cases_for(p.health_head)) == {health_case}
    assert set(cases_for(p.dave)) == {roads_case}


def test_observer_reads_but_cannot_act(client: Client, personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    login(client, "observer")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Согласовать" not in page and ANSWER in page
    client.post(reverse("cases:review", args=[case.pk, draft.pk]), {"decision": "approve"})
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW
    assert client.get(reverse("cases:inbox")).status_code == 404
    assert client.get(reverse("cases:review_queue")).status_code == 404


def test_curator_dispatches_from_the_inbox_and_executor_sees_it_in_the_queue(
    client: Client, personas: Personas
) -> None:
    """R-8.1 through the pages: the inbox lists the unrouted message; dispatch sends it to two bodies."""
    p = personas
    msg = message("В поликлинике Кировска нет записи к терапевту третью неделю")
    login(client, "curator")
    assert msg.text in client.get(reverse("cases:inbox")).content.decode()
    response = client.post(
        reverse("cases:dispatch", args=[msg.pk]),
        {
            **classified(),
            "body_1": p.health.pk,
            "order_1": 1,
            "body_2": p.roads.pk,
            "order_2": 2,
            "importance": "high",
            "shortened_hours": "2,5",
            "multi_mode": "common_by_curator",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.importance, case.shortened_minutes, case.multi_mode) == ("high", 150, "common_by_curator")
    assert [a.body for a in case.assignments.order_by("order")] == [p.health, p.roads]
    assert msg.text not in client.get(reverse("cases:inbox")).content.decode()
    client.logout()
    login(client, "alice")
    queue = client.get(reverse("cases:my_queue")).content.decode()
    assert (f"№ {case.pk}" in queue and "осталось" in queue) or "просрочено" in queue


def test_draft_editor_checks_the_text_and_the_curator_sees_the_findings(
    client: Client, personas: Personas
) -> None:
    """R-11 hook: the editor posts to answers:check as the text is typed; the score is stored on submit
    and the curator sees the checker's result at review."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    login(client, "alice")
    editor = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    assert reverse("answers:check") in editor and 'hx-trigger="input changed delay:500ms' in editor
    client.post(
        reverse("cases:draft", args=[case.pk]), {"kind": "answer", "text": ANSWER, "version": case.version}
    )
    draft = Draft.objects.get(case=case)
    assert draft.score is not None
    client.logout()
    login(client, "curator")
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "answer-check" in page and "Согласовать" in page


def test_stale_form_shows_a_clear_message(client: Client, personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    case.refresh_from_db()
    seen = case.version
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 10, 1))
    login(client, "curator")
    response = client.post(
        reverse("cases:review", args=[case.pk, draft.pk]),
        {"decision": "return", "comment": "x", "version": seen},
        follow=True,
    )
    assert "изменил другой сотрудник" in response.content.decode()


def test_the_draft_editor_shows_what_is_answered_and_by_when(client: Client, personas: Personas) -> None:
    """R-8.4: the executor writes the answer with the message in front of them — its author, whose name the
    checker asks for (R-11), the text and the link — and the deadlines of their body's work, the earliest first;
    not another body's deadlines of the same case."""
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 9, 0))
    login(client, "alice")
    page = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    answering = page.split('data-testid="answering"')[1].split("</section>")[0]
    msg = case.messages.get()
    assert "Ирина Петрова" in answering and msg.text in answering and msg.url in answering
    deadlines = answering.split('data-testid="deadlines"')[1]
    # the part: 5 working hours from 9:00 with the lunch break 13:00–13:45; the whole answer (9 h) the next day
    assert (
        "направить информацию для общего ответа (п. 8.9) (Здравоохранение) — до 28.04.2025 14:45" in deadlines
    )
    assert "подготовка и размещение ответа (п. 8.3) (Здравоохранение) — до 29.04.2025 09:45" in deadlines
    assert deadlines.index("28.04.2025 14:45") < deadlines.index("29.04.2025 09:45")
    assert "Дороги" not in deadlines  # the roads' turn and deadlines come later, and are theirs


def test_a_curators_queue_holds_the_approvals_she_answers_for(client: Client, personas: Personas) -> None:
    """R-8.5: the curator who dispatched the case approves its draft within an hour; that deadline is hers and
    is in her «Мои обращения и сроки», not only in the executor's."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    login(client, "curator")
    queue = client.get(reverse("cases:my_queue")).content.decode()
    assert f"№ {case.pk}" in queue and "согласовать или вернуть проект" in queue
    assert "Открытых сроков нет" not in queue
