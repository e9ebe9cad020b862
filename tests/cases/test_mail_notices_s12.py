"""R-8.4, R-8.5 notices by mail: every notice of a case (new work, a reminder, a breach) was also e-mailed, with no
way to stop it; a person who works in the system all day now chooses on «Уведомления» whether they come by mail
too. In the system they always come; R-14 alerts and reports are mailed whatever the choice."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Notification
from otklik.notify.models import Mail
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте! Приём терапевта в поликлинике Кировска возобновится с 12 мая, запись по телефону 122."


def letters_to(address: str) -> int:
    return Mail.objects.filter(to=[address]).count()


def test_r8_5_a_curator_who_turns_mail_off_gets_the_notice_in_the_system_only(
    personas: Personas, client: Client
) -> None:
    p = personas
    p.curator.email = "curator@lenreg.example"
    p.curator.save(update_fields=["email"])
    client.force_login(p.curator)
    page = client.get(reverse("cases:notifications")).content.decode()
    assert '<input type="checkbox" name="mail_notices" value="1" checked>' in page
    assert "Присылать уведомления и на почту (curator@lenreg.example)" in page

    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 11, 0))
    assert letters_to("curator@lenreg.example") == 1  # the draft's announcement, mailed by default

    done = client.post(reverse("cases:notifications"), {}, follow=True)  # the box unticked
    assert "Уведомления будут приходить только в систему." in done.content.decode()
    assert '<input type="checkbox" name="mail_notices" value="1">' in done.content.decode()
    other = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    actions.submit_draft(p.alice, other, "answer", ANSWER, now=msk(2025, 4, 28, 11, 30))
    assert Notification.objects.filter(recipient=p.curator, case=other).count() == 1  # in the system
    assert letters_to("curator@lenreg.example") == 1  # no second letter

    back = client.post(reverse("cases:notifications"), {"mail_notices": "1", "kind": "work"})
    assert back["Location"] == reverse("cases:notifications") + "?kind=work"  # the list as it was shown
    third = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    actions.submit_draft(p.alice, third, "answer", ANSWER, now=msk(2025, 4, 28, 12, 0))
    assert letters_to("curator@lenreg.example") == 2


def test_without_an_address_the_page_says_notices_come_here_only(personas: Personas, client: Client) -> None:
    client.force_login(personas.alice)
    page = client.get(reverse("cases:notifications")).content.decode()
    assert "Адрес почты не указан: уведомления приходят только сюда." in page
    assert 'name="mail_notices"' not in page
