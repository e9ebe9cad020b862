"""R-14 surges: a synthetic series with a daily profile, an injected burst of known size and start."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from otklik.analysis import surges
from otklik.analysis.surges import Series, SurgeSettings
from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.notify.models import Alert, Notice
from otklik.org.models import Municipality, TopicGroup
from tests.conftest import Personas, msk
from tests.reports.builders import message

START = msk(2025, 9, 1)  # a Monday
BURST_AT = msk(2025, 10, 8, 11, 0)  # a Wednesday, working time
KEYS = [("ЖКХ", "Гатчина"), ("Дороги", "Гатчина"), ("ЖКХ", "Кировск"), ("Здравоохранение", "Луга")]


def working_day(day: date) -> bool:
    return day.weekday() < 5


def background(seed: int = 7) -> list[tuple[float, Any]]:
    """About 10 messages an hour per key in working hours, 1 at night and on days off."""
    rng = random.Random(seed)
    events: list[tuple[float, Any]] = []
    t = START
    end = msk(2025, 10, 10)
    while t < end:
        busy = working_day(t.date()) and 9 <= t.hour < 18
        for key in KEYS:
            rate = 10.0 if busy else 1.0
            # a steady profile (exact hourly counts at random minutes) keeps the test independent of luck
            for _ in range(int(rate)):
                events.append(((t + timedelta(seconds=rng.randrange(3600))).timestamp(), key))
        t += timedelta(hours=1)
    return events


def burst(size: int, start: datetime, minutes: int = 60, key: Any = KEYS[0]) -> list[tuple[float, Any]]:
    return [((start + timedelta(minutes=minutes * i / size)).timestamp(), key) for i in range(size)]


def _run(events: list[tuple[float, Any]], cfg: SurgeSettings) -> list[tuple[int, surges.Candidate]]:
    series = Series.from_events(events)
    return surges.run(
        series, int(msk(2025, 10, 6).timestamp()), int(msk(2025, 10, 10).timestamp()), cfg, working_day
    )


def test_a_tripling_is_detected_within_the_hour_and_only_once() -> None:
    cfg = SurgeSettings()
    quiet = _run(background(), cfg)
    assert quiet == []  # four days of the ordinary profile raise nothing
    # the key's working-hour rate is ~10/h; 20 more an hour (a tripling) for three hours
    injected = background() + burst(60, BURST_AT, minutes=180)
    alerts = _run(injected, cfg)
    assert len(alerts) == 1
    at, c = alerts[0]
    assert c.key == KEYS[0]
    delay = at - int(BURST_AT.timestamp())
    assert 0 < delay <= 3600
    assert (
        c.count >= cfg.min_count and c.count >= cfg.min_ratio * c.baseline
    )  # alerted before the hour is out


def test_the_night_baseline_is_lower_so_a_smaller_rise_at_night_is_a_surge() -> None:
    night = msk(2025, 10, 8, 2, 0)
    cfg = SurgeSettings()
    alerts = _run(background() + burst(8, night), cfg)
    assert [c.key for _, c in alerts] == [KEYS[0]]
    same_by_day = _run(background() + burst(8, BURST_AT), cfg)
    assert same_by_day == []


def test_sensitivity_is_configurable() -> None:
    events = background() + burst(40, BURST_AT)
    assert len(_run(events, SurgeSettings())) == 1
    assert _run(events, SurgeSettings(min_count=60)) == []
    assert _run(events, SurgeSettings(min_ratio=10)) == []


@pytest.mark.django_db
def test_detect_raises_one_alert_with_evidence_from_the_database(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    group = TopicGroup.objects.create(name="ЖКХ")
    place = Municipality.objects.create(name="Гатчинский муниципальный округ")
    for i in range(6):  # a quiet history: one message a week
        at = msk(2025, 9, 10, 11, 0) + timedelta(days=7 * (i % 4), minutes=i)
        actions.dispatch_case(
            p.curator, [message(at)], [Route(p.roads)], topic_group=group, municipality=place, now=at
        )
    for i in range(7):
        at = msk(2025, 10, 8, 11, 0) + timedelta(minutes=5 * i)
        actions.dispatch_case(
            p.curator,
            [message(at, text=f"Нет горячей воды в доме {i} на ул. Соборной")],
            [Route(p.roads)],
            topic_group=group,
            municipality=place,
            now=at,
        )
    with django_capture_on_commit_callbacks(execute=True):
        raised = surges.detect(msk(2025, 10, 8, 11, 40))
    assert len(raised) == 1
    alert = raised[0]
    assert alert.kind == Alert.Kind.SURGE and alert.place == "Гатчинский муниципальный округ"
    # 6 messages in 10:40–11:40 on the 16 Mon–Thu working days of the four weeks before: 6 / 16
    assert alert.evidence["count"] == 7 and alert.evidence["baseline"] == 0.375
    assert len(alert.evidence["samples"]) == 5 and "горячей воды" in alert.evidence["samples"][0]["text"]
    assert Notice.objects.filter(recipient=p.observer, kind="alert").count() == 1
    # ten minutes later the same surge goes on: no second alert
    with django_capture_on_commit_callbacks(execute=True):
        assert surges.detect(msk(2025, 10, 8, 11, 50)) == []
    assert Alert.objects.filter(kind="surge").count() == 1
