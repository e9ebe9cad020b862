"""R-6: Иванова (here Алексеева) has the case and is on sick leave, her work done by the head; Борисов is on leave
with Алексеева as his substitute. The head hands the case to Борисов: the chain Борисов → Алексеева → the head ends
at the head herself, who already does the work, so it is refused like the simpler case («… нынешний исполнитель:
выберите другого»), nothing is recorded and nobody is told. Found by a walk through the demo (session 18): it was
taken, the head read «передана: исполнитель Борисов», became the stored executor herself, and the sick Алексеева was
told «Работа по нему больше не ваша»."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.actions import ActionRefused
from otklik.cases.models import CaseEvent, Notification
from otklik.org.models import Absence
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)  # Monday


def test_handing_to_an_absent_executor_whose_chain_ends_at_the_one_already_doing_it_is_refused(
    personas: Personas,
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    a = case.assignments.get()
    assert a.executor == p.alice
    Absence.objects.create(  # Алексеева falls ill: the head does her work
        person=p.alice,
        reason="sick_leave",
        starts_at=msk(2025, 4, 28, 10, 5),
        ends_at=msk(2025, 5, 2, 18, 0),
        substitute=p.health_head,
    )
    Absence.objects.create(  # Борисов is on leave, Алексеева named his substitute
        person=p.bob,
        reason="vacation",
        starts_at=msk(2025, 4, 28, 0, 0),
        ends_at=msk(2025, 5, 12, 18, 0),
        substitute=p.alice,
    )
    with pytest.raises(ActionRefused, match="выберите другого"):
        actions.hand_to_executor(p.health_head, a, p.bob, now=msk(2025, 4, 28, 10, 30))
    assert not CaseEvent.objects.filter(case=case, action="hand_to_executor").exists()
    assert not Notification.objects.filter(case=case, text__contains="больше не ваша").exists()


def test_the_page_names_who_got_the_work_when_the_chosen_executor_is_away(personas: Personas) -> None:
    """The head gives Алексеева's case to Борисов, on leave with Чернов as his substitute: the case goes to Чернов,
    and the page's confirmation names Чернов and why, not Борисов."""
    from datetime import timedelta

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    a = case.assignments.get()
    now = timezone.now()  # the page's action reads the real clock
    Absence.objects.create(
        person=p.bob,
        reason="vacation",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
        substitute=p.charlie,
    )
    client = Client()
    client.force_login(p.health_head)
    response = client.post(
        reverse("cases:hand_over", args=[case.pk, a.pk]),
        {"executor": p.bob.pk, "version": case.version},
        follow=True,
    )
    page = response.content.decode()
    a.refresh_from_db()
    assert a.executor == p.charlie and a.intended_executor == p.bob
    assert f"передана: исполнитель {p.charlie}" in page, page[:2000]


def test_the_colleague_doing_a_switched_off_executors_work_can_be_named_her_executor(
    personas: Personas,
) -> None:
    """Алексеева's account is switched off; Борисов, the body's first other executor, does her work meanwhile. The
    head names him the case's executor: taken (he is present and chosen by name), not refused as «его работу
    выполняет Борисов»."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    a = case.assignments.get()
    p.alice.is_active = False
    p.alice.save(update_fields=["is_active"])
    actions.hand_to_executor(p.health_head, a, p.bob, now=msk(2025, 4, 28, 10, 30))
    a.refresh_from_db()
    assert a.executor == p.bob
