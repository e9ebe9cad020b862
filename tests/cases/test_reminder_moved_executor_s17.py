"""Notifications of an executor (R-6, R-8.4, R-12): each leads to a case page its recipient can open."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import sla
from otklik.cases.models import Notification
from otklik.org.models import Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def test_reminder_goes_to_someone_who_can_open_the_case_after_the_executor_moved_to_another_body(
    personas: Personas,
) -> None:
    """R-6: Алексеева has the health body's case (draft due 15:45). The administrator moves her executor's role to
    roads (she is transferred; the admin's person page does it in one save). The sweep's reminder of the health
    body's R-8.4 deadline still goes to her alone (`_on_duty_for`: she is active and not absent, so «present»),
    and its link «Обращение № N» answers 404 to her; nobody in the health body (Борисов, Чернов, the head) is told.
    The same holds for the breach notice, and the violation is recorded on her."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    assert case.assignments.get().executor == p.alice
    Role.objects.filter(person=p.alice, body=p.health).update(body=p.roads)
    p.alice.body = p.roads
    p.alice.save(update_fields=["body"])

    sla.sweep(now=msk(2025, 4, 28, 13, 0))  # half of the 5 working hours of has passed
    reminders = list(
        Notification.objects.filter(case=case, kind=Notification.Kind.REMINDER).select_related("recipient")
    )
    assert reminders, "no reminder was sent at all"
    for n in reminders:
        client = Client()
        client.force_login(n.recipient)
        status = client.get(reverse("cases:detail", args=[case.pk])).status_code
        assert status == 200, (
            f"the reminder «{n.text}» went to {n.recipient}, whose link to the case gives {status}"
        )


def test_the_case_page_says_the_executor_moved_not_that_she_is_away(personas: Personas) -> None:
    """R-6: after Алексеева's role moved to roads, the health case's deadline reads «больше не работает в органе;
    работу выполняет …» on the case page, not «сейчас отсутствует» (she is at work, in another body)."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    Role.objects.filter(person=p.alice, body=p.health).update(body=p.roads)
    p.alice.body = p.roads
    p.alice.save(update_fields=["body"])
    client = Client()
    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "больше не работает в органе; работу выполняет" in page
    assert "сейчас отсутствует" not in page
