"""R-6, R-12 (a walk: a body's head could not move a case to another executor of the body; only the curator's
«Переназначить», which changes the body): the body's responsible official gives the body's work to another of its
executors from the case page. The open deadlines pass to the new executor, due when they were; both are told; the
timeline says who gave it; a late draft is then the new executor's violation."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import CaseEvent, Deadline, Notification
from otklik.org.models import Absence
from tests.cases.helpers import dispatch, violations
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)  # Monday


def test_r6_the_head_gives_the_work_to_another_executor(client: Client, personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    a = case.assignments.get()
    assert a.executor == p.alice
    draft_due = Deadline.objects.get(case=case, stage=Deadline.Stage.DRAFT).due_at

    client.force_login(p.health_head)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    form = re.search(r'<details data-testid="hand-over">.*?</details>', page, re.S)
    assert form is not None
    offered = re.findall(r'<option value="(\d+)">', form[0])
    assert offered == [str(p.bob.pk), str(p.charlie.pk)]  # the body's other executors, not Алексеева herself
    case.refresh_from_db()
    response = client.post(
        reverse("cases:hand_over", args=[case.pk, a.pk]), {"executor": p.bob.pk, "version": case.version}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.executor, a.intended_executor) == (p.bob, p.bob)
    draft = Deadline.objects.get(case=case, stage=Deadline.Stage.DRAFT)
    assert (draft.responsible, draft.due_at) == (p.bob, draft_due)  # the term does not start again
    event = CaseEvent.objects.get(case=case, action="hand_to_executor")
    assert (event.actor, event.label) == (p.health_head, "передано другому исполнителю органа")
    assert event.reason == f"{p.health}: исполнитель — {p.bob}; прежний исполнитель: {p.alice}"
    told = Notification.objects.get(recipient=p.bob, case=case, text__startswith="Вам передано обращение")
    assert told.deadline == draft and "направить проект (п. 8.4)" in told.text
    assert Notification.objects.filter(recipient=p.alice, case=case, text__contains="больше не ваша").exists()

    sla.sweep(now=msk(2025, 4, 29, 12, 0))  # the draft was due Monday 15:45 (5 working hours)
    assert ("R-8.4", "bob", "Здравоохранение") in violations(case)


def test_r6_only_the_bodys_head_or_a_curator_and_only_to_the_bodys_executor(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    a = case.assignments.get()
    with pytest.raises(
        ActionRefused,
        match="ответственное должностное лицо органа \\(или тот, кто его замещает\\) или куратор",
    ):
        actions.hand_to_executor(p.bob, a, p.charlie, now=MON)  # an executor cannot
    with pytest.raises(
        ActionRefused,
        match="ответственное должностное лицо органа \\(или тот, кто его замещает\\) или куратор",
    ):
        actions.hand_to_executor(p.roads_head, a, p.charlie, now=MON)  # another body's head cannot
    with pytest.raises(ActionRefused, match="не исполнитель органа"):
        actions.hand_to_executor(p.health_head, a, p.dave, now=MON)  # a roads executor
    with pytest.raises(ActionRefused, match="уже исполнитель"):
        actions.hand_to_executor(p.health_head, a, p.alice, now=MON)
    actions.hand_to_executor(p.curator, a, p.charlie, now=MON)
    a.refresh_from_db()
    assert a.executor == p.charlie
    actions.close_case(p.curator, case, "Вопрос снят", now=MON)
    with pytest.raises(ActionRefused, match="Куратор закрыл обращение"):
        actions.hand_to_executor(p.health_head, a, p.bob, now=MON)


def test_r6_an_executor_sees_no_hand_over_form(client: Client, personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    client.force_login(p.alice)
    assert (
        'data-testid="hand-over"' not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )


ANSWER = "Ирина, здравствуйте! Ремонт дороги на улице Ленина запланирован на июнь."


def test_r8_6_a_draft_returned_after_the_hand_over_is_the_new_executors_to_revise(personas: Personas) -> None:
    """R-8.6, R-12 (a review): Алексеева sent the draft, then the head gave the work to Борисов; the curator returns
    it: the revision's term, the notice and a late revision are Борисов's, not Алексеева's."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 30))
    actions.hand_to_executor(p.health_head, case.assignments.get(), p.bob, now=msk(2025, 4, 28, 10, 40))
    actions.return_draft(p.curator, draft, "Уточните сроки.", now=msk(2025, 4, 28, 10, 50))
    revise = Deadline.objects.get(case=case, stage=Deadline.Stage.REVISE)
    assert revise.responsible == p.bob
    assert Notification.objects.filter(recipient=p.bob, case=case, text__contains="возвращён").exists()
    assert not Notification.objects.filter(recipient=p.alice, case=case, text__contains="возвращён").exists()
    sla.sweep(now=msk(2025, 4, 28, 16, 0))
    assert ("R-8.6", "bob", "Здравоохранение") in violations(case)


def test_r6_handed_to_an_absent_executor_the_substitute_gets_it(client: Client, personas: Personas) -> None:
    """R-6 (a review): Борисов is on leave with Чернов named: the form marks Борисов away; handed to him, the work
    and its deadlines go to Чернов, who is told, and the assignment keeps who was meant and why."""
    p = personas
    Absence.objects.create(
        person=p.bob,
        reason="vacation",
        starts_at=msk(2025, 4, 28, 0, 0),
        ends_at=msk(2030, 5, 5, 18, 0),  # away still when the page is opened (the form reads the real clock)
        substitute=p.charlie,
    )
    case = dispatch(p.curator, p.health, at=MON)
    client.force_login(p.health_head)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'<option value="{p.bob.pk}">{p.bob} — отсутствует, получит замещающий</option>' in page
    a = actions.hand_to_executor(p.health_head, case.assignments.get(), p.bob, now=msk(2025, 4, 28, 10, 30))
    assert (a.intended_executor, a.executor) == (p.bob, p.charlie)
    assert "Борисов" in a.duty_note and "отсутствует" in a.duty_note
    assert Deadline.objects.get(case=case, stage=Deadline.Stage.DRAFT).responsible == p.charlie
    assert Notification.objects.filter(
        recipient=p.charlie, case=case, text__startswith="Вам передано обращение"
    ).exists()


def test_r6_handing_to_an_absent_executor_whose_substitute_already_works_it_is_refused(
    personas: Personas,
) -> None:
    """R-6 (a walk): Борисов is away and Алексеева, who has the case, is his substitute: handing it to him would change
    nothing, though the head was told it was done and Алексеева got «передано вам» and «больше не ваша» at once."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    Absence.objects.create(
        person=p.bob,
        reason="vacation",
        starts_at=msk(2025, 4, 28, 0, 0),
        ends_at=msk(2025, 5, 5, 18, 0),
        substitute=p.alice,
    )
    with pytest.raises(ActionRefused, match=r"его работу выполняет .* — нынешний исполнитель"):
        actions.hand_to_executor(p.health_head, case.assignments.get(), p.bob, now=msk(2025, 4, 28, 10, 30))
    assert not CaseEvent.objects.filter(case=case, action="hand_to_executor").exists()
    assert not Notification.objects.filter(case=case, text__contains="больше не ваша").exists()
