"""Found by a review (session 27), fixed since. R-7.4 after a calendar correction is withdrawn once its day has passed.

Wed 12.03.2025 10:30 the administrator enters Thursday 13.03 as a regional day off: the checks of a post of Wed
10:00 move to Fri 09:45, 11:45, 14:30, 16:30, Mon 10:45, 12:45. The checks run: Wed 14:50, Wed 16:50, Fri 09:50
(check 3 done). Fri 10:00 the administrator finds the decree was for another region and deletes the correction.

Thursday has passed: nobody was to check anything on it (the calendar said it was a day off). The checks still
ahead must not be put on Thursday and then recorded «пропущена» by the next run, nor put before check 3 done on
Friday."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from otklik.governor import service
from otklik.governor.models import Check
from otklik.worktime.models import CalendarOverride
from tests.conftest import Personas, msk
from tests.governor.helpers import client_for, governor_post, governor_source

pytestmark = pytest.mark.django_db


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_correction_withdrawn_after_its_day_puts_no_check_into_the_past(
    p: Personas, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = governor_post(governor_source(), msk(2025, 3, 12, 10, 0))
    service.open_watches(now=msk(2025, 3, 12, 10, 5))
    watch = post.watch

    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    _at(monkeypatch, msk(2025, 3, 12, 10, 30))
    client.post(
        "/admin/worktime/calendaroverride/add/",
        {"date": "2025-03-13", "kind": "off", "hours_like": "", "note": "распоряжение Губернатора"},
    )
    assert [c.due_at for c in watch.checks.order_by("number")][2] == msk(2025, 3, 14, 9, 45)

    for moment in (msk(2025, 3, 12, 14, 50), msk(2025, 3, 12, 16, 50), msk(2025, 3, 14, 9, 50)):
        service.run_checks(now=moment, fetch=False)
    assert [c.state for c in watch.checks.order_by("number")][:3] == [Check.State.DONE] * 3

    # Friday 10:00: the correction was a mistake, deleted
    _at(monkeypatch, msk(2025, 3, 14, 10, 0))
    override_id = CalendarOverride.objects.get().pk
    client.force_login(p.admin)  # a new session on Friday (the idle one of Wednesday has ended)
    client.post(f"/admin/worktime/calendaroverride/{override_id}/delete/", {"post": "yes"})
    assert not CalendarOverride.objects.exists()

    service.run_checks(now=msk(2025, 3, 14, 10, 5), fetch=False)
    checks = list(watch.checks.order_by("number"))
    page = client_for("curator").get(f"/governor/posts/{watch.pk}/").content.decode()

    # no check is put on a moment that had already gone by when it was set
    assert [c.number for c in checks if c.state == Check.State.MISSED] == []
    assert 'data-state="missed"' not in page
    # and the checks follow one another: none still ahead is before the one done on Friday 09:50
    dues = [c.due_at for c in checks]
    assert dues == sorted(dues)
    assert all(c.due_at >= msk(2025, 3, 14, 10, 0) for c in checks if c.state == Check.State.DUE)
