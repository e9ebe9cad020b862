"""R-14: a surge alert names how many messages came in its hour with the noun agreed with the number — «22
сообщения», «21 сообщение», «25 сообщений» — on the alerts page («Место / аудитория») and in the Governor's office's
e-mail and Telegram («Аудитория: …»), for a municipal surge and an oblast-wide wave alike (`analysis.surges.detect`
writes the count with `web.numbers.counted`). Before, it read «22 сообщений» whatever the number.
Found by a review (session 21)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from otklik.analysis import surges
from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.notify.models import Alert
from otklik.org.models import Municipality, TopicGroup
from tests.conftest import Personas, msk
from tests.reports.builders import message

pytestmark = pytest.mark.django_db


def surge_of(p: Personas, size: int) -> None:
    """«ЖКХ», Гатчинский муниципальный округ: six quiet messages on six September working days at 11:0x, then
    `size` messages a minute apart from 11:00 on Wed 08.10.2025 (as tests/reports/builders.hot_water_surge)."""
    group = TopicGroup.objects.create(name="ЖКХ")
    place = Municipality.objects.create(name="Гатчинский муниципальный округ")
    for i, day in enumerate((10, 11, 15, 16, 17, 18)):
        at = msk(2025, 9, day, 11, i)
        actions.dispatch_case(
            p.curator, [message(at)], [Route(p.roads)], topic_group=group, municipality=place, now=at
        )
    for i in range(size):
        at = msk(2025, 10, 8, 11, 0) + timedelta(minutes=i)
        actions.dispatch_case(
            p.curator,
            [message(at, text=f"Нет горячей воды в доме {i} на ул. Соборной")],
            [Route(p.roads)],
            topic_group=group,
            municipality=place,
            now=at,
        )


def test_a_surge_of_22_messages_is_said_22_soobshcheniya_on_the_alerts_page(
    personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    surge_of(personas, 22)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        raised = surges.detect(msk(2025, 10, 8, 11, 40))
    assert len(raised) == 1 and raised[0].evidence["count"] == 22
    alert = Alert.objects.get()
    observer = Client()
    observer.force_login(personas.observer)
    page = observer.get("/notify/alerts/").content.decode()
    assert "22 сообщений" not in alert.audience and "22 сообщений" not in page, (
        f"the alert's audience reads «{alert.audience}»"
    )
    assert "22 сообщения" in alert.audience


def test_an_oblast_wide_wave_of_24_messages_is_said_24_soobshcheniya(
    personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    """Three municipal formations, a quiet message a week each, then eight messages each in one hour: one wave of
    24 (as tests/reports/test_surges.py builds it)."""
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
        for week in range(4):
            at = msk(2025, 9, 10, 10 + n, 0) + timedelta(days=7 * week)
            actions.dispatch_case(
                personas.curator,
                [message(at)],
                [Route(personas.roads)],
                topic_group=group,
                municipality=place,
                now=at,
            )
    for n, place in enumerate(places):
        for i in range(8):
            at = msk(2025, 10, 8, 11, 0) + timedelta(minutes=5 * i + n)
            actions.dispatch_case(
                personas.curator,
                [message(at, text=f"Нет горячей воды, {place.name}, дом {i}")],
                [Route(personas.roads)],
                topic_group=group,
                municipality=place,
                now=at,
            )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        raised = surges.detect(msk(2025, 10, 8, 11, 45))
    assert len(raised) == 1 and raised[0].evidence["scope"] == "oblast" and raised[0].evidence["count"] == 24
    assert raised[0].audience.startswith("24 сообщения за "), raised[0].audience
    assert raised[0].audience.endswith(" в 3 МО")
