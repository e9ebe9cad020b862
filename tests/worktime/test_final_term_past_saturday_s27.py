"""Found by a review (session 27), fixed since. Review 11. R-8.8 with the working-time rule of docs/worktime.md: a calendar correction of a day already past (a
working Saturday entered on the Monday) keeps a running term at least the working time it had left. 9627a76 took
the final answer's term out of that rule (to keep a change of hours on the 7th working day), so the past Saturday
now takes a whole working day from the executor's final answer: shown «до 26.11 18:00» until Monday, she finds
«до 25.11 18:00» after the administrator's correction."""

from __future__ import annotations

import pytest
from django.utils import timezone
from tests.conftest import Personas, msk
from tests.worktime.test_final_term_hours_change_s27 import _interim_out

from otklik.cases.models import Deadline

pytestmark = pytest.mark.django_db


def test_a_working_saturday_entered_late_takes_no_day_from_the_final_answer(
    personas: Personas, client, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    _case, final = _interim_out(p)  # final answer due Wed 26.11.2025 18:00
    client.force_login(p.admin)
    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 11, 24, 10, 0))
    answer = client.post(
        "/admin/worktime/calendaroverride/add/",
        {"date": "2025-11-22", "kind": "working", "hours_like": "0", "note": "рабочая суббота"},
    )
    assert answer.status_code == 302
    final.refresh_from_db()
    assert final.stage == Deadline.Stage.FINAL
    assert final.due_at >= msk(2025, 11, 26, 18, 0), (
        f"the past Saturday took a day from the running final term: now due "
        f"{timezone.localtime(final.due_at):%d.%m.%Y %H:%M} (was 26.11.2025 18:00, corrected on 24.11 10:00)"
    )
