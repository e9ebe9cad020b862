"""Found by a review (session 27), fixed since. R-6 with R-8.4, R-8.8: the letter about the author's late reply names the term of the work it is about — also
for the substitute who does that work.

Scenario (Moscow time, as tests/cases/test_late_author_reply_substitute_s24.py): 03.03.2025 the case goes to health,
Алексеева its executor; her clarification request is published. On 11.03 at 10:00 she goes on without the author's
details: the draft is due 15:45. At 10:30 she falls ill, naming Борисов her substitute. At 11:00 the author's reply
is added to the case.

Алексеева's letter says «Срок: направить проект (п. 8.4) — до 11.03.2025 15:45 (мск)»; Борисов's letter, the one
who actually writes the draft, has no «Срок» line at all (`register_author_reply` does not pass the deadline to
`notify`, and `case_letter` looks only for deadlines naming the recipient himself)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Deadline
from otklik.org.models import Absence
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_substitutes_letter_about_the_late_reply_names_the_draft_term(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    p.bob.email = "bob@example.org"
    p.bob.save()
    case = actions.dispatch_case(
        p.curator, [message()], [Route(p.health, executor=p.alice)], now=msk(2025, 3, 3, 10, 0)
    )
    request = actions.submit_draft(
        p.alice, case, "clarification", "Здравствуйте! Уточните номер дома.", now=msk(2025, 3, 3, 11, 0)
    )
    actions.approve_draft(p.curator, request, now=msk(2025, 3, 3, 11, 10))
    actions.confirm_publication(
        p.alice, request, url="https://vk.com/wall-1_1?reply=901", now=msk(2025, 3, 3, 11, 20)
    )
    case.refresh_from_db()
    actions.answer_without_author(p.alice, case, now=msk(2025, 3, 11, 10, 0), expected_version=case.version)
    Absence.objects.create(
        person=p.alice,
        reason="sick_leave",
        starts_at=msk(2025, 3, 11, 10, 30),
        ends_at=msk(2025, 3, 14, 9, 0),
        substitute=p.bob,
    )
    draft = Deadline.objects.filter(case=case, stage=Deadline.Stage.DRAFT).order_by("-id").first()
    assert draft is not None and draft.is_open
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        actions.register_author_reply(
            p.curator,
            case,
            message(text="Дом 5, подъезд 2."),
            now=msk(2025, 3, 11, 11, 0),
            expected_version=case.version,
        )
    (letter,) = [m for m in mail.outbox if m.to == ["bob@example.org"]]
    assert "учтите его ответ" in letter.body
    due = timezone.localtime(draft.due_at)
    assert f"{due:%d.%m.%Y %H:%M}" == "11.03.2025 15:45"
    assert "Срок: направить проект (п. 8.4) — до 11.03.2025 15:45 (мск)" in letter.body, letter.body
