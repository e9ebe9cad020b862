"""Found by a review (session 23), fixed since. R-8.5 with the curator's closing: a draft waiting for approval in a case the curator closed is not «на согласовании».

Scenario (default schedule): the message goes to «Здравоохранение» on Mon 03.03.2025 10:00; Алексеева sends her
draft answer at 11:00 (it waits for the curator's approval until 12:00, R-8.5). At 11:30 the curator closes the case
by decision («Автор удалил сообщение»): the review term is withdrawn, the executor is told the work is not needed,
the review queue no longer lists it.

Now: on the closed case's page, under «Проекты и согласование», the draft still reads «ответ · версия 1 · … ·
на согласовании» — for ever, to the curator, the executor, the body's head and the observers — although nobody is
to approve it any more and the case status says «закрыто».

Should: a draft that was never decided because the case was closed does not claim to be waiting for approval
(e.g. «не рассмотрен: обращение закрыто»). Suspected: `otklik.cases.actions.close_case` / `_finish` settle the
deadlines and the assignments but leave the pending draft in the state SUBMITTED, which the page shows
(`cases/detail.html`, `Draft.get_state_display`).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Ремонт участка улицы Соборной в Гатчине запланирован на июнь."


def _draft_line(html: str, draft_pk: int) -> str:
    found = re.search(rf'<article data-draft="{draft_pk}">\s*<p class="muted">(.*?)</p>', html, re.S)
    assert found is not None, "the draft is on the case page"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_a_draft_of_a_case_closed_while_it_waited_for_approval_is_not_shown_as_on_review(
    personas: Personas,
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 3, 3, 10, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 3, 3, 11, 0))
    case.refresh_from_db()
    actions.close_case(p.curator, case, "Автор удалил сообщение", now=msk(2025, 3, 3, 11, 30))
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED

    for person in (p.curator, p.alice, p.observer):
        client = Client()
        client.force_login(person)
        line = _draft_line(client.get(reverse("cases:detail", args=[case.pk])).content.decode(), draft.pk)
        assert "на согласовании" not in line, f"{person.username} reads: {line}"
        assert "не рассмотрен: обращение закрыто" in line, f"{person.username} reads: {line}"
