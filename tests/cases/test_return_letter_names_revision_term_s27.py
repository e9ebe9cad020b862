"""Found by the final read of session 27, fixed since. R-8.5, R-8.6: the letter about a returned draft names the
revision's hour, not an earlier term of the same person already run out.

03.03.2025 10:00 the case goes to health, Алексеева its executor: the answer (R-8.3, 9 h) is due 04.03 10:45. Her
draft comes late, 04.03 at 11:00; the curator returns it at 11:10, and the revision (R-8.6, one working hour) is
due 12:10. Her letter said «Срок: подготовка и размещение ответа (п. 8.3) — до 04.03.2025 10:45»: the letter looked
for her nearest open term (`notify.services.case_letter`), and the missed answer term is earlier than the hour she
has now. `return_draft` and `approve_draft` now give the letter the term they open."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Deadline
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_the_returned_drafts_letter_names_the_revision_hour(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    p.alice.email = "alice@example.org"
    p.alice.save()
    case = actions.dispatch_case(
        p.curator, [message()], [Route(p.health, executor=p.alice)], now=msk(2025, 3, 3, 10, 0)
    )
    draft = actions.submit_draft(
        p.alice, case, "answer", "Здравствуйте! Яму засыплют до пятницы.", now=msk(2025, 3, 4, 11, 0)
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.return_draft(p.curator, draft, "Назовите дату точно.", now=msk(2025, 3, 4, 11, 10))
    revise = Deadline.objects.get(case=case, stage=Deadline.Stage.REVISE)
    assert revise.due_at == msk(2025, 3, 4, 12, 10)
    (letter,) = [m for m in mail.outbox if m.to == ["alice@example.org"] and "возвращён" in m.body]
    assert f"Срок: {revise.get_stage_display()} — до 04.03.2025 12:10 (мск)" in letter.body, letter.body
