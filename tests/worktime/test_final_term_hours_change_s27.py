"""Found by a review (session 27), fixed since. Review 06 (R-8.8, working time): a body's shortened hours push the final answer's 7-working-day term past the
7th working day.

R-8.8: after an interim answer the final draft is due within 7 working days (`WorkTime.add_working_days`: the close
of the 7th working day). `worktime.recount._move` recounts a final term in working days (the `Stage.FINAL` branch),
but then applies the floor added in 25d9964 — «the working time it had left, counted from now» in MINUTES — to every
running term, the final one too. A body that shortens its day gets the minutes it had left spread over many more of
its shorter days: the final term leaves the 7th working day."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone
from tests.cases.helpers import message
from tests.conftest import Personas, msk

from otklik.cases import actions
from otklik.cases.models import Deadline, Publication

pytestmark = pytest.mark.django_db

INTERIM = "Ирина, здравствуйте! Вопрос изучается, окончательный ответ дадим в течение семи рабочих дней."
SHORT = {"week": {d: [["08:00", "12:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}}
TO_17 = {"week": {d: [["09:00", "13:00"], ["14:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}}


def _interim_out(p: Personas):  # type: ignore[no-untyped-def]
    """An interim answer published Mon 17.11.2025 10:31: the final one is due Wed 26.11.2025 18:00 (Tue 18, Wed 19,
    Thu 20, Fri 21, Mon 24, Tue 25, Wed 26)."""
    with transaction.atomic():
        case = actions.dispatch_case(
            p.curator, [message()], [actions.Route(p.health, 1)], now=msk(2025, 11, 17, 9, 30)
        )
        draft = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2025, 11, 17, 10, 0))
        actions.approve_draft(p.curator, draft, now=msk(2025, 11, 17, 10, 30))
        actions.confirm_publication(
            None,
            draft,
            url="https://vk.com/wall-1_1?reply=990601",
            method=Publication.Method.API,
            now=msk(2025, 11, 17, 10, 31),
        )
    final = Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert final.due_at == msk(2025, 11, 26, 18, 0)
    return case, final


def _change_hours(p: Personas, schedule: dict, at, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(timezone, "now", lambda: at)
    p.health.schedule = schedule  # the administrator saves the body's new hours (admin «Органы»)
    p.health.save()


def test_shorter_hours_early_in_the_window_keep_the_final_term_on_the_7th_working_day(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Tue 18.11 10:00 the committee goes over to 08:00–12:00. Its 7th working day after the interim answer is
    still Wed 26.11, closing at 12:00 by the new hours. The recount's days branch says so, but the minute floor
    (3330 working minutes left by the old hours, 240 a day now) moves the term two and a half weeks on."""
    p = personas
    _case, final = _interim_out(p)
    _change_hours(p, SHORT, msk(2025, 11, 18, 10, 0), monkeypatch)
    final.refresh_from_db()
    assert final.due_at == msk(2025, 11, 26, 12, 0), (
        f"R-8.8 final term moved to {timezone.localtime(final.due_at):%d.%m.%Y %H:%M}, past the 7th working day "
        "(Wed 26.11.2025) after the interim answer"
    )


def test_shorter_hours_on_the_due_day_keep_the_final_term_on_that_day(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the due day, Wed 26.11 10:00, the committee's day is made to end at 17:00. The 7th working day is still
    today, closing at 17:00 — a moment still ahead. The term goes to Thu 27.11 10:15 instead: an 8th working day."""
    p = personas
    _case, final = _interim_out(p)
    _change_hours(p, TO_17, msk(2025, 11, 26, 10, 0), monkeypatch)
    final.refresh_from_db()
    assert final.due_at == msk(2025, 11, 26, 17, 0), (
        f"R-8.8 final term moved to {timezone.localtime(final.due_at):%d.%m.%Y %H:%M}, the day after its 7th "
        "working day (Wed 26.11.2025)"
    )
