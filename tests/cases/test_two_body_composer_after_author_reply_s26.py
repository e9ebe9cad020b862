"""Found by a review (session 26), fixed since. R-6 with R-8.9 and R-8.4 (review 80): a composer who works for two bodies — after the author's reply the common
answer becomes the other body's work.

Алексеева is an executor of «Здравоохранение» (her place of work, her card) and of «Дороги». A message goes on
Monday 28.04.2025 10:00 to «Здравоохранение» (Борисов), then «Дороги» (Алексеева), the last executor composing the
common answer (R-8.9). Both parts are in by 12:00: the common answer is «Дороги»'s, composed by Алексеева for it
(the COMPOSE deadline names «Дороги»). She asks the author for details (a clarification request, approved and
published); the author answers at 14:00 and drafting reopens (`actions._reopen_drafting`).

The reopened composing deadline is now given to «Здравоохранение» — `body = … responsible.body` takes the body on the
composer's card instead of the body the common answer is composed for (`actions._compose_body`). So the
head of «Дороги» (Романов), who answers for his body's common answer, has nothing in «Мои обращения» and 0 on his
home page, while Борисов of «Здравоохранение», whose part is long sent, sees the common answer as his work
(«Обращения в работе 1»).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import Case
from otklik.org.models import Role
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _in_work(client: Client) -> int:
    html = client.get(reverse("home")).content.decode()
    found = re.search(r'data-testid="in-work">.*?<strong>(\d+)</strong>', html)
    assert found, html
    return int(found.group(1))


def test_reopened_common_answer_stays_with_the_body_it_is_composed_for(
    personas: Personas, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    Role.objects.create(person=p.alice, kind=Role.Kind.EXECUTOR, body=p.roads)
    case = actions.dispatch_case(
        p.curator,
        [message()],
        [actions.Route(p.health, 1, p.bob), actions.Route(p.roads, 2, p.alice)],
        now=msk(2025, 4, 28, 10, 0),
    )
    actions.submit_draft(p.bob, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.alice, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 12, 0))
    request = actions.submit_draft(
        p.alice,
        case,
        "clarification",
        "Здравствуйте, Ирина! Уточните, пожалуйста, номер дома.",
        now=msk(2025, 4, 28, 12, 30),
    )
    actions.approve_draft(p.curator, request, now=msk(2025, 4, 28, 12, 40))
    actions.confirm_publication(
        p.alice, request, url="https://vk.com/wall-1_1?reply=9001", now=msk(2025, 4, 28, 12, 50)
    )
    actions.register_author_reply(
        p.curator, case, message(text="Дом 5, улица Мира."), now=msk(2025, 4, 28, 14, 0)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING and case.composer == p.alice
    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 4, 28, 15, 0))

    client.force_login(p.roads_head)
    roads_queue = client.get(reverse("cases:my_queue")).content.decode()
    roads_count = _in_work(client)
    client.force_login(p.bob)
    bob_queue = client.get(reverse("cases:my_queue")).content.decode()
    bob_count = _in_work(client)

    assert (f'data-case="{case.pk}"' in roads_queue, roads_count) == (True, 1), (
        "the head of «Дороги» does not see his body's common answer as work"
    )
    assert (f'data-case="{case.pk}"' in bob_queue, bob_count) == (False, 0), (
        "Борисов («Здравоохранение», his part sent) is shown the common answer as his work"
    )
