"""R-6: the home page's «Вы замещаете» names the people whose work one does. With a substitute who is away too, the
colleague who does the work through the chain is not told on his home page, while the named substitute — himself
away — is.

Scenario (relative to now): Алексеева is on sick leave from yesterday for three days, Борисов named her substitute.
Борисов went on leave an hour ago for two days, Чернов named his substitute. So now Алексеева's work is Чернов's
(`org.duty.on_duty`: Алексеева → Борисов, away → Чернов): her cases' reminders reach him «вместо ответственного»,
the case page says «работу выполняет Чернов», his «Мои обращения» says «Алексеева …: отсутствует — работу
выполняете вы».

Now: Чернов's home page says «Вы замещаете: Борисов …» only — Алексеева is missing; Борисов, on leave, reads «Вы
отмечены как отсутствующий» and at the same time «Вы замещаете: Алексеева».
Should: Чернов's «Вы замещаете» names Алексеева too (whose work he does now), and Борисов's, away, does not: her work
does not reach him (`web.views._substituting` lists whose work `on_duty` gives to the reader). Found by a review
(session 23).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.org.duty import on_duty
from otklik.org.models import Absence, Person
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _substituting(person: Person) -> str:
    client = Client()
    client.force_login(person)
    page = client.get(reverse("home")).content.decode()
    found = re.search(r"<strong>Вы замещаете:</strong>(.*?)</article>", page, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def test_the_colleague_doing_the_work_through_the_chain_is_told_whom_he_substitutes(
    personas: Personas,
) -> None:
    p = personas
    now = timezone.now()
    Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=3),
        substitute=p.bob,
    )
    Absence.objects.create(
        person=p.bob,
        reason=Absence.Reason.VACATION,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=2),
        substitute=p.charlie,
    )
    assert on_duty(p.alice, timezone.now()).person == p.charlie  # the work is Чернов's

    charlie = _substituting(p.charlie)
    assert str(p.alice) in charlie, (
        f"Чернов does Алексеева's work now, but his home page's «Вы замещаете» reads only: «{charlie}»"
    )
    assert str(p.bob) in charlie
    bob = _substituting(p.bob)
    assert str(p.alice) not in bob, (
        f"Борисов is on leave and her work is Чернов's, yet his page reads «{bob}»"
    )
