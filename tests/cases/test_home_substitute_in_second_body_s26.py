"""Found by a review (session 26), fixed since. R-6 (review 67): a substitute from the absent person's second body is not told on his home page whom he
substitutes.

Алексеева works for two bodies: «Здравоохранение» (her place of work) and «Дороги», where she is an executor too.
She goes on vacation and names Давыдов, an executor of «Дороги», her substitute — the form offers him and the save
takes him (`org.duty.may_substitute`: he works for a body she works for). A message for «Дороги» addressed to her
goes to Давыдов as her substitute (`on_duty(…, body_id=roads)`; the case records «работу выполняет замещающий
Давыдов»), and so do its reminders.

Давыдов's home page has no «Вы замещаете: Алексеева …»: `web.views._substituting` asks `on_duty(a.person, now)`
without the body, i.e. for «Здравоохранение», where he cannot act, and drops the absence — although he is the
one named on it and is doing her work on «Дороги»'s cases.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.org.models import Absence, Role
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_substitute_from_the_second_body_sees_whom_he_substitutes(personas: Personas, client: Client) -> None:
    p = personas
    Role.objects.create(person=p.alice, kind=Role.Kind.EXECUTOR, body=p.roads)
    now = timezone.now()
    Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.VACATION,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=10),
        substitute=p.dave,
    )
    case = actions.dispatch_case(p.curator, [message()], [actions.Route(p.roads, 1, p.alice)], now=now)
    a = case.assignments.get()
    assert (a.intended_executor, a.executor) == (p.alice, p.dave)  # he does her work on «Дороги»'s case

    client.force_login(p.dave)
    html = client.get(reverse("home")).content.decode()
    assert "Вы замещаете" in html and str(p.alice) in html, (
        "Давыдов's home page does not say he substitutes her"
    )
