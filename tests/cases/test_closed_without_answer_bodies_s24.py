"""Found by a review (session 24), fixed since. R-8.9 with the curator's closing (R-8.2 … R-8.10: the ends of a case): the bodies of a case the curator closed
without an answer read «выполнено» on the case page.

Scenario (default schedule). On Monday 28.04.2025 10:00 the curator sends Ирина's message to «Здравоохранение»
first and «Дороги» second (R-8.9: the curator's order), the parts for a common answer. Алексеева (health) receives
it at 10:00; «Дороги» waits for its turn and never receives it. At 11:00 the curator closes the case by decision
(«Автор удалил сообщение, отвечать некому», `actions.close_case`): no draft was ever sent, nothing was published.

What the curator (and the heads of both bodies) see now on the case page, table «Органы»:
«1 · Здравоохранение · Алексеева Тест · выполнено» and «2 · Дороги · — · выполнено» — both bodies seem to have
done their work, the roads committee even without ever receiving the message, while the case was closed with no
answer at all. (`actions._finish`, shared by the publication and the curator's closing, sets every live assignment
to DONE, whose label is «выполнено»; the session-23 fix of the same closing made the pending draft «не рассмотрен»
instead of «на согласовании», but left the bodies.)

What they should see: no body of a case closed without an answer is «выполнено» — e.g. «обращение закрыто
куратором» / «не потребовалось»; «выполнено» stays for a body whose answer or part was actually given.
Suspected: `otklik.cases.actions._finish` (called by `close_case`) with `cases/detail.html`
(`a.get_state_display`).
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


def _bodies_table(page: str) -> dict[str, str]:
    """Body name → the words of its row in «Органы» (tags stripped)."""
    table = re.search(r"<h2>Органы</h2>(.*?)</table>", page, re.S)
    assert table is not None
    rows = {}
    for row in re.findall(r"<tr data-assignment=.*?</tr>", table.group(1), re.S):
        words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        rows[re.sub(r"<[^>]+>", "", cells[1]).strip()] = words
    return rows


def test_bodies_of_a_case_closed_without_an_answer_are_not_done(client: Client, personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0))
    actions.close_case(
        p.curator, case, "Автор удалил сообщение, отвечать некому", now=msk(2025, 4, 28, 11, 0)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and not case.drafts.exists()

    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    rows = _bodies_table(page)
    assert set(rows) == {str(p.health), str(p.roads)}
    for body, words in rows.items():
        assert "выполнено" not in words, f"«{body}» reads as done on a case closed without an answer: {words}"
        assert words.endswith("работа прекращена: обращение закрыто куратором"), words

    # the head of the roads committee, which never even received the message, reads the same
    client.force_login(p.roads_head)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "выполнено" not in _bodies_table(page)[str(p.roads)]


def test_a_body_that_sent_its_part_before_the_closing_stays_done(client: Client, personas: Personas) -> None:
    """A body whose information the curator had accepted did its work: «выполнено» stays for it."""
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0), multi_mode="common_by_curator")
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.close_case(
        p.curator, case, "Автор удалил сообщение, отвечать некому", now=msk(2025, 4, 28, 12, 0)
    )
    client.force_login(p.curator)
    rows = _bodies_table(client.get(reverse("cases:detail", args=[case.pk])).content.decode())
    assert rows[str(p.health)].endswith("выполнено") and "прекращена" not in rows[str(p.health)]
    assert rows[str(p.roads)].endswith("работа прекращена: обращение закрыто куратором")
