"""Found by a review (session 27), fixed since. R-7.2 with a body's schedule changed (working time): two questions asked in the first two hours of a Governor's
post, both counted from the post's time, one triaged before the body's new hours were saved, the other after.

Post Wed 12.03.2025 08:00; the health committee on the standard hours (09:00–13:00, 13:45–18:00). Questions at 08:30
and 08:40. At 09:30 the committee is put on summer hours 08:00–17:00. The first question, triaged at 08:35, was due
11:00; the save leaves it there, as docs/worktime.md says: the 30 minutes 09:00–09:30 stay counted by the old hours
(the committee did not work 08:00–09:00), the 90 left run by the new ones from 09:30 → 11:00. The second, triaged
at 09:35, is counted from the same 08:00 by the new hours over the whole time — as if the committee had worked
08:00–09:00 — and is due 10:00: an hour earlier than the same question asked before it, and its executor is
charged a violation at 10:00."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from otklik.cases.models import Deadline
from otklik.governor import service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.helpers import HEALTH_QUESTION, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db

EARLY = {"week": {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}}


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _due(message_id: int) -> datetime:
    c = Comment.objects.get(message_id=message_id)
    assert c.kind == Comment.Kind.QUESTION and c.case_id is not None, (c.kind, c.reason)
    return timezone.localtime(Deadline.objects.get(case_id=c.case_id, stage=Deadline.Stage.GOV_ANSWER).due_at)


def test_a_first_window_question_triaged_after_the_bodys_new_hours_counts_the_time_before_by_the_old_ones(
    p: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = governor_post(governor_source(), msk(2025, 3, 12, 8, 0))
    service.open_watches(now=msk(2025, 3, 12, 8, 0))
    first = comment(post, HEALTH_QUESTION, msk(2025, 3, 12, 8, 30), author="201")
    service.process_comments(now=msk(2025, 3, 12, 8, 35))
    assert _due(first.pk) == msk(2025, 3, 12, 11, 0)

    second = comment(post, HEALTH_QUESTION, msk(2025, 3, 12, 8, 40), author="202")
    _at(monkeypatch, msk(2025, 3, 12, 9, 30))
    p.health.schedule = EARLY
    p.health.save()
    assert _due(first.pk) == msk(2025, 3, 12, 11, 0)  # 30 minutes by the old hours, 90 by the new from 09:30

    service.process_comments(now=msk(2025, 3, 12, 9, 35))
    # the same question, asked in the same first two hours of the same post: due at the same moment
    assert _due(second.pk) == _due(first.pk) == msk(2025, 3, 12, 11, 0)
