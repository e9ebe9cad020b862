"""Found by a review (session 24), fixed since. R-8.7, R-8.9: parts published one by one — the second body's part is «confirmed» with the link of the first
body's published part.

Scenario (Monday 28.04.2025, default schedule). The curator sends a VK comment to health (order 1) and roads
(order 2), parts published one by one. Health's part 11:00, roads' part 16:00; both in, health's part goes to review,
approved 16:10 and published by Алексеева by hand 16:20 (https://vk.com/wall-1_1?reply=501). Roads' part goes to
review, approved 16:30. Давыдов opens «Подтвердить публикацию» and pastes the link he sees in «Публикации» on the
case page — health's answer, reply=501 — instead of his own.

Now: «Публикация подтверждена.», the case closes «опубликовано», roads' R-8.7 and the carried R-8.3 are met, while
roads' answer was never published: the author got half of the answer and the case is gone from everybody's work.
The same mistake with the author's own message link is refused since session 20
(`tests/cases/test_publication_own_link_s20.py`), and clause 7's confirmation refuses a link already confirmed for
another answer («Эта ссылка уже подтверждена как …», `governor.actions`), but clause 8's `confirm_publication`
does not.

Should: the link is refused (400, the case stays «согласован, ждёт публикации», nothing recorded), saying the link is
already confirmed for the other body's answer. (VK gives every comment a link of its own; OK, whose comments share
the discussion's link, is another matter — not tested here.)
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case, Draft
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

HEALTH = "Здравствуйте, Ирина! Поликлиника откроется 1 июня."
ROADS = "Здравствуйте, Ирина! Дорогу к поликлинике отремонтируют в мае."
HEALTH_LINK = "https://vk.com/wall-1_1?reply=501"


def test_the_second_parts_publication_is_not_confirmed_with_the_first_parts_link(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0), multi_mode="parts_one_by_one")
    actions.submit_draft(p.alice, case, "part", HEALTH, now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", ROADS, now=msk(2025, 4, 28, 16, 0))
    health_part = case.drafts.get(state=Draft.State.SUBMITTED)
    assert health_part.author == p.alice
    actions.approve_draft(p.curator, health_part, now=msk(2025, 4, 28, 16, 10))
    actions.confirm_publication(p.alice, health_part, url=HEALTH_LINK, now=msk(2025, 4, 28, 16, 20))
    roads_part = case.drafts.get(state=Draft.State.SUBMITTED)
    assert roads_part.author == p.dave
    actions.approve_draft(p.curator, roads_part, now=msk(2025, 4, 28, 16, 30))
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING

    client = Client()
    client.force_login(p.dave)
    response = client.post(
        reverse("cases:publish", args=[case.pk, roads_part.pk]), {"url": HEALTH_LINK, "version": case.version}
    )
    case.refresh_from_db()
    roads_part.refresh_from_db()
    assert response.status_code == 400, (
        f"health's published link was taken for roads' answer: the case is «{case.get_status_display()}»"
    )
    assert case.status == Case.Status.PUBLISHING
    assert roads_part.state == Draft.State.APPROVED
    assert case.publications.filter(url=HEALTH_LINK).count() == 1
    assert "уже подтверждена" in response.content.decode()
    assert "уже подтверждена как ответ органа «Здравоохранение»" in response.content.decode()

    # the same comment's link in VK's other form is the same answer
    same = client.post(
        reverse("cases:publish", args=[case.pk, roads_part.pk]),
        {"url": "https://vk.com/wall-1_1_r501", "version": case.version},
    )
    assert same.status_code == 400 and "уже подтверждена" in same.content.decode()
    # roads' own reply is taken
    own = client.post(
        reverse("cases:publish", args=[case.pk, roads_part.pk]),
        {"url": "https://vk.com/wall-1_1?reply=502", "version": case.version},
    )
    assert own.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
