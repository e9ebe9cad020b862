"""The sweep (R-12): reminders at 50% and 80% of a deadline's working time, in the app and by e-mail;
breaches recorded once with a conditional update; the task and the command run the same sweep."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from otklik.cases import sla
from otklik.cases.models import Deadline, Notification, Policy, Violation
from tests.cases.helpers import deadline, dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_responsible_person_is_reminded_at_half_and_at_80_percent_of_working_time(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """R-8.4 draft of 300 working minutes from Friday 15:00: 50% = 150 min → Monday 09:45 (105 min on Friday),
    80% = 240 min → Monday 11:15 (a deadline is reminded in its own working time, over the weekend)."""
    p = personas
    p.alice.email = "alice@example.org"
    p.alice.save()
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 25, 15, 0))
    draft = deadline(case, "draft")
    assert draft.next_reminder_at == msk(2025, 4, 28, 9, 45)
    assert sla.sweep(now=msk(2025, 4, 28, 9, 44)).reminders == 0
    with django_capture_on_commit_callbacks(execute=True):
        sla.sweep(now=msk(2025, 4, 28, 9, 45))
    draft.refresh_from_db()
    assert (draft.reminder_level, draft.next_reminder_at) == (1, msk(2025, 4, 28, 11, 15))
    notes = Notification.objects.filter(recipient=p.alice, kind="reminder", deadline=draft)
    assert notes.count() == 1 and "осталось 2 ч 30 мин" in notes.get().text
    assert [m.to for m in mail.outbox if "Напоминание" in m.body] == [["alice@example.org"]]
    sla.sweep(now=msk(2025, 4, 28, 11, 14))
    assert notes.count() == 1
    sla.sweep(now=msk(2025, 4, 28, 12, 0))
    assert notes.count() == 2


def test_policy_change_affects_new_deadlines_only(personas: Personas) -> None:
    """R-8.4 as a policy value: an administrator shortens it to 4 hours; the running deadline keeps 5."""
    p = personas
    first = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    Policy.objects.filter(key="draft").update(value=240)
    second = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    assert deadline(first, "draft").due_at == msk(2025, 4, 28, 14, 45)
    assert deadline(second, "draft").due_at == msk(2025, 4, 28, 13, 0)
    assert Policy.objects.get(key="draft").rid == "R-8.4"


def test_sweep_command_and_task_record_each_breach_once(personas: Personas) -> None:
    """R-12: the cron command and the django-tasks task share one sweep."""
    from otklik.cases.tasks import sweep_deadlines

    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 25, 15, 0))
    out = StringIO()
    call_command("sweep_deadlines", "--now", "2025-04-29T12:00:00+03:00", stdout=out)
    assert "Нарушений: 2" in out.getvalue()  # of alice
    sweep_deadlines.call(now="2025-04-29T12:05:00+03:00")
    assert Violation.objects.filter(case=case).count() == 2
    assert set(Violation.objects.values_list("rid", flat=True)) == {"R-8.3", "R-8.4"}
    assert Deadline.objects.filter(case=case, breached_at__isnull=False).count() == 2


def test_r6_a_reminder_goes_to_the_substitute_of_an_executor_who_went_away_after_dispatch(
    personas: Personas,
) -> None:
    """The case reached Alice on Friday 15:00; from Monday she is on sick leave with Bob as her substitute, so the
    50 % reminder on Monday 09:45 reaches Bob, saying whose work it is; Alice gets none."""
    from otklik.org.models import Absence

    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 25, 15, 0))
    draft = deadline(case, "draft")
    assert draft.responsible == p.alice
    Absence.objects.create(
        person=p.alice,
        substitute=p.bob,
        starts_at=msk(2025, 4, 28, 0, 0),
        ends_at=msk(2025, 5, 7, 18, 0),
        reason=Absence.Reason.SICK_LEAVE,
    )
    sla.sweep(now=msk(2025, 4, 28, 9, 45))
    reminders = Notification.objects.filter(kind="reminder", deadline=draft)
    (note,) = reminders
    assert note.recipient == p.bob
    assert "вместо ответственного" in note.text and str(p.alice) in note.text, note.text
