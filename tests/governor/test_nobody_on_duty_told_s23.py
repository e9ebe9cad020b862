"""Found by a review (session 23), fixed since. R-6 with R-7.1/R-7.2: a question under the Governor's post goes to a body where nobody is on duty, and nobody
is told until the first reminder, half of the 2 working hours later.

Scenario: every person of «Дороги» (executor Давыдов and its responsible official) is on a business trip
5–8.11.2024, no substitute named. The Governor's post is published Tue 5.11.2024 10:00; at 10:20 a resident asks
«Когда отремонтируют дорогу в Гатчине? Ямы по колено.» The checks' run at 10:25 routes it to «Дороги» with its
2-working-hour term (due 12:01). The assignment itself records «в органе не осталось никого на месте — нужно
решение куратора», and its executor is empty.

Now: nobody at all is told at 10:25 — no executor, no head, no curator. The curator first hears of it from the
sweep's reminder («осталось 0 ч 31 мин») an hour later, with half the term gone.
Should: as for a clause 8 message received by a body with nobody on duty (`cases.actions._start_assignment`,
docs/requirements.md R-6 «are told so at once when the body receives the message»,
tests/cases/test_nobody_on_duty_told_at_once_s19.py), the curators are told at once, at 10:25, that nobody of
«Дороги» is there and a decision is needed — the Governor's 2 working hours are even shorter than clause 8's terms.
"""

from __future__ import annotations

import pytest

from otklik.cases.models import Notification
from otklik.governor import service
from otklik.governor.models import Comment
from otklik.org.models import Absence
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401  (health and roads competent for their topics)
from tests.governor.helpers import ROADS_QUESTION, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_r6_r7_curator_told_at_once_when_nobody_of_the_body_is_on_duty_for_a_governor_question(
    p: Personas,  # noqa: F811
) -> None:
    for person in (p.dave, p.roads_head):  # everybody of «Дороги» away that week, nobody named
        Absence.objects.create(
            person=person,
            reason="business_trip",
            starts_at=msk(2024, 11, 5, 0, 0),
            ends_at=msk(2024, 11, 9, 0, 0),
        )
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, ROADS_QUESTION, msk(2024, 11, 5, 10, 20))

    service.run_checks(msk(2024, 11, 5, 10, 25), fetch=False)

    row = Comment.objects.get(message=question)
    assert row.case is not None, "precondition: the question went to «Дороги»"
    part = row.case.assignments.get()
    assert part.body == p.roads and part.executor is None, "precondition: nobody of «Дороги» is on duty"

    told = Notification.objects.filter(
        recipient=p.curator, case=row.case, created_at=msk(2024, 11, 5, 10, 25)
    )
    assert told.exists(), (
        "nobody was told that the Governor's question went to «Дороги» where nobody is on duty: "
        f"notifications now: {list(Notification.objects.values_list('recipient__username', 'text'))}"
    )
    assert "Дороги" in told.first().text
