"""R-14 surges as the clock runs them (`notify.tasks.detect_surges` every 5 minutes): a surge is counted by the
messages' publication time once the curator has sent them on (only a case has a topic group and a place). A run now
also examines the windows it has not examined with the data now known — those since its previous run (the worker
was down) and those the curator's late sending on changed — back to the same time of the previous working day: the
Governor's office gets a surge sent on an hour and a half late, or written while the worker was down, once, saying
when it was and why it comes late («Время всплеска: 08.10.2025 10:25–11:25; выявлен с опозданием: сообщения
классифицированы в 12:30»); and a surge that goes on through an outage of the worker is one alert, whether it went
quiet being judged by its messages, not by when the detector last ran.

Found by a review (session 20)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from otklik.analysis import surges
from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.notify.models import Alert
from otklik.org.models import Municipality, TopicGroup
from tests.conftest import Personas, msk
from tests.reports.builders import message

pytestmark = pytest.mark.django_db

BURST = [msk(2025, 10, 8, 11, 0) + timedelta(minutes=5 * i) for i in range(7)]  # Wed 08.10.2025, 11:00–11:30


def _history(p: Personas) -> tuple[TopicGroup, Municipality]:
    """As `tests.reports.builders.hot_water_surge`: six quiet messages at 11:0x on six working days of September
    in «ЖКХ», Гатчина, so seven in 11:00–11:30 on 08.10 are a surge (`test_surges.py` alerts at 11:40)."""
    group = TopicGroup.objects.create(name="ЖКХ")
    place = Municipality.objects.create(name="Гатчинский муниципальный округ")
    for i, day in enumerate((10, 11, 15, 16, 17, 18)):
        at = msk(2025, 9, day, 11, i)
        actions.dispatch_case(
            p.curator, [message(at)], [Route(p.roads)], topic_group=group, municipality=place, now=at
        )
    return group, place


def _send_on(p: Personas, group: TopicGroup, place: Municipality, written: datetime, at: datetime) -> None:
    actions.dispatch_case(
        p.curator,
        [message(written, text=f"Нет горячей воды в доме {written.minute}, ул. Соборная")],
        [Route(p.roads)],
        topic_group=group,
        municipality=place,
        now=at,
    )


def _clock(start: datetime, end: datetime, capture: Any) -> None:
    """The clock's detector run every 5 minutes over [start, end)."""
    at = start
    while at < end:
        with capture(execute=True):
            surges.detect(at)
        at += timedelta(minutes=5)


def test_r14_a_surge_the_curator_sends_on_after_an_hour_and_a_half_is_reported_to_the_governor(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Seven people write about hot water in Gatchina between 11:00 and 11:30 (the same burst `test_surges.py`
    alerts at 11:40); the curator, busy with the inbox, sends them on at 12:30. The detector runs every 5 minutes
    until 15:00: the Governor's office gets the surge alert at 12:30, once, saying when the surge was and that it
    comes late because its messages were sent on at 12:30."""
    p = personas
    group, place = _history(p)
    _clock(msk(2025, 10, 8, 10, 55), msk(2025, 10, 8, 12, 30), django_capture_on_commit_callbacks)
    for written in BURST:
        _send_on(p, group, place, written, msk(2025, 10, 8, 12, 30))
    _clock(msk(2025, 10, 8, 12, 30), msk(2025, 10, 8, 15, 0), django_capture_on_commit_callbacks)
    assert Alert.objects.filter(kind=Alert.Kind.SURGE).count() == 1, (
        "a surge whose messages were sent on 1.5 h after they were written is never reported"
    )
    alert = Alert.objects.get(kind=Alert.Kind.SURGE)
    # reported at once when the curator sent them on, saying when it was and why it comes late
    assert alert.created_at == msk(2025, 10, 8, 12, 30)
    assert alert.evidence["late"]["reason"] == "routing"
    assert "выявлен с опозданием: сообщения классифицированы в 12:30." in alert.text, alert.text
    assert "Время всплеска: 08.10.2025 " in alert.text
    started = datetime.fromisoformat(alert.evidence["window_start"])
    assert msk(2025, 10, 8, 10, 0) <= started <= msk(2025, 10, 8, 11, 0)
    assert f"Время всплеска: 08.10.2025 {started:%H:%M}–" in alert.text
    assert "Нет горячей воды" in alert.evidence["samples"][0]["text"]


def test_r14_a_surge_written_while_the_worker_was_down_is_reported_when_it_is_back(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """The same surge, sent on by the curator as each message comes; the task worker is down from 10:55 to 13:00
    (a restart after a crash, an update). When it is back the clock's detector runs every 5 minutes: the surge of
    11:00–11:30 is reported at 13:00, once, saying when it was and that no check ran from 10:50 to 13:00."""
    p = personas
    group, place = _history(p)
    _clock(msk(2025, 10, 8, 10, 0), msk(2025, 10, 8, 10, 55), django_capture_on_commit_callbacks)
    for written in BURST:  # the curator works meanwhile: each message sent on as it comes
        _send_on(p, group, place, written, written + timedelta(minutes=2))
    _clock(msk(2025, 10, 8, 13, 0), msk(2025, 10, 8, 15, 0), django_capture_on_commit_callbacks)
    assert Alert.objects.filter(kind=Alert.Kind.SURGE).count() == 1, (
        "a surge that happened while the detector did not run is never reported"
    )
    alert = Alert.objects.get(kind=Alert.Kind.SURGE)
    assert alert.created_at == msk(2025, 10, 8, 13, 0)  # the first run after the outage
    assert alert.evidence["late"]["reason"] == "outage"
    assert "выявлен с опозданием: проверка не выполнялась с 10:50 до 13:00." in alert.text, alert.text
    assert datetime.fromisoformat(alert.evidence["window_start"]) < msk(2025, 10, 8, 11, 0)


def test_r14_a_surge_that_goes_on_through_an_outage_of_the_worker_is_not_reported_twice(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """A surge goes on all afternoon (a message every 8 minutes from 11:00 to 17:00, each sent on by the curator as
    it comes). Detected and reported at 11:40; the worker is down from 12:00 to 15:30 and the surge goes on
    meanwhile (its messages are in the database). With the detector running all the time there is one alert, and
    after the outage too: the run at 15:30 examines the windows of the outage from the messages and finds the
    surge going on through them (before, «ongoing» was the last run that saw it, and it was reported again)."""
    p = personas
    group, place = _history(p)
    written = [msk(2025, 10, 8, 11, 0) + timedelta(minutes=8 * i) for i in range(45)]
    down = (msk(2025, 10, 8, 12, 0), msk(2025, 10, 8, 15, 30))
    at, i = msk(2025, 10, 8, 11, 0), 0
    while at < msk(2025, 10, 8, 17, 0):
        while i < len(written) and written[i] <= at:
            _send_on(p, group, place, written[i], at)
            i += 1
        if not down[0] <= at < down[1]:
            _clock(at, at + timedelta(minutes=5), django_capture_on_commit_callbacks)
        at += timedelta(minutes=5)
    titles = list(Alert.objects.filter(kind=Alert.Kind.SURGE).values_list("title", flat=True))
    assert len(titles) == 1, titles
    alert = Alert.objects.get(kind=Alert.Kind.SURGE)
    assert "с опозданием" not in alert.text  # reported as it came
    # the windows of the outage were examined from the messages: the surge was seen going on through it
    assert alert.evidence["last_seen"] >= int(msk(2025, 10, 8, 16, 0).timestamp())


def test_r14_a_saturday_surge_the_curator_sends_on_on_monday_morning_is_reported_then(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """The look-back is the previous working day: seven messages about hot water on Saturday 11.10.2025
    11:00–11:30, sent on by the curator on Monday at 09:30, are reported at 09:30 as a surge of Saturday."""
    p = personas
    group, place = _history(p)
    saturday = [msk(2025, 10, 11, 11, 0) + timedelta(minutes=5 * i) for i in range(7)]
    _clock(msk(2025, 10, 11, 10, 55), msk(2025, 10, 11, 12, 0), django_capture_on_commit_callbacks)
    _clock(msk(2025, 10, 13, 9, 25), msk(2025, 10, 13, 9, 30), django_capture_on_commit_callbacks)
    for written in saturday:
        _send_on(p, group, place, written, msk(2025, 10, 13, 9, 30))
    _clock(msk(2025, 10, 13, 9, 30), msk(2025, 10, 13, 9, 45), django_capture_on_commit_callbacks)
    alert = Alert.objects.get(kind=Alert.Kind.SURGE)
    assert alert.created_at == msk(2025, 10, 13, 9, 30)
    assert "Время всплеска: 11.10.2025 " in alert.text
    assert "выявлен с опозданием: сообщения классифицированы в 09:30." in alert.text, alert.text


def test_r14_a_surge_sent_on_after_the_look_back_is_not_reported(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """The bound: the burst of Wednesday 11:00–11:30 sent on on Friday at 12:30, two working days later, is
    before the look-back (Thursday 12:30) and raises nothing."""
    p = personas
    group, place = _history(p)
    _clock(msk(2025, 10, 10, 12, 25), msk(2025, 10, 10, 12, 30), django_capture_on_commit_callbacks)
    for written in BURST:
        _send_on(p, group, place, written, msk(2025, 10, 10, 12, 30))
    _clock(msk(2025, 10, 10, 12, 30), msk(2025, 10, 10, 12, 45), django_capture_on_commit_callbacks)
    assert not Alert.objects.filter(kind=Alert.Kind.SURGE).exists()


def _surge_through_an_outage(
    p: Personas, written: list[datetime], down: tuple[datetime, datetime], end: datetime, capture: Any
) -> list[Alert]:
    group, place = _history(p)
    at, i = msk(2025, 10, 8, 11, 0), 0
    while at < end:
        while i < len(written) and written[i] <= at:
            _send_on(p, group, place, written[i], at)
            i += 1
        if not down[0] <= at < down[1]:
            _clock(at, at + timedelta(minutes=5), capture)
        at += timedelta(minutes=5)
    return list(Alert.objects.filter(kind=Alert.Kind.SURGE).order_by("created_at"))


def test_r14_beyond_the_look_back_whether_a_surge_went_on_is_judged_by_its_messages(
    personas: Personas, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    """An outage longer than the look-back (here the look-back is off: a run examines the window ending now only):
    the windows no run examined are judged by the key's counts — a surge whose messages kept coming (a message every
    8 minutes from 11:00 to 17:00, the worker down 12:00–15:30) is one alert."""
    settings.OTKLIK_SURGE = {"lookback_working_days": 0}
    written = [msk(2025, 10, 8, 11, 0) + timedelta(minutes=8 * i) for i in range(45)]
    down = (msk(2025, 10, 8, 12, 0), msk(2025, 10, 8, 15, 30))
    alerts = _surge_through_an_outage(
        personas, written, down, msk(2025, 10, 8, 17, 0), django_capture_on_commit_callbacks
    )
    assert [a.created_at for a in alerts] == [msk(2025, 10, 8, 11, 50)]


def test_r14_beyond_the_look_back_a_surge_that_went_quiet_and_a_new_one_are_two_alerts(
    personas: Personas, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    """The same outage, but the messages stopped at 12:00 and a new burst came at 16:30–17:00: more than three
    quiet hours between, so the new burst is a new alert."""
    settings.OTKLIK_SURGE = {"lookback_working_days": 0}
    first = [msk(2025, 10, 8, 11, 0) + timedelta(minutes=8 * i) for i in range(8)]
    second = [msk(2025, 10, 8, 16, 30) + timedelta(minutes=4 * i) for i in range(8)]
    down = (msk(2025, 10, 8, 12, 0), msk(2025, 10, 8, 17, 0))
    alerts = _surge_through_an_outage(
        personas, first + second, down, msk(2025, 10, 8, 17, 30), django_capture_on_commit_callbacks
    )
    assert [a.created_at for a in alerts] == [msk(2025, 10, 8, 11, 50), msk(2025, 10, 8, 17, 0)]


def test_r14_a_run_every_five_minutes_examines_one_window_and_a_late_message_only_its_group() -> None:
    """What a run examines: the window ending now; after an outage, every 5 minutes of it; for messages sent on
    late, the windows that hold them, for their topic group alone — so the every-5-minutes run stays one scan."""
    cfg = surges.SurgeSettings()
    at = int(msk(2025, 10, 8, 12, 30).timestamp())
    lo = at - 24 * 3600
    minute = 60
    assert surges.windows_to_examine(at, at - 5 * minute, lo, {}, cfg) == {at: None}
    assert surges.windows_to_examine(at, at - 5 * minute + 7, lo, {}, cfg) == {at: None}  # a late tick
    assert surges.windows_to_examine(at, None, lo, {}, cfg) == {at: None}  # the first run
    outage = surges.windows_to_examine(at, at - 60 * minute, lo, {}, cfg)
    assert sorted(outage) == [at - k * 5 * minute for k in range(11, -1, -1)]
    assert set(outage.values()) == {None}
    written = at - 80 * minute  # 11:10, sent on now: in the windows ending 11:15 … 12:10, examined before
    late = surges.windows_to_examine(at, at - 5 * minute, lo, {7: {written}}, cfg)
    assert late[at] is None
    assert sorted(e for e in late if e != at) == [written + k * 5 * minute for k in range(1, 13)]
    assert all(late[e] == {7} for e in late if e != at)
    # none that ends before the look-back
    bounded = surges.windows_to_examine(at, at - 5 * minute, at - 30 * minute, {7: {written}}, cfg)
    assert sorted(bounded) == [at - 30 * minute, at - 25 * minute, at - 20 * minute, at]
