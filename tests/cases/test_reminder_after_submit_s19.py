"""R-8.4, R-12: a sweep that listed a deadline just before the executor's draft went in does not remind her of the
work she has already sent (the reminder's conditional update asks the deadline to be still open, as a breach
does). Before, «Напоминание … осталось 2 ч 29 мин» came right after her draft. Found by a review (session 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection

from otklik.cases import actions, sla
from otklik.cases.models import Deadline, Notification
from tests.cases.helpers import deadline, dispatch
from tests.cases.test_explore_races import _race
from tests.conftest import Personas, msk

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="parallel writers need a server database (row locks); SQLite serialises every writer",
    ),
]


def test_no_reminder_about_a_draft_sent_while_the_sweep_was_reminding(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft_deadline = deadline(case, Deadline.Stage.DRAFT, open_only=True)
    window = deadline(case, Deadline.Stage.REJECT_WINDOW)
    sla.sweep(now=window.due_at + timedelta(minutes=1))  # the window ended quietly earlier
    draft_deadline.refresh_from_db()
    remind_at = draft_deadline.next_reminder_at
    assert remind_at is not None and remind_at > window.due_at
    before = Notification.objects.filter(deadline=draft_deadline, kind=Notification.Kind.REMINDER).count()
    sent_at = remind_at + timedelta(minutes=1)
    one, two = _race(
        lambda: actions.submit_draft(p.alice, case, "answer", "Ремонт запланирован на июнь.", now=sent_at),
        lambda: sla.sweep(now=sent_at),
    )
    assert (one.error, two.error) == (None, None), (one.error, two.error)
    draft_deadline.refresh_from_db()
    assert draft_deadline.met_at == sent_at
    reminders = list(
        Notification.objects.filter(deadline=draft_deadline, kind=Notification.Kind.REMINDER).values_list(
            "recipient__username", "text"
        )
    )[before:]
    assert reminders == [], reminders
