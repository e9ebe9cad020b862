"""R-13: the quarterly rating when nobody can be rated yet says what is true.

The rating rates only bodies with a measure of their work (`rating.WORK`). In the first hours of a quarter every
case sent so far is still in work, so the table is empty. The page then said «За квартал нет обращений.» while
cases had been sent and received, a claim the case list contradicts. Now the page (and the letter that delivers a
quarter's rating) says how many cases the bodies received and that none of them has anything to rate yet (no term
met or run out, no draft reviewed, no violation or refusal); «не направлялись обращения» only when none were sent.
Found by a review (session 21)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Assignment
from otklik.notify.models import Notice
from otklik.reports import periods, rating
from otklik.reports.delivery import deliver_rating
from tests.conftest import Personas, msk
from tests.reports.builders import message

pytestmark = pytest.mark.django_db


def _empty_text(html: str) -> str:
    empty = re.search(r'data-testid="rating-empty">([^<]*)<', html)
    assert empty is not None  # nobody is rated: the table is empty, as intended
    return empty.group(1)


def test_the_running_quarters_rating_does_not_say_there_were_no_cases(
    personas: Personas, client: Client
) -> None:
    p = personas
    now = timezone.now()
    case = actions.dispatch_case(p.curator, [message(now)], [Route(p.roads)], now=now)
    assert Assignment.objects.filter(case=case, received_at__isnull=False).exists()  # roads received it
    quarter = periods.quarter_of(timezone.localdate())
    client.force_login(p.observer)
    html = client.get(f"/reports/rating/?quarter={quarter.key}").content.decode()
    text = _empty_text(html)
    assert "нет обращений" not in text and "не направлялись" not in text, (
        f"the rating says «{text}» while case № {case.pk} was sent to «Дороги» in this quarter"
    )
    assert text.startswith(
        "Оценивать пока не по чему: органам исполнительной власти области в квартале направлено 1 обращение "
        "(органов: 1)"
    ), text


def test_a_quarter_without_cases_says_none_were_sent(personas: Personas, client: Client) -> None:
    client.force_login(personas.observer)
    html = client.get("/reports/rating/?quarter=2025Q2").content.decode()
    assert _empty_text(html) == "В квартале органам исполнительной власти области не направлялись обращения."


def test_the_letter_of_a_quarter_with_cases_and_nobody_rated_says_how_many_cases(
    personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    p = personas
    p.observer.email = "observer@example.org"
    p.observer.save()
    # two cases of the fourth quarter closed by the curator before any term ran: nothing to rate anybody on
    for day in (6, 7):
        case = actions.dispatch_case(
            p.curator,
            [message(msk(2025, 10, day, 9, 0))],
            [Route(p.roads), Route(p.health)],
            now=msk(2025, 10, day, 10, 0),
        )
        actions.close_case(p.curator, case, "дубликат", now=msk(2025, 10, day, 10, 5))
    data = rating.build(periods.quarter(2025, 4), msk(2026, 1, 12, 9, 0))
    assert data["rows"] == [] and data["received"] == {"cases": 2, "bodies": 2}
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assert deliver_rating(msk(2026, 1, 12, 9, 0)) is not None
    notice = Notice.objects.get(recipient=p.observer, title__startswith="Квартальный")
    assert "не направлялись" not in notice.text
    assert (
        "Органов в рейтинге нет. Оценивать не по чему: органам исполнительной власти области в квартале направлено "
        "2 обращения (органов: 2), но ни по одному нет наступившего или выполненного срока" in notice.text
    ), notice.text
    assert any("направлено 2 обращения" in m.body for m in mail.outbox)
