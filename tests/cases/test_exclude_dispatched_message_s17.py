"""R-10 exclusion from the dispatch form, when a colleague has just sent the same message to work (R-8.1)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_excluding_a_message_a_colleague_has_just_dispatched_says_which_case_has_it(
    client: Client, personas: Personas
) -> None:
    """The curator opened «Направить», unfolded «Исключить из работы (п. 10)» and typed the reason; meanwhile a
    colleague dispatched the message. Sending the form says which case has it and repeats the reason typed (it
    showed «Страница не найдена … или у вас нет к ней доступа», and the reason was gone)."""
    p = personas
    m = message(text="Вы там все … в администрации, уроды")
    client.force_login(p.curator)
    assert client.get(reverse("cases:dispatch", args=[m.pk])).status_code == 200
    case = actions.dispatch_case(p.curator, [m], [actions.Route(p.health)])  # the colleague's click
    response = client.post(
        reverse("cases:moderation", args=[m.pk]),
        {"decision": "block", "reason": "оскорбление сотрудников"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code != 404, "«Страница не найдена» instead of saying the message is in work"
    assert f"Сообщение уже направлено: обращение № {case.pk}, из работы оно не исключено." in page
    assert "Указанная причина: «оскорбление сотрудников»" in page  # what was typed is not lost
