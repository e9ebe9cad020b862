"""Found by a review (session 25), fixed since. R-8.1: «Направить выбранные одним обращением» — the curator ticked three comments about one issue, the form
opened for the earliest one with the other two ticked beside it; she chose the body, topic, place and high
importance. Meanwhile a colleague sent the earliest comment alone. She presses «Направить в работу».

Now: the page only says «Сообщение уже направлено: обращение № N» and opens the colleague's case, which holds the
earliest comment only. The two other ticked comments are not sent and not mentioned: nothing tells her they are
still waiting in the inbox (nor that her choices were not applied), while she believes she sent them with it.
When one of the *other* ticked comments is taken meanwhile, the same form refuses and names it
(`left_inbox`: «so that none leaves the case unsaid»); the lead is the one case left silent.
Expected: the messages ticked with it and not sent are named (still in the inbox, to send or add), or the form
comes back for them with her choices.
Source: src/otklik/cases/views.py `dispatch` (the early `routed` check redirects with one flash about the lead,
before `also` is read).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case, CaseMessage
from otklik.org.models import Role
from tests.cases.helpers import classified, vk_comment
from tests.cases.test_explore_ui import flashes
from tests.conftest import Personas, make_person

pytestmark = pytest.mark.django_db


def test_other_ticked_messages_are_named_when_the_lead_was_sent_by_a_colleague(
    client: Client, personas: Personas
) -> None:
    p = personas
    first = vk_comment(10, "Ирина", "На улице Чехова в Гатчине третий день нет воды. Когда дадут?")
    second = vk_comment(11, "Олег", "Чехова, 5 — тоже без воды, дети не мылись.")
    third = vk_comment(12, "Анна", "На Чехова нет воды с понедельника!")

    client.force_login(p.curator)
    opened = client.get(
        reverse("cases:inbox"), {"combine": "1", "pick": [first.pk, second.pk, third.pk]}, follow=True
    )
    assert opened.resolver_match.url_name == "dispatch"
    assert opened.resolver_match.kwargs["message_pk"] == first.pk

    colleague = make_person("curator2", p.office, Role.Kind.CURATOR)
    taken = actions.dispatch_case(colleague, [first], [actions.Route(p.health, 1)])  # meanwhile, alone

    sent = client.post(
        reverse("cases:dispatch", args=[first.pk]),
        {
            "also": [second.pk, third.pk],
            "offered": [second.pk, third.pk],
            "body_1": p.health.pk,
            "importance": "high",
            **classified(),
        },
        follow=True,
    )
    assert Case.objects.count() == 1 and CaseMessage.objects.filter(case=taken).count() == 1
    said = " ".join(flashes(sent))
    assert taken.pk not in (second.pk, third.pk)
    assert f"№ {second.pk}" in said and f"№ {third.pk}" in said, (
        f"the comments № {second.pk} and № {third.pk}, ticked with the lead, were not sent and the page says only: "
        f"{said!r}"
    )
