"""R-7.4 follows the production calendar: the Governor declares Thursday 13.03.2025 a regional day off while a
post of Wednesday 12.03.2025 10:00 is watched. The checks still ahead were left on Thursday, when nobody works;
they move to Friday and Monday, the post page says from when, and the administrator is told. A check already
done stays as it was.

Default schedule: Mon–Thu 09:00–18:00, Fri 09:00–16:45, lunch 13:00–13:45. First window: 10:00–12:00. Checks
every 2 working hours from 12:00, counted by hand:
- before: Wed 14:45, 16:45; Thu 09:45, 11:45, 14:30, 16:30; Fri 09:30, 11:30;
- Thursday off: Wed 14:45, 16:45; Fri 09:45, 11:45, 14:30, 16:30; Mon 17.03 10:45, 12:45 (16:30–16:45 on
  Friday is 15 minutes, 105 more on Monday), the last one's time running to Mon 15:30."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from otklik.governor import service
from otklik.governor.models import Check
from otklik.worktime.models import CalendarOverride
from tests.conftest import Personas, msk
from tests.governor.helpers import client_for, governor_post, governor_source

pytestmark = pytest.mark.django_db

POST_AT = msk(2025, 3, 12, 10, 0)


def test_a_regional_day_off_moves_the_checks_still_ahead_and_the_post_page_says_so(
    p: Personas, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=msk(2025, 3, 12, 10, 5))
    watch = post.watch
    before = [c.due_at for c in watch.checks.order_by("number")]
    assert before == [
        msk(2025, 3, 12, 14, 45),
        msk(2025, 3, 12, 16, 45),
        msk(2025, 3, 13, 9, 45),
        msk(2025, 3, 13, 11, 45),
        msk(2025, 3, 13, 14, 30),
        msk(2025, 3, 13, 16, 30),
        msk(2025, 3, 14, 9, 30),
        msk(2025, 3, 14, 11, 30),
    ]
    # the first check was run at its moment: history, whatever the calendar says later
    service.run_checks(now=msk(2025, 3, 12, 14, 50), fetch=False)
    assert watch.checks.get(number=1).state == Check.State.DONE

    # Wednesday 15:00: the decree is entered
    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 3, 12, 15, 0))
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    response = client.post(
        "/admin/worktime/calendaroverride/add/",
        {"date": "2025-03-13", "kind": "off", "hours_like": "", "note": "распоряжение Губернатора"},
        follow=True,
    )
    page = response.content.decode()
    assert "Проверки комментариев под постами Губернатора пересчитаны" in page
    assert "перенесено 6" in page  # checks 3–8; the second (Wednesday 16:45) keeps its time

    checks = list(watch.checks.order_by("number"))
    assert [c.due_at for c in checks] == [
        msk(2025, 3, 12, 14, 45),
        msk(2025, 3, 12, 16, 45),
        msk(2025, 3, 14, 9, 45),
        msk(2025, 3, 14, 11, 45),
        msk(2025, 3, 14, 14, 30),
        msk(2025, 3, 14, 16, 30),
        msk(2025, 3, 17, 10, 45),
        msk(2025, 3, 17, 12, 45),
    ]
    assert checks[1].grace_until == msk(2025, 3, 14, 9, 45)  # the second check's time now runs to Friday
    assert checks[-1].grace_until == msk(2025, 3, 17, 15, 30)
    assert checks[0].state == Check.State.DONE and checks[0].ran_at is not None
    watch.refresh_from_db()
    assert watch.span_end() == msk(2025, 3, 17, 12, 45)  # a question until then is still clause 7 work

    # the curator reads on the post page when each check now is and why it moved
    curator_page = client_for("curator").get(f"/governor/posts/{watch.pk}/").content.decode()
    assert "17.03.2025 12:45" in curator_page
    assert (
        "перенесена с 13.03.2025 09:45: изменён производственный календарь (13.03.2025: выходной — "
        "распоряжение Губернатора)"
    ) in curator_page

    # the correction withdrawn: the checks are back on Thursday
    override_id = CalendarOverride.objects.get().pk
    client.post(f"/admin/worktime/calendaroverride/{override_id}/delete/", {"post": "yes"})
    assert [c.due_at for c in watch.checks.order_by("number")] == before
