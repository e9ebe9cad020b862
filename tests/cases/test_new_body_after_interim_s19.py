"""R-8.2 with R-8.8 and R-8.9. Two bodies, the common answer by the last one; the second body refuses, the first
body's executor, now composing, gives the author an interim common answer, and the curator names a new body in place
of the one that refused: it owes its information within its own 5 working hours (and may refuse within 60 minutes).
Meanwhile the composer's request for clarification goes to review, to publication, and waits for the author.

The new body now sends its information, or says it is not its competence, whatever the case's status: the case page
offers it «Направить информацию органа» and «Не наша компетенция», the editor takes the part, the case stays where
it is (the composer's request is still on review), and the composer is told the information came. A body that owes
nothing is still refused outside «подготовка проекта». Found by a review (session 19)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Assignment, Case, Deadline, Notification, Violation
from otklik.org.models import Body, Person, Role
from tests.cases.helpers import COMMON_INTERIM, dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def _new_body_while_the_request_is_on_review(p: Personas) -> tuple[Case, Body, Person]:
    social = Body.objects.create(name="Комитет по социальной защите населения", short_name="Соцзащита")
    eve = make_person("eve", social, Role.Kind.EXECUTOR, last_name="Евдокимова")
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0))
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.reject_assignment(
        p.dave, case.assignments.get(body=p.roads), "Выплаты — соцзащита", now=msk(2025, 4, 28, 11, 30)
    )
    interim = actions.submit_draft(p.alice, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 12, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 28, 12, 20))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=998", now=msk(2025, 4, 28, 12, 30)
    )
    actions.reassign(p.curator, case.assignments.get(body=p.roads), social, now=msk(2025, 4, 28, 14, 0))
    # the composer asks the author for the address meanwhile
    actions.submit_draft(
        p.alice,
        case,
        "clarification",
        "Здравствуйте, Ирина! Уточните, пожалуйста, адрес.",
        now=msk(2025, 4, 28, 14, 30),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW
    return case, social, eve


def test_a_body_named_after_the_interim_answer_can_send_its_part_while_the_composers_request_is_on_review(
    personas: Personas,
) -> None:
    p = personas
    case, social, eve = _new_body_while_the_request_is_on_review(p)

    try:
        actions.submit_draft(eve, case, "part", "Пособие назначат в мае.", now=msk(2025, 4, 28, 15, 0))
    except ActionRefused as exc:
        sla.sweep(now=msk(2025, 4, 29, 10, 5))  # its 5 working hours run out meanwhile
        charged = Violation.objects.filter(case=case, body=social).exists()
        pytest.fail(
            f"the new body «Соцзащита» cannot send its information: «{exc.message}»"
            + ("; and its term is recorded as its violation" if charged else "")
        )

    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW  # the composer's request is still on review: nothing moved back
    assert case.assignments.get(body=social).state == Assignment.State.PART_SUBMITTED
    assert not Deadline.objects.filter(
        case=case, body=social, stage=Deadline.Stage.PART, met_at__isnull=True
    ).exists()
    told = Notification.objects.filter(recipient=p.alice, case=case, text__contains="Соцзащита")
    assert any("учтите её в окончательном ответе" in n.text for n in told), [n.text for n in told]
    sla.sweep(now=msk(2025, 4, 29, 10, 5))
    assert not Violation.objects.filter(case=case, body=social).exists()


def test_the_new_body_sends_its_part_while_the_case_waits_for_the_author(personas: Personas) -> None:
    p = personas
    case, _social, eve = _new_body_while_the_request_is_on_review(p)
    request = case.drafts.get(kind="clarification")
    actions.approve_draft(p.curator, request, now=msk(2025, 4, 28, 14, 40))
    actions.confirm_publication(
        p.alice, request, url="https://vk.com/wall-1_1?reply=999", now=msk(2025, 4, 28, 14, 50)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR

    actions.submit_draft(eve, case, "part", "Пособие назначат в мае.", now=msk(2025, 4, 28, 15, 0))
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR


def test_the_new_body_may_refuse_while_the_composers_request_is_on_review(personas: Personas) -> None:
    p = personas
    case, social, eve = _new_body_while_the_request_is_on_review(p)
    a = case.assignments.get(body=social)

    actions.reject_assignment(eve, a, "Пособия — не наша компетенция", now=msk(2025, 4, 28, 14, 45))

    a.refresh_from_db()
    case.refresh_from_db()
    assert a.state == Assignment.State.REJECTED
    assert case.status == Case.Status.REVIEW
    assert Notification.objects.filter(
        recipient=p.curator, case=case, text__contains="Отказ органа «Соцзащита»"
    ).exists()
    sla.sweep(now=msk(2025, 4, 29, 10, 5))
    assert not Violation.objects.filter(case=case, body=social).exists()  # within its 60 minutes: no breach


def test_a_body_that_owes_nothing_is_still_refused_outside_drafting(personas: Personas) -> None:
    p = personas
    case, _social, _eve = _new_body_while_the_request_is_on_review(p)
    with pytest.raises(ActionRefused) as part:
        actions.submit_draft(p.bob, case, "part", "Ещё сведения.", now=msk(2025, 4, 28, 15, 0))
    assert part.value.code == "state"
    with pytest.raises(ActionRefused) as refusal:
        actions.reject_assignment(
            p.alice, case.assignments.get(body=p.health), "Не наше", now=msk(2025, 4, 28, 15, 0)
        )
    assert refusal.value.code == "state"


def test_the_case_page_and_the_editor_offer_the_new_body_its_part(personas: Personas) -> None:
    p = personas
    case, social, eve = _new_body_while_the_request_is_on_review(p)
    client = Client()
    client.force_login(eve)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Направить информацию органа" in page
    assert reverse("cases:reject", args=[case.pk, case.assignments.get(body=social).pk]) in page
    editor = client.get(reverse("cases:draft", args=[case.pk]))
    assert editor.status_code == 200
    assert 'value="part"' in editor.content.decode()
    case.refresh_from_db()
    sent = client.post(
        reverse("cases:draft", args=[case.pk]),
        {"kind": "part", "text": "Пособие назначат в мае.", "version": case.version},
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    assert case.drafts.filter(kind="part", assignment__body=social).exists()
    # the composer's body sees no such offer
    client.force_login(p.alice)
    assert (
        "Направить информацию органа"
        not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
