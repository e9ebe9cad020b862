"""Found by a review (session 27), fixed since. Review 05 (R-12, R-13, working time): a calendar correction saved while terms run moves them into the past."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone
from tests.cases.helpers import deadline, dispatch
from tests.conftest import Personas, msk

from otklik.cases import actions, sla
from otklik.cases.models import Deadline
from otklik.reports import deficiencies, monthly, periods

pytestmark = pytest.mark.django_db

ANSWER = "Ирина, здравствуйте! Яму на улице Ленина заделают до пятницы, подрядчик определён."

_reply = itertools.count(990101)


def publish(person, draft, at) -> None:  # type: ignore[no-untyped-def]
    actions.confirm_publication(person, draft, url=f"https://vk.com/wall-1_1?reply={next(_reply)}", now=at)


def _row(rows: list[dict], body: str) -> dict:
    return next(r for r in rows if r["body"] == body)


def test_working_saturday_entered_late_does_not_make_running_terms_violated_before_it_was_saved(
    personas: Personas, client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dispatched Fri 14.11.2025 14:00: R-8.4 (300 min) Fri 14:00–16:45 165 + Mon 135 → Mon 17.11 11:15; R-8.3
    (540) → Mon 17.11 16:00. On Mon 10:00 the administrator enters Sat 15.11 as a working day (hours as Monday)
    that had been missed. Counted from the start on the corrected calendar both terms fall on Saturday — already
    over when the correction was saved. Alice, who was shown Mon 11:15 and Mon 16:00 until 10:00, sends the draft
    at 10:30 and the answer is out at 11:00: the November report must not show her answer late, nor two
    violations of 450 and more working minutes on terms she could not have kept."""
    p = personas
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    case = dispatch(p.curator, p.health, at=msk(2025, 11, 14, 14, 0))
    assert deadline(case, Deadline.Stage.DRAFT).due_at == msk(2025, 11, 17, 11, 15)
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2025, 11, 17, 16, 0)
    sla.sweep(now=msk(2025, 11, 17, 9, 55))
    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 11, 17, 10, 0))
    client.post(
        "/admin/worktime/calendaroverride/add/",
        {"date": "2025-11-15", "kind": "working", "hours_like": "0", "note": "рабочая суббота"},
    )
    monkeypatch.undo()
    moved = {
        s: timezone.localtime(deadline(case, s).due_at).strftime("%d.%m %H:%M")
        for s in (Deadline.Stage.DRAFT, Deadline.Stage.OVERALL)
    }
    sla.sweep(now=msk(2025, 11, 17, 10, 5))
    d = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 11, 17, 10, 30))
    actions.approve_draft(p.curator, d, now=msk(2025, 11, 17, 10, 40))
    publish(p.alice, d, msk(2025, 11, 17, 11, 0))
    report = monthly.build(periods.month(2025, 11))
    health = _row(report["timeliness"]["rows"], "Здравоохранение")
    violations = [
        (r["rid"], r["due_at"], r["late_minutes"])
        for r in deficiencies.build(periods.month(2025, 11))["violations"]
    ]
    assert violations == [], f"terms moved to {moved}, before the correction was saved (17.11 10:00)"
    assert (health["answer_deadlines"], health["answer_late"], health["on_time_share"]) == (1, 0, 1.0)
