"""Found by a review (session 24), fixed since. R-8.9: where the bodies' parts are published one by one, a body's
part is its own answer to the author, and every page and notice calls it so.

Scenario (Monday 28.04.2025): a message goes to health (order 1) and roads (order 2), parts published one by one.
Health's Алексеева sends her part at 11:00, roads' Давыдов at 16:00; health's goes to review. Before the fix the
curator's review notice, the review queue, the case page's drafts and, after its publication, «Публикации» called
it «информация для общего ответа» — while the editor had told Алексеева to write it as an answer, since it is
published to the author as it is (session 13). Now they all say «ответ органа»; a part of a common answer keeps its
name.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Draft, Notification
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

PART = "информация для общего ответа"


def test_r8_9_a_part_published_on_its_own_is_called_the_bodys_answer(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0), multi_mode="parts_one_by_one")
    actions.submit_draft(
        p.alice,
        case,
        "part",
        "Ирина, здравствуйте! Поликлиника откроется 1 июня.",
        now=msk(2025, 4, 28, 11, 0),
    )
    actions.submit_draft(
        p.dave, case, "part", "Ирина, здравствуйте! Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 16, 0)
    )
    health = case.drafts.get(state=Draft.State.SUBMITTED)
    review_notice = Notification.objects.filter(recipient=p.curator, case=case).order_by("-id").first()
    assert review_notice is not None and review_notice.text.startswith(
        "На согласовании: ответ органа по обращению"
    )

    curator = Client()
    curator.force_login(p.curator)
    queue = curator.get(reverse("cases:review_queue")).content.decode()
    assert "ответ органа, версия 1" in queue and PART not in queue

    actions.approve_draft(p.curator, health, now=msk(2025, 4, 28, 16, 10))
    actions.confirm_publication(
        p.alice, health, url="https://vk.com/wall-1_1?reply=501", now=msk(2025, 4, 28, 16, 20)
    )
    page = curator.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "ответ органа · версия 1" in page
    # «Публикации»: the publication of the body's answer
    assert re.search(r"· ответ органа · <bdi><a href=\"https://vk\.com/wall-1_1\?reply=501\"", page)
    assert PART not in page  # nor in the history: «ответ органа → на согласовании»


def test_r8_9_a_part_of_a_common_answer_keeps_its_name(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0), multi_mode="common_by_last")
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    curator = Client()
    curator.force_login(p.curator)
    assert f"{PART} · версия 1" in curator.get(reverse("cases:detail", args=[case.pk])).content.decode()
