"""Found by a review (session 23), fixed since. R-8.4 with R-8.8: a draft reopened after an interim answer is never due after the final answer's term.

Scenario (default schedule, March 2025): the message goes to «Здравоохранение» on Mon 03.03.2025 10:00;
Алексеева's interim answer is published at 11:20, so the final draft is due by the close of the 7th working day,
Wed 12.03.2025 18:00 (R-8.8). On 05.03 she asks the author for details (a clarification request, published 10:20).
The author replies on Wed 12.03.2025 at 17:00 — one working hour before the final answer's term ends.

Now: the reply reopens drafting with a fresh 5 working hours (R-8.4) counted to Thu 13.03.2025 13:00, past the
R-8.8 term. «Мои обращения» and the case page tell Алексеева «направить проект (п. 8.4): до 13.03.2025 13:00» while
the final answer is due 12.03 18:00: following the draft's date, she breaks R-8.8 (the sweep records it at 18:00).
The same happens with «Готовить ответ без уточнения автора».

Should: as the project's own rule for the draft after dispatch (`sla.open_deadline(not_after=…)`,
docs/requirements.md R-8.4: «a draft … is never due after the whole term … one due time the executor can meet»),
the reopened draft is due no later than the open R-8.8 term: 12.03.2025 18:00, and that is the date shown.
Suspected: `otklik.cases.actions._reopen_drafting` opens the draft deadline without `not_after` of the open FINAL.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case
from tests.cases.helpers import deadline, dispatch, message
from tests.conftest import Personas, msk
from tests.worktime.test_body_schedule_s18 import EARLY, _at, _save_schedule

pytestmark = pytest.mark.django_db

INTERIM = "Здравствуйте, Ирина! Мы запросили сведения у подрядчика и ответим, как только их получим."
REQUEST = "Здравствуйте, Ирина! Уточните, пожалуйста, номер дома."


def _interim_then_request(p: Personas) -> Case:
    case = dispatch(p.curator, p.health, at=msk(2025, 3, 3, 10, 0))
    interim = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2025, 3, 3, 11, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 3, 3, 11, 10))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=901", now=msk(2025, 3, 3, 11, 20)
    )
    request = actions.submit_draft(p.alice, case, "clarification", REQUEST, now=msk(2025, 3, 5, 10, 0))
    actions.approve_draft(p.curator, request, now=msk(2025, 3, 5, 10, 10))
    actions.confirm_publication(
        p.alice, request, url="https://vk.com/wall-1_1?reply=902", now=msk(2025, 3, 5, 10, 20)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert deadline(case, "final").due_at == msk(2025, 3, 12, 18, 0)
    return case


def test_the_draft_after_the_authors_late_reply_is_due_by_the_final_answers_term(
    personas: Personas, client: Client
) -> None:
    p = personas
    case = _interim_then_request(p)
    actions.register_author_reply(p.curator, case, message(text="Дом № 5."), now=msk(2025, 3, 12, 17, 0))

    draft_term = deadline(case, "draft", open_only=True)
    final_term = deadline(case, "final", open_only=True)
    assert draft_term.due_at == final_term.due_at == msk(2025, 3, 12, 18, 0)

    client.force_login(p.alice)
    queue = client.get(reverse("cases:my_queue")).content.decode()
    assert "до 13.03.2025 13:00" not in queue
    assert "до 12.03.2025 18:00" in queue


def test_the_draft_without_the_authors_reply_is_due_by_the_final_answers_term(personas: Personas) -> None:
    p = personas
    case = _interim_then_request(p)
    actions.answer_without_author(p.alice, case, now=msk(2025, 3, 12, 16, 0), expected_version=case.version)

    draft_term = deadline(case, "draft", open_only=True)
    assert draft_term.due_at == msk(2025, 3, 12, 18, 0)  # 5 working hours would end 13.03 12:00


def test_the_capped_draft_stays_within_the_final_term_when_the_bodys_hours_change(
    personas: Personas, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The author replies on 12.03 at 16:00: the draft is due by the final term, 12.03 18:00 (its 5 hours would end
    13.03 12:00). At 16:10 the administrator puts health on summer hours (08:00–17:00): the final term, the close of
    the 7th working day, is now 12.03 17:00, and the draft, counted again on the new hours, is not due after it
    (`worktime.recount`, R-8.4 with R-8.8)."""
    p = personas
    case = _interim_then_request(p)
    actions.register_author_reply(p.curator, case, message(text="Дом № 5."), now=msk(2025, 3, 12, 16, 0))
    assert deadline(case, "draft", open_only=True).due_at == msk(2025, 3, 12, 18, 0)
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    _at(monkeypatch, msk(2025, 3, 12, 16, 10))
    _save_schedule(client, p.health, EARLY)
    final_term = deadline(case, "final", open_only=True)
    assert final_term.due_at == msk(2025, 3, 12, 17, 0)
    assert deadline(case, "draft", open_only=True).due_at == final_term.due_at
