"""«Направить выбранные одним обращением» (R-8.1) when a colleague has just sent one of the ticked messages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.org.models import Role
from tests.cases.helpers import message
from tests.conftest import Personas, make_person

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


def test_combining_messages_one_of_which_a_colleague_excluded_keeps_the_others_on_the_form(
    client: Client, personas: Personas
) -> None:
    """R-8.1 with R-10: the curator ticks three complaints; a colleague meanwhile excludes the earliest (an insult).
    «Направить выбранные» says who excluded it and why and puts the two others on the dispatch form, which can be
    sent (it opened on the excluded one with its button disabled, the two others unreachable). Found by a review
    (session 23)."""
    p = personas
    first = message("Яма на Киевской у дома 5, чиновники — уроды")
    second = message("Поддерживаю, яма у дома 5 огромная")
    third = message("И у дома 7 на Киевской тоже")
    colleague = Client()
    colleague.force_login(make_person("curator2", p.office, Role.Kind.CURATOR, last_name="Кузнецова"))
    excluded = colleague.post(
        reverse("cases:moderation", args=[first.pk]), {"decision": "block", "reason": "оскорбление"}
    )
    assert excluded.status_code == 302
    client.force_login(p.curator)
    response = client.get(
        reverse("cases:inbox"),
        {"combine": "1", "pick": [str(first.pk), str(second.pk), str(third.pk)]},
        follow=True,
    )
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("cases:dispatch", args=[second.pk]))
    assert f"№ {third.pk}" in page
    assert re.search(
        rf"Сообщение № {first.pk} исключено из работы куратором Кузнецова \w+ \d\d\.\d\d\.\d{{4}} в \d\d:\d\d, "
        r"причина: «оскорбление»: на форму не взято\. Остальные выбранные сообщения — на форме\.",
        page,
    ), page
    assert '<button type="submit">Направить в работу</button>' in page  # not disabled
