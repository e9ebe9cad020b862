"""R-14, the dashboard's «current surges»: each surge of the last 24 hours, and any surge still going on however
long ago it began, is shown, the ones going on first and marked «продолжается» with the time of their latest rise;
one that ended shows for a day after it was raised, then goes.

Scenario: «ЖКХ», Гатчинский муниципальный округ, quiet in September 2025; from 11:00 on Wednesday 08.10.2025
people write about hot water every 5 minutes (`builders.hot_water_surge`: the detector raises the surge at 11:40),
and go on every 10 minutes into the night; the detector runs every hour. The surge's own rise lifts its baseline
(the key's recent level), so the detector finds it over in the small hours."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.template.loader import render_to_string

from otklik.analysis import surges
from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.notify.models import Alert
from otklik.org.models import Municipality, TopicGroup
from otklik.reports import dashboard
from tests.conftest import Personas, msk
from tests.reports.builders import hot_water_surge, message

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" ,", ",")


def test_the_dashboard_marks_a_surge_going_on_and_drops_it_a_day_after(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    hot_water_surge(p)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(surges.detect(msk(2025, 10, 8, 11, 40))) == 1
    group, place = (
        TopicGroup.objects.get(name="ЖКХ"),
        Municipality.objects.get(name="Гатчинский муниципальный округ"),
    )
    at, run = msk(2025, 10, 8, 11, 40), msk(2025, 10, 8, 12, 40)

    def people_write_until(end: datetime) -> None:
        nonlocal at, run
        while at <= end:
            actions.dispatch_case(
                p.curator,
                [message(at, text=f"До сих пор нет горячей воды, дом {at:%H%M} на ул. Соборной")],
                [Route(p.roads)],
                topic_group=group,
                municipality=place,
                now=at,
            )
            at += timedelta(minutes=10)
            if at >= run:
                with django_capture_on_commit_callbacks(execute=True):
                    surges.detect(run)
                run += timedelta(hours=1)

    people_write_until(msk(2025, 10, 8, 18, 0))
    alert = Alert.objects.get(kind=Alert.Kind.SURGE)  # one surge: while it goes on, nothing new is raised
    shown = dashboard.overview(msk(2025, 10, 8, 18, 5))["surges"]
    assert [(a.pk, a.ongoing) for a in shown] == [(alert.pk, True)]
    page = text(
        render_to_string("reports/dashboard.html", {"overview": dashboard.overview(msk(2025, 10, 8, 18, 5))})
    )
    assert "обычно 0,38 (08.10 11:40) · продолжается, последний рост 08.10 17:40" in page

    people_write_until(msk(2025, 10, 9, 6, 0))
    alert.refresh_from_db()
    last_rise = datetime.fromtimestamp(alert.evidence["last_seen"], UTC)
    assert msk(2025, 10, 8, 18, 0) < last_rise < msk(2025, 10, 9, 6, 0)
    later = last_rise + timedelta(hours=4)  # quiet for longer than `quiet_minutes` (3 h): over
    shown = dashboard.overview(later)["surges"]
    assert [(a.pk, a.ongoing) for a in shown] == [(alert.pk, False)]
    assert "продолжается" not in render_to_string(
        "reports/dashboard.html", {"overview": dashboard.overview(later)}
    )
    # raised at 11:40 on 08.10 and over: gone from the dashboard a day later (the alerts page keeps it)
    assert dashboard.overview(msk(2025, 10, 9, 11, 45))["surges"] == []
