"""Parts published one by one when one of the bodies refuses (R-8.2, R-8.3, R-8.9, clause 8).

A refused body's share of the question is still owed until the curator names a new body: the parts already received
go to review and publication one by one, but the case does not close after the last of them is published — it waits
for the curator («нужен новый исполнитель», as after a single body's refusal), and the new body's part then follows
the same path; the R-8.3 total goes to the new body's executor, as in the common-answer modes.

Monday 03.03.2025 in the default schedule (09:00–18:00, lunch 13:00–13:45); every time below was counted by hand.
Health and roads both order 1, both receive the message Mon 10:00 (R-8.3 due Tue 04.03 10:45: Mon 10:00–13:00 and
13:45–18:00 = 7 h 15 min, Tue 09:00–10:45 = 1 h 45 min; R-8.2 window due 11:00). Health's part comes 10:30; roads
refuses 10:40, within its 60 minutes. Health's part goes to review (R-8.5 due 11:40), approved 11:00 (R-8.7 due 11:30),
published 11:20. The curator names culture in roads' place at 11:30: culture's R-8.3 total is due Tue 12:15 (Mon
11:30–13:00 and 13:45–18:00 = 5 h 45 min, Tue 09:00–12:15 = 3 h 15 min), its R-8.9 part Mon 17:15 (11:30–13:00 and
13:45–17:15 = 5 h). Culture's part 15:00 (review due 16:00), approved 15:20 (publication due 15:50), published 15:40."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions, sla
from otklik.cases.models import Assignment, Case, Deadline, Draft, Notification
from otklik.org.models import Body, Person, Role
from tests.cases.helpers import message, violations
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

HEALTH = "Здравствуйте, Ирина! Поликлиника откроется 1 июня."
CULTURE = "Здравствуйте, Ирина! Концерт в доме культуры перенесён на 10 марта."


def together(p: Personas) -> Case:
    """Health and roads, both order 1, parts published one by one, Monday 03.03 10:00."""
    routes = [actions.Route(p.health, 1), actions.Route(p.roads, 1)]
    msg = message("Когда откроется поликлиника и когда отремонтируют подъездную дорогу?")
    return actions.dispatch_case(
        p.curator, [msg], routes, now=msk(2025, 3, 3, 10, 0), multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE
    )


def in_review(case: Case) -> Draft:
    return case.drafts.get(state=Draft.State.SUBMITTED)


def publish(person: Person, draft: Draft, at: datetime, reply: int) -> None:
    actions.confirm_publication(person, draft, url=f"https://vk.com/wall-1_1?reply={reply}", now=at)


def overall(case: Case) -> list[tuple[str, str, object, object, object]]:
    """(body, responsible, started, due, met) of every R-8.3 deadline not withdrawn, in the order opened."""
    return [
        (str(d.body), d.responsible.username if d.responsible else "", d.started_at, d.due_at, d.met_at)
        for d in Deadline.objects.filter(case=case, stage=Deadline.Stage.OVERALL, cancelled_at__isnull=True)
        .select_related("body", "responsible")
        .order_by("id")
    ]


def refused_after_health_part(p: Personas) -> tuple[Case, Draft]:
    case = together(p)
    actions.submit_draft(p.alice, case, "part", HEALTH, now=msk(2025, 3, 3, 10, 30))
    roads = case.assignments.get(body=p.roads)
    actions.reject_assignment(
        p.dave, roads, "Дорога не наша, это вопрос культуры", now=msk(2025, 3, 3, 10, 40)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW  # health's received part is not held back by the refusal
    first = in_review(case)
    assert first.author == p.alice
    return case, first


def test_the_case_waits_for_a_new_body_after_the_received_part_is_published(p: Personas) -> None:
    """R-8.2, R-8.3, R-8.9: health's part published Mon 11:20 while roads' refusal is not yet replaced: the case does
    not close, it waits for the curator («нужен новый исполнитель»), who is told. The curator names culture at 11:30:
    Егорова receives the message with her own terms (R-8.3 Tue 12:15, R-8.9 part Mon 17:15), sends her part 15:00, it
    is approved 15:20 and published 15:40 — only then is the case closed. Everybody acted in time: the sweep on
    Thursday charges nobody, R-8.3 included."""
    culture = Body.objects.create(name="Комитет по культуре", short_name="Культура")
    eva = make_person("eva", culture, Role.Kind.EXECUTOR, last_name="Егорова")
    case, first = refused_after_health_part(p)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 3, 11, 0))
    publish(p.alice, first, msk(2025, 3, 3, 11, 20), 1)
    case.refresh_from_db()
    assert case.status == Case.Status.REROUTING and case.closed_at is None
    told = Notification.objects.filter(recipient=p.curator, case=case, created_at=msk(2025, 3, 3, 11, 20))
    assert any("Дороги" in n.text and "Назначьте другой орган" in n.text for n in told)
    # health's share was its part, in time; nobody carries the total while no body works on roads' share
    assert overall(case)[0][4] == msk(2025, 3, 3, 10, 30)
    assert not Deadline.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True).exists()

    roads = case.assignments.get(body=p.roads)
    new = actions.reassign(p.curator, roads, culture, now=msk(2025, 3, 3, 11, 30))
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert new.executor == eva and new.received_at == msk(2025, 3, 3, 11, 30)
    assert Notification.objects.filter(recipient=eva, case=case).exists()
    mine = {
        d.stage: d.due_at
        for d in Deadline.objects.filter(
            case=case, assignment=new, met_at__isnull=True, cancelled_at__isnull=True
        )
    }
    assert mine == {
        Deadline.Stage.REJECT_WINDOW: msk(2025, 3, 3, 12, 30),
        Deadline.Stage.OVERALL: msk(2025, 3, 4, 12, 15),
        Deadline.Stage.PART: msk(2025, 3, 3, 17, 15),
    }

    actions.submit_draft(eva, case, "part", CULTURE, now=msk(2025, 3, 3, 15, 0))
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW
    second = in_review(case)
    assert second.author == eva
    # the new body's part came last: Егорова carries culture's own total until it is published
    carried = Deadline.objects.get(
        case=case, stage=Deadline.Stage.OVERALL, met_at__isnull=True, cancelled_at__isnull=True
    )
    assert (carried.body, carried.responsible, carried.started_at, carried.due_at) == (
        culture,
        eva,
        msk(2025, 3, 3, 11, 30),
        msk(2025, 3, 4, 12, 15),
    )
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 3, 15, 20))
    publish(eva, second, msk(2025, 3, 3, 15, 40), 2)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closed_at == msk(2025, 3, 3, 15, 40)
    assert case.publications.count() == 2
    sla.sweep(now=msk(2025, 3, 6, 12, 0))
    assert violations(case) == []


def test_the_curator_asking_to_replace_during_review_is_told_when_it_can_be_done(p: Personas) -> None:
    """R-8.2, R-8.9: while health's part is in review (Mon 10:45) the curator tries to name culture in roads' place:
    refused with a clear Russian explanation that the new body is named once the received answer is published and
    that the case will wait for it — nothing changes. After the publication (11:20) the same replacement goes
    through."""
    culture = Body.objects.create(name="Комитет по культуре", short_name="Культура")
    make_person("eva", culture, Role.Kind.EXECUTOR, last_name="Егорова")
    case, first = refused_after_health_part(p)
    roads = case.assignments.get(body=p.roads)
    with pytest.raises(actions.ActionRefused) as refused:
        actions.reassign(p.curator, roads, culture, now=msk(2025, 3, 3, 10, 45))
    assert "опубликован" in refused.value.message and "не закроется" in refused.value.message
    assert not case.assignments.filter(body=culture).exists()
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 3, 11, 0))
    publish(p.alice, first, msk(2025, 3, 3, 11, 20), 3)
    actions.reassign(p.curator, roads, culture, now=msk(2025, 3, 3, 11, 30))
    assert case.assignments.get(body=culture).state == Assignment.State.ACTIVE


def test_a_body_whose_part_is_published_cannot_be_replaced(p: Personas) -> None:
    """R-8.9: while the case waits for a new body in roads' place, health's answer is already published: health's
    assignment is done, and replacing it (instead of roads) is refused with a clear message."""
    case, first = refused_after_health_part(p)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 3, 11, 0))
    publish(p.alice, first, msk(2025, 3, 3, 11, 20), 4)
    health = case.assignments.get(body=p.health)
    assert health.state == Assignment.State.DONE
    culture = Body.objects.create(name="Комитет по культуре", short_name="Культура")
    make_person("eva", culture, Role.Kind.EXECUTOR, last_name="Егорова")
    with pytest.raises(actions.ActionRefused, match="уже выполнил свою часть"):
        actions.reassign(p.curator, health, culture, now=msk(2025, 3, 3, 11, 30))


def test_the_curator_may_still_close_the_waiting_case(p: Personas) -> None:
    """R-8.2: the curator decides no other body is competent and closes the waiting case with a reason (Mon 11:30);
    nobody is charged afterwards."""
    case, first = refused_after_health_part(p)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 3, 11, 0))
    publish(p.alice, first, msk(2025, 3, 3, 11, 20), 5)
    actions.close_case(
        p.curator, case, "Вопрос о дороге решён в другом обращении", now=msk(2025, 3, 3, 11, 30)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    sla.sweep(now=msk(2025, 3, 6, 12, 0))
    assert violations(case) == []


def test_the_curator_replaces_the_refused_body_from_the_case_page(p: Personas, client: Client) -> None:
    """R-8.2, R-8.9, through the pages: after health's part is published (Mon 11:20) the case page shows the
    curator the replacement form for roads only (health's answer is out), and choosing culture names it."""
    culture = Body.objects.create(name="Комитет по культуре", short_name="Культура")
    eva = make_person("eva", culture, Role.Kind.EXECUTOR, last_name="Егорова")
    case, first = refused_after_health_part(p)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 3, 11, 0))
    publish(p.alice, first, msk(2025, 3, 3, 11, 20), 6)
    roads = case.assignments.get(body=p.roads)
    health = case.assignments.get(body=p.health)
    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "нужен новый исполнитель" in page
    assert reverse("cases:reassign", args=[case.pk, roads.pk]) in page
    assert reverse("cases:reassign", args=[case.pk, health.pk]) not in page
    case.refresh_from_db()
    reply = client.post(
        reverse("cases:reassign", args=[case.pk, roads.pk]),
        {"body": culture.pk, "version": case.version},
        follow=True,
    )
    assert f"Назначен орган «{culture}», исполнитель {eva}." in reply.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert case.assignments.get(body=culture).executor == eva


@pytest.fixture
def p(personas: Personas) -> Personas:
    return personas
