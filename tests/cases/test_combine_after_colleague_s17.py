"""«Направить выбранные одним обращением» (R-8.1) when a colleague has just sent one of the ticked messages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_combining_messages_one_of_which_a_colleague_sent_keeps_the_others_on_the_form(
    client: Client, personas: Personas
) -> None:
    """The curator ticks three complaints about one pothole; a colleague meanwhile sends the earliest of them on its
    own. «Направить выбранные» says so and puts the two others on the dispatch form (it landed on the colleague's
    case page, the two others on no form, to be found and ticked again)."""
    p = personas
    first = message("Яма на Киевской у дома 5")
    second = message("Поддерживаю, яма у дома 5 огромная")
    third = message("И у дома 7 на Киевской тоже")
    taken = actions.dispatch_case(p.curator, [first], [actions.Route(p.roads)])  # the colleague
    client.force_login(p.curator)
    response = client.get(
        reverse("cases:inbox"),
        {"combine": "1", "pick": [str(first.pk), str(second.pk), str(third.pk)]},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0] != reverse("cases:detail", args=[taken.pk]), (
        "the curator is taken to the colleague's case; the other two ticked messages are dropped"
    )
    assert f"№ {second.pk}" in page and f"№ {third.pk}" in page
    assert (
        f"Сообщение № {first.pk} уже направлено: обращение № {taken.pk}. Остальные выбранные сообщения"
        in page
    )
