"""R-14 surges: a synthetic series with a daily profile, an injected burst of known size and start."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from django.test import Client

from otklik.analysis import surges
from otklik.analysis.surges import Series, SurgeSettings
from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.notify.alerts import telegram_text
from otklik.notify.models import Alert, Notice
from otklik.org.models import Municipality, Topic, TopicGroup
from tests.conftest import Personas, msk
from tests.reports.builders import hot_water_surge, message

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
    alerts = _run(background() + burst(10, night), cfg)
    assert [c.key for _, c in alerts] == [KEYS[0]]
    same_by_day = _run(background() + burst(10, BURST_AT), cfg)
    assert same_by_day == []


def test_five_people_in_an_hour_where_almost_nobody_writes_are_a_surge() -> None:
    """R-14: a quiet key (two messages in the four weeks before) — 5 messages in an hour are an alert; the
    baseline's floor (0.05 a window) decides it: held at 0.2 the same five would be taken for chance."""
    quiet = ("Здравоохранение", "Подпорожье")
    earlier = [(msk(2025, 9, day, 10, 0).timestamp(), quiet) for day in (15, 29)]
    events = background() + earlier
    assert _run(events, SurgeSettings()) == []
    alerts = _run(events + burst(5, BURST_AT, key=quiet), SurgeSettings())
    assert [c.key for _, c in alerts] == [quiet]
    assert alerts[0][1].count == 5 and alerts[0][1].baseline == 0.05
    assert _run(events + burst(5, BURST_AT, key=quiet), SurgeSettings(floor=0.2)) == []


def test_sensitivity_is_configurable() -> None:
    events = background() + burst(40, BURST_AT)
    assert len(_run(events, SurgeSettings())) == 1
    assert _run(events, SurgeSettings(min_count=60)) == []
    assert _run(events, SurgeSettings(min_ratio=10)) == []
    assert _run(events, SurgeSettings(alpha=1e-30)) == []
    with pytest.raises(ValueError, match="dispersion"):
        SurgeSettings(dispersion="nb")
    with pytest.raises(ValueError, match="topic_dispersion"):
        SurgeSettings(topic_dispersion="nb")
    assert SurgeSettings(topic_dispersion="poisson").dispersion_form(True) == "poisson"
    assert SurgeSettings().dispersion_form(True) == "linear"  # "": as the group keys


def test_settings_come_from_django_settings(settings: Any) -> None:
    settings.OTKLIK_SURGE = {"alpha": 1e-4, "dispersion": "poisson", "wave_places": 0}
    cfg = SurgeSettings.from_settings()
    assert (cfg.alpha, cfg.dispersion, cfg.wave_places, cfg.min_count) == (1e-4, "poisson", 0, 5)


@pytest.mark.django_db
def test_detect_raises_one_alert_with_evidence_from_the_database(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    hot_water_surge(p, "Нет горячей воды в доме {i} на ул. Соборной")  # six quiet messages, then seven
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


# ------------------------------------------------------------------------------------------ topic keys
HEAT, WATER = (("ЖКХ", "Отопление"), "Гатчина"), (("ЖКХ", "Горячая вода"), "Гатчина")


def dispatch_about(p: Personas, at: datetime, topic: Topic, place: Municipality, text: str) -> None:
    """A message the curator sends on with its topic (and so its group) and place set."""
    actions.dispatch_case(
        p.curator,
        [message(at, text=text)],
        [Route(p.roads)],
        topic=topic,
        topic_group=topic.group,
        municipality=place,
        now=at,
    )


def with_topics(events: list[tuple[float, Any]]) -> list[tuple[float, Any]]:
    """The background's first key split into two topics: of its ~10 messages an hour, every tenth about hot
    water, the rest about heating."""
    out = list(events)
    mine = sorted(t for t, k in events if k == KEYS[0])
    out += [(t, WATER if n % 10 == 0 else HEAT) for n, t in enumerate(mine)]
    return out


def test_a_surge_of_one_topic_stands_out_where_its_group_does_not() -> None:
    """R-14: ten messages about hot water in an hour, where the group sees ten an hour anyway (its count only
    doubles) but hot water about one: a surge of the topic, told by the topic."""
    events = with_topics(background())
    extra = burst(10, BURST_AT)  # into the group's key ...
    events += extra + [(t, WATER) for t, _ in extra]  # ... and the topic's
    assert _run(events, SurgeSettings(topic_alpha=0)) == []
    alerts = _run(events, SurgeSettings())
    assert [c.key for _, c in alerts] == [WATER]
    # found while the ten arrive (the topic keys' budget of 2026-12-01 tells it at the eighth), told by its count
    assert 5 <= alerts[0][1].count <= 10 and alerts[0][1].baseline < 2
    assert alerts[0][1].count >= 2.5 * alerts[0][1].baseline
    assert _run(with_topics(background()), SurgeSettings()) == []  # the background alone: nothing


def test_a_surge_of_a_topic_and_of_its_group_in_one_place_is_one_alert() -> None:
    events = with_topics(background())
    extra = burst(40, BURST_AT)  # the group quadruples, all of it hot water
    events += extra + [(t, WATER) for t, _ in extra]
    alerts = _run(events, SurgeSettings())
    assert len(alerts) == 1 and alerts[0][1].key == WATER
    assert surges.family(WATER) == KEYS[0] and surges.is_topic(WATER) and not surges.is_topic(KEYS[0])


def test_the_oblast_counts_a_message_once_though_it_is_in_its_topic_key_too() -> None:
    series = Series.from_events([(100.0, KEYS[0]), (100.0, WATER), (200.0, KEYS[1])])
    assert list(series.all) == [100, 200]
    assert list(series.with_events(WATER, [150.0]).all) == [100, 200]
    assert list(series.with_events(KEYS[0], [150.0]).all) == [100, 150, 200]


@pytest.mark.django_db
def test_detect_tells_a_surge_of_one_topic_by_its_topic_with_its_own_messages(
    personas: Personas, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    p = personas
    group = TopicGroup.objects.create(name="ЖКХ")
    water = Topic.objects.create(group=group, name="Нет горячей воды")
    heat = Topic.objects.create(group=group, name="Нет отопления")
    place = Municipality.objects.create(name="Гатчинский муниципальный округ")

    def case(at: datetime, topic: Topic, text: str) -> None:
        dispatch_about(p, at, topic, place, text)

    for i, day in enumerate((10, 11, 15, 16, 17, 18)):  # a quiet history: six messages on six working days
        case(msk(2025, 9, day, 11, i), heat, "Холодные батареи")
    for i in range(7):
        case(msk(2025, 10, 8, 11, 0) + timedelta(minutes=5 * i), water, f"Нет горячей воды в доме {i}")
    for i in range(3):
        case(msk(2025, 10, 8, 11, 2) + timedelta(minutes=10 * i), heat, f"Холодно в квартире {i}")
    with django_capture_on_commit_callbacks(execute=True):
        raised = surges.detect(msk(2025, 10, 8, 11, 40))
    assert len(raised) == 1  # the group's surge (10 against 0.375) and the topic's (7) are one
    alert = raised[0]
    assert alert.title == "Всплеск активности: ЖКХ / Нет горячей воды — Гатчинский муниципальный округ"
    assert alert.evidence["topic_id"] == water.pk and alert.evidence["count"] == 7
    assert [s["text"] for s in alert.evidence["samples"]] == [
        f"Нет горячей воды в доме {i}" for i in (6, 5, 4, 3, 2)
    ]
    assert alert.key.startswith(f"surge:{group.pk}:{place.pk}:")
    with django_capture_on_commit_callbacks(execute=True):
        assert surges.detect(msk(2025, 10, 8, 11, 50)) == []  # it goes on: neither level alerts again
    # while it goes on, heating rises too: the same surge, the topic added to its evidence
    for i in range(7):
        case(msk(2025, 10, 8, 11, 52) + timedelta(minutes=3 * i), heat, f"Нет отопления в доме {i}")
    with django_capture_on_commit_callbacks(execute=True):
        assert surges.detect(msk(2025, 10, 8, 12, 15)) == []
    alert.refresh_from_db()
    assert Alert.objects.filter(kind="surge").count() == 1
    assert alert.evidence["other_topic_ids"] == [heat.pk] and alert.evidence["other_topics"] == [
        "Нет отопления"
    ]
    assert alert.evidence["last_count"] == 7  # hot water's own count, not the group's
    client.force_login(p.observer)
    html = client.get("/notify/alerts/").content.decode()
    assert "Всплеск активности: ЖКХ / Нет горячей воды" in html
    assert "В том же месте растут и другие темы: Нет отопления" in html


# ------------------------------------------------------------------ over-dispersion, waves, the recent level
def test_the_negative_binomial_tail_is_the_poisson_one_without_over_dispersion_and_heavier_with_it() -> None:
    assert surges.nbinom_sf(0, 1.0, 0.5) == 1.0
    assert surges.nbinom_sf(7, 0.4, 0.0) == pytest.approx(surges.poisson_sf(7, 0.4))
    assert surges.nbinom_sf(7, 0.4, 1e-6) == pytest.approx(surges.poisson_sf(7, 0.4), rel=1e-3)
    assert surges.nbinom_sf(7, 0.4, 1.0) > 100 * surges.poisson_sf(7, 0.4)
    # its mean is the mean: Σ P(X ≥ k) over k ≥ 1
    assert sum(surges.nbinom_sf(k, 1.5, 2.0) for k in range(1, 400)) == pytest.approx(1.5, rel=1e-6)


CLUSTERED = ("Благоустройство", "Гатчина")
STEADY = ("ЖКХ", "Кировск")


def clustered_background(seed: int = 3) -> list[tuple[float, Any]]:
    """STEADY: one message an hour in working hours. CLUSTERED: the same, and every day a row of 6 messages within
    20 minutes at a random hour (one person filing about every pothole of a street)."""
    rng = random.Random(seed)
    events: list[tuple[float, Any]] = []
    t = START
    end = msk(2025, 10, 10)
    while t < end:
        if working_day(t.date()) and 9 <= t.hour < 18:
            for key in (CLUSTERED, STEADY):
                events.append(((t + timedelta(seconds=rng.randrange(3600))).timestamp(), key))
        if t.hour == 0:
            row = t + timedelta(hours=rng.randrange(8, 22), minutes=rng.randrange(40))
            events += [((row + timedelta(minutes=4 * i)).timestamp(), CLUSTERED) for i in range(6)]
        t += timedelta(hours=1)
    return events


def test_a_key_that_always_comes_in_rows_needs_more_than_a_row_and_a_steady_one_does_not() -> None:
    events = (
        clustered_background()
        + burst(10, BURST_AT, minutes=40, key=CLUSTERED)
        + burst(10, BURST_AT + timedelta(hours=4), minutes=40, key=STEADY)
    )
    poisson = {c.key for _, c in _run(events, SurgeSettings(dispersion="poisson"))}
    assert CLUSTERED in poisson and STEADY in poisson
    alerts = _run(events, SurgeSettings())
    assert [c.key for _, c in alerts] == [STEADY]
    assert alerts[0][1].dispersion == 0.0  # the steady key is not over-dispersed
    series = Series.from_events(events)
    d = surges.Baseline(SurgeSettings(), working_day).dispersion(series, int(BURST_AT.timestamp()))
    assert d[CLUSTERED] > 1.0 and d[STEADY] == 0.0


PLACES = ["Гатчина", "Кировск", "Луга", "Тосно", "Выборг"]


def places_background() -> list[tuple[float, Any]]:
    """Two messages an hour in working hours in each of five places, one topic group; one a night hour."""
    rng = random.Random(5)
    events: list[tuple[float, Any]] = []
    t = START
    while t < msk(2025, 10, 10):
        rate = 2 if working_day(t.date()) and 9 <= t.hour < 18 else 1 if t.hour % 2 else 0
        for place in PLACES:
            events += [
                ((t + timedelta(seconds=rng.randrange(3600))).timestamp(), ("ЖКХ", place))
                for _ in range(rate)
            ]
        t += timedelta(hours=1)
    return events


def test_a_rise_in_many_places_at_once_is_one_oblast_wide_alert() -> None:
    # 15 more an hour in every place for two hours: each place alone is a surge
    events = places_background() + [
        e for p in PLACES for e in burst(30, BURST_AT, minutes=120, key=("ЖКХ", p))
    ]
    alerts = _run(events, SurgeSettings())
    assert len(alerts) == 1
    wave = alerts[0][1]
    assert wave.is_wave and wave.key == ("ЖКХ", None)
    assert {k for k, _, _ in wave.places} == {("ЖКХ", p) for p in PLACES}
    assert 0 < alerts[0][0] - int(BURST_AT.timestamp()) <= 3600
    # without waves: one alert per place
    assert len(_run(events, SurgeSettings(wave_places=0))) == len(PLACES)


def test_a_shallow_rise_everywhere_is_a_wave_though_no_place_is_a_surge_alone() -> None:
    events = places_background() + [e for p in PLACES for e in burst(6, BURST_AT, key=("ЖКХ", p))]
    assert _run(events, SurgeSettings(wave_places=0)) == []
    alerts = _run(events, SurgeSettings())
    assert [c.key for _, c in alerts] == [("ЖКХ", None)]
    # the same rise in two places only is not a wave
    two = places_background() + [e for p in PLACES[:2] for e in burst(6, BURST_AT, key=("ЖКХ", p))]
    assert _run(two, SurgeSettings()) == []


def test_a_place_that_rises_during_a_wave_is_part_of_it() -> None:
    cfg = SurgeSettings()
    tracker = surges.Tracker(cfg)
    wave = surges.Candidate(("ЖКХ", None), 40, 10.0, 1e-9, 0, 3600, places=((("ЖКХ", "Луга"), 8, 2.0),) * 3)
    place = surges.Candidate(("ЖКХ", "Тосно"), 12, 2.0, 1e-9, 0, 3600)
    other = surges.Candidate(("Дороги", "Тосно"), 12, 2.0, 1e-9, 0, 3600)
    assert tracker.update([wave], 3600) == [wave]
    assert tracker.update([place, other], 3600 + 7200) == [other]
    # the place kept the wave going: two hours later it is still on
    assert tracker.update([place], 3600 + 7200 + 7200) == []
    assert tracker.update([place], 3600 + 7200 + 7200 + 4 * 3600) == [place]


def test_a_season_raises_the_baseline_through_the_recent_level() -> None:
    key = ("Благоустройство", "Луга")
    rng = random.Random(9)
    events: list[tuple[float, Any]] = []
    t = START
    while t < msk(2025, 10, 10):
        rate = 4 if t >= msk(2025, 10, 1) else 1  # snow from 1 October on
        events += [((t + timedelta(seconds=rng.randrange(3600))).timestamp(), key) for _ in range(rate)]
        t += timedelta(hours=1)
    events += burst(6, BURST_AT, key=key)
    series = Series.from_events(events)
    at = int((BURST_AT + timedelta(minutes=55)).timestamp())
    flat = SurgeSettings(recent_days=0, alpha=0.5, min_ratio=0)
    seasonal = SurgeSettings(recent_days=7, alpha=0.5, min_ratio=0)
    base = surges.scan(series, at, flat, surges.Baseline(flat, working_day))[0].baseline
    raised = surges.scan(series, at, seasonal, surges.Baseline(seasonal, working_day))[0].baseline
    assert raised > 1.5 * base


@pytest.mark.django_db
def test_detect_raises_one_oblast_wide_alert_for_a_wave_with_its_places(
    personas: Personas, django_capture_on_commit_callbacks: Any, client: Client
) -> None:
    p = personas
    group = TopicGroup.objects.create(name="ЖКХ")
    places = [
        Municipality.objects.create(name=name)
        for name in (
            "Гатчинский муниципальный округ",
            "Кировский муниципальный район",
            "Лужский муниципальный район",
        )
    ]
    for n, place in enumerate(places):
        for week in range(4):  # a quiet history: one message a week in each place
            at = msk(2025, 9, 10, 10 + n, 0) + timedelta(days=7 * week)
            actions.dispatch_case(
                p.curator, [message(at)], [Route(p.roads)], topic_group=group, municipality=place, now=at
            )
    for n, place in enumerate(places):
        for i in range(8):
            at = msk(2025, 10, 8, 11, 0) + timedelta(minutes=5 * i + n)
            actions.dispatch_case(
                p.curator,
                [message(at, text=f"Нет горячей воды, {place.name}, дом {i}")],
                [Route(p.roads)],
                topic_group=group,
                municipality=place,
                now=at,
            )
    with django_capture_on_commit_callbacks(execute=True):
        raised = surges.detect(msk(2025, 10, 8, 11, 45))
    assert len(raised) == 1
    alert = raised[0]
    assert alert.kind == Alert.Kind.SURGE and alert.key.startswith(f"surge:{group.pk}:oblast:")
    assert alert.title.startswith("Волна активности по области: ЖКХ")
    assert alert.evidence["scope"] == "oblast" and alert.evidence["count"] == 24
    assert {x["name"] for x in alert.evidence["places"]} == {m.name for m in places}
    assert all(x["count"] == 8 for x in alert.evidence["places"])
    assert len(alert.evidence["samples"]) == 5 and "горячей воды" in alert.evidence["samples"][0]["text"]
    assert "Гатчинский муниципальный округ" in alert.place and "рост сразу в 3 муниципальных" in alert.text
    # the wave goes on: neither it nor its places alert again
    with django_capture_on_commit_callbacks(execute=True):
        assert surges.detect(msk(2025, 10, 8, 11, 55)) == []
    assert Alert.objects.filter(kind="surge").count() == 1
    # the Governor's office sees it in Russian: the chat message and the alerts page with the places
    assert "Место: по области: " in telegram_text(alert) and "Волна сообщений по области" in telegram_text(
        alert
    )
    client.force_login(p.observer)
    html = client.get("/notify/alerts/").content.decode()
    assert "Волна активности по области: ЖКХ (3 МО)" in html
    assert (
        "Волна по области, рост в муниципальных образованиях" in html
        and "Лужский муниципальный район — 8" in html
    )


@pytest.mark.django_db
def test_detect_tells_a_wave_of_one_topic_by_its_topic(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    group = TopicGroup.objects.create(name="ЖКХ")
    water = Topic.objects.create(group=group, name="Нет горячей воды")
    heat = Topic.objects.create(group=group, name="Нет отопления")
    places = [
        Municipality.objects.create(name=name)
        for name in (
            "Гатчинский муниципальный округ",
            "Кировский муниципальный район",
            "Лужский муниципальный район",
        )
    ]

    case = partial(dispatch_about, p)

    for n, place in enumerate(places):
        for week in range(4):  # a quiet history: one message a week in each place
            case(msk(2025, 9, 10, 10 + n, 0) + timedelta(days=7 * week), water, place, "Нет горячей воды")
        for i in range(8):
            at = msk(2025, 10, 8, 11, 0) + timedelta(minutes=5 * i + n)
            case(at, water, place, f"Нет горячей воды, {place.name}, дом {i}")
        case(msk(2025, 10, 8, 11, 1), heat, place, "Холодные батареи")
    with django_capture_on_commit_callbacks(execute=True):
        raised = surges.detect(msk(2025, 10, 8, 11, 45))
    assert len(raised) == 1
    alert = raised[0]
    assert alert.title == "Волна активности по области: ЖКХ / Нет горячей воды (3 МО)"
    assert alert.key.startswith(f"surge:{group.pk}:oblast:")
    assert alert.evidence["topic_id"] == water.pk and alert.evidence["count"] == 24
    assert all("горячей воды" in s["text"] for s in alert.evidence["samples"])
    with django_capture_on_commit_callbacks(execute=True):
        assert surges.detect(msk(2025, 10, 8, 11, 55)) == []  # the wave goes on: no group wave, no places
    assert Alert.objects.filter(kind="surge").count() == 1


def test_the_false_alarm_budget_is_spent_by_the_hour_people_write_in() -> None:
    """R-14: the budget follows the oblast's traffic by time of day and week (`activity_time_weight`): a rise
    whose tail is just too likely for the even budget is a surge in a working hour, when ten times as many
    people write as at night; at night one that the even budget would take is not."""
    events = background()
    base_cfg = SurgeSettings(alpha=1.0, wave_places=0, topic_alpha=0.0)

    def p_value(extra: list[tuple[float, Any]], at: datetime, cfg: SurgeSettings) -> float | None:
        found = surges.scan(
            Series.from_events(events + extra), int(at.timestamp()), cfg, surges.Baseline(cfg, working_day)
        )
        return next((c.p_value for c in found if c.key == KEYS[0]), None)

    day = msk(2025, 10, 8, 11, 0)
    night = msk(2025, 10, 8, 2, 0)
    by_day, at_night = burst(20, day), burst(5, night)
    p_day = p_value(by_day, day + timedelta(hours=1), replace(base_cfg, activity_time_weight=0.0))
    p_night = p_value(at_night, night + timedelta(hours=1), replace(base_cfg, activity_time_weight=0.0))
    assert p_day is not None and p_night is not None

    def alerted(extra: list[tuple[float, Any]], at: datetime, alpha: float, u: float) -> bool:
        return (
            p_value(extra, at + timedelta(hours=1), replace(base_cfg, alpha=alpha, activity_time_weight=u))
            is not None
        )

    assert not alerted(by_day, day, p_day / 2, 0.0)
    assert alerted(by_day, day, p_day / 2, 1.0)
    assert alerted(at_night, night, p_night * 2, 0.0)
    assert not alerted(at_night, night, p_night * 2, 1.0)
    with pytest.raises(ValueError, match="activity_time_weight"):
        SurgeSettings(activity_time_weight=1.5)
