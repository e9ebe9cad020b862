"""Found by a review (session 27), fixed since. Review 06 (R-8.8 with R-6): the final answer's 7-working-day term stays for good with the substitute who did the
executor's work for the hour the interim answer came out; the executor, back the same day and still the case's
executor, is never reminded of it, and the substitute is charged with its miss.

Single body «Здравоохранение». Алексеева has the case (dispatched Mon 28.04.2025 10:00, she is its executor) and
writes an interim answer, approved at 11:30. She goes to a training from 11:40 to 16:00 the same day (substitute
Борисов); the interim answer is published at 12:00. `confirm_publication` opens the R-8.8 term for
`doer(executor)` — Борисов, stored as the deadline's `responsible` — while the assignment's executor stays Алексеева.
From 16:00 on she is back for the whole of the 7 working days, but the sweep follows the stored responsible
(`sla._on_duty_for`, `_answerable`): the reminders go to Борисов, and when nobody sends the final answer the
violation is Борисов's, not the executor's who was at work and whose case it is. (A term opened for Алексеева would
have gone to Борисов only while she was away: `on_duty` at each moment, as for the Governor's approval term
«himself once back», docs/requirements.md R-7.1.) Nor can the head give the term back to her: «Передать другому
исполнителю» refuses Алексеева as «уже исполнитель по этому обращению»."""

from __future__ import annotations

from datetime import timedelta

import pytest

from otklik.cases import actions, sla
from otklik.cases.models import Deadline, Notification, Publication, Violation
from otklik.org.models import Absence
from tests.cases.helpers import COMMON_INTERIM, deadline, dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _interim_out_while_alice_at_training(p: Personas):  # type: ignore[no-untyped-def]
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    interim = actions.submit_draft(p.alice, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 11, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 28, 11, 30))
    Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.TRAINING,
        starts_at=msk(2025, 4, 28, 11, 40),
        ends_at=msk(2025, 4, 28, 16, 0),
        substitute=p.bob,
    )
    actions.confirm_publication(
        None,
        interim,
        url="https://vk.com/wall-1_1?reply=990611",
        method=Publication.Method.API,
        now=msk(2025, 4, 28, 12, 0),
    )
    case.refresh_from_db()
    return case


def test_the_executor_back_at_work_answers_for_the_final_term_not_the_substitute_of_one_afternoon(
    personas: Personas,
) -> None:
    p = personas
    case = _interim_out_while_alice_at_training(p)
    final = deadline(case, Deadline.Stage.FINAL)
    assert case.assignments.get().executor == p.alice  # the case is still hers

    # the reminders half-way and at 80 % of the 7 working days: Алексеева has been back since 28.04 16:00
    for _ in range(3):
        final.refresh_from_db()
        if final.next_reminder_at is None:
            break
        sla.sweep(final.next_reminder_at + timedelta(minutes=1))
    reminded = set(
        Notification.objects.filter(case=case, text__startswith="Напоминание").values_list(
            "recipient__last_name", flat=True
        )
    )
    sla.sweep(final.due_at + timedelta(minutes=5))
    violation = Violation.objects.get(case=case, rid="R-8.8")
    assert (reminded, violation.person) == ({p.alice.last_name}, p.alice), (
        f"reminded: {reminded}; violation charged to {violation.person} ({violation.note!r}); Алексеева, the "
        "case's executor, was at work from 28.04 16:00 to the due moment"
    )
