"""R-10 with R-8.8: an abusive author's reply added on the case page by its link is taken into the case when the
network has not delivered that comment yet.

Scenario (Monday 03.03.2025). Case of the health committee: Ирина Петрова's VK comment «В поликлинике нет записи к
терапевту третью неделю.» (10:00); the executor Алексеева's clarification request «Здравствуйте! Уточните номер
дома.» is approved at 11:10 and published under the comment at 11:20: the case waits for the author. Ирина answers
in the thread «Дом 5. Глава района — мразь.» The executor sees it in VK before the next read of the community and
adds it on the case page («Добавить ответ автора на запрос») with its text and its link.

What the executor sees now: «Ответ автора добавлен, подготовка ответа продолжается.» — the insult joins the case as
the author's reply and drafting reopens. `views.author_reply` stores the comment under its link as a new message,
which nobody has moderated yet, and `actions._check_author_reply` asks only `is_blocked`, which is «not blocked»
for a message without a verdict. Had the connector delivered the same comment a minute earlier, the very same form
would refuse it (`tests/cases/test_author_reply_s7.py::test_r10_a_reply_the_moderation_excluded_is_refused_until_the_
curator_returns_it`), as the automatic linking in the thread does (`cases.author_replies`: `excluded()` asks the
moderation of a message not annotated yet; decision 0003: «as `_check_author_reply` refuses an excluded one by
hand»).

What they should see: a refusal — «Ответ не принят: модерация исключает его из работы (п. 10 Положения …)» —, the
case still waiting for the author and the insult in no case. (Found by a review, session 23.)
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Case, CaseMessage
from otklik.intake.models import Message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

RUDE = "Дом 5. Глава района — мразь."


def test_an_abusive_reply_added_by_its_link_before_the_network_delivered_it_is_refused(
    personas: Personas, client: Client
) -> None:
    p = personas
    original = Message.objects.create(
        network="vk",
        external_id="-1_7_501",
        url="https://vk.com/wall-1_7?reply=501",
        author_id="100",
        author_name="Ирина Петрова",
        author_url="https://vk.com/id100",
        text="В поликлинике нет записи к терапевту третью неделю.",
        text_raw="В поликлинике нет записи к терапевту третью неделю.",
    )
    case = actions.dispatch_case(p.curator, [original], [Route(p.health)], now=msk(2025, 3, 3, 10, 0))
    request = actions.submit_draft(
        p.alice, case, "clarification", "Здравствуйте! Уточните номер дома.", now=msk(2025, 3, 3, 11, 0)
    )
    actions.approve_draft(p.curator, request, now=msk(2025, 3, 3, 11, 10))
    actions.confirm_publication(
        p.alice, request, url="https://vk.com/wall-1_7?reply=502", now=msk(2025, 3, 3, 11, 20)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR

    client.force_login(p.alice)
    page = client.post(
        reverse("cases:reply", args=[case.pk]),
        {"text": RUDE, "url": "https://vk.com/wall-1_7?reply=503", "version": case.version},
        follow=True,
    ).content.decode()

    case.refresh_from_db()
    assert "Ответ автора добавлен" not in page
    assert "Ответ не принят: модерация исключает его из работы (п. 10 Положения" in page
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert not CaseMessage.objects.filter(case=case, message__text=RUDE).exists()
