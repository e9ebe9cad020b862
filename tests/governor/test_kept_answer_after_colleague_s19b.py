"""R-7.2: an answer refused on the Governor's post page is kept in the part's form only until an answer of the part
is taken — by her or by a colleague, here or on the case page: after a colleague's answer was taken (and returned
with a new remark), her old, superseded text is not offered again as «сохранён после отказа». The kept text
carries the part's last answer at the refusal. Found by a review (session 19, second round)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_a_text_refused_before_a_colleagues_answer_was_taken_is_not_offered_again(personas: Personas) -> None:
    from otklik.governor import actions as gov_actions
    from otklik.org.models import Role
    from tests.conftest import make_person
    from tests.governor.helpers import HEALTH_TOPIC, ROADS_TOPIC, competence
    from tests.governor.test_join_flow import roads_question

    p = personas
    competence(p.health, *HEALTH_TOPIC)
    competence(p.roads, *ROADS_TOPIC)
    erin = make_person("erin", p.roads, Role.Kind.EXECUTOR, last_name="Ершова")
    gov_actions.set_require_approval(p.roads, p.roads_head, True)
    case, c = roads_question(p)
    page_url = reverse("governor:post", args=[c.watch_id])
    client = Client()
    client.force_login(erin)
    page = client.get(page_url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page)
    seen = re.search(r'name="seen" value="(\d+)"', page)
    assert version and seen
    gov_actions.submit_answer(case, p.dave, "Дорогу отремонтируют.", now=msk(2024, 11, 2, 9, 30))
    gov_actions.return_answer(case, p.roads_head, "Укажите месяц.", now=msk(2024, 11, 2, 9, 40))
    old = "Здравствуйте! Ремонт дороги на Соборной улице включён в план, подрядчик уже выбран."
    client.post(
        reverse("governor:answer", args=[case.pk]),
        {"text": old, "version": version[1], "seen": seen[1], "part": p.roads.pk},
    )  # refused as stale: kept
    # the colleague answers the part again — taken — and the head returns it with a new remark
    gov_actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 2, 9, 50))
    gov_actions.return_answer(case, p.roads_head, "Назовите подрядчика и улицу.", now=msk(2024, 11, 2, 10, 0))

    again = client.get(page_url).content.decode()
    assert f'id="answer-{case.pk}-{p.roads.pk}"' in again  # the part's form is there again
    assert old not in again, (
        "the text refused before the colleague's answer was taken is still offered in the part's form "
        "(«сохранён после отказа … пока ответ не будет принят»)"
    )
