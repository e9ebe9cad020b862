"""R-14: numbers in the alerts are for people — a Russian decimal comma and a sensible precision on the alerts
page, in the in-app notice, the e-mail and the Telegram message; the JSON evidence keeps its numbers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from otklik.analysis import surges
from otklik.notify.models import Alert, Notice
from otklik.web.numbers import significant
from tests.conftest import Personas, msk
from tests.fakes.telegram import FakeTelegram
from tests.reports.builders import hot_water_surge


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.05, "0,05"),
        (0.375, "0,38"),
        (0.0034, "0,0034"),
        (1.0, "1"),
        (2.35, "2,4"),
        (9.96, "10"),
        (12.5, "13"),
        (123.4, "123"),
        (7, "7"),
        (0, "0"),
        (None, "—"),
        ("н/д", "н/д"),
    ],
)
def test_ru_number_uses_a_comma_and_two_significant_digits(value: object, shown: str) -> None:
    assert significant(value) == shown


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": "-100777"}
        yield fake


@pytest.mark.django_db
def test_r14_a_surge_alert_says_the_usual_level_with_a_decimal_comma_everywhere(
    personas: Personas, telegram: FakeTelegram, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    p.observer.email = "observer@example.org"
    p.observer.save()
    hot_water_surge(p)  # the usual level is 6 / 16 = 0.375
    with django_capture_on_commit_callbacks(execute=True):
        (alert,) = surges.detect(msk(2025, 10, 8, 11, 40))
    assert alert.evidence["baseline"] == 0.375  # the evidence stays a number
    shown = "(обычно в это время 0,38)"
    assert shown in alert.text and "0.375" not in alert.text
    assert shown in Notice.objects.get(recipient=p.observer).text
    assert len(mail.outbox) == 1 and shown in mail.outbox[0].body
    assert shown in telegram.calls("sendMessage")[0].params["text"]
    client.force_login(p.observer)
    html = client.get("/notify/alerts/").content.decode()
    assert shown in html and "ожидалось: 0,38" in html and "0.375" not in html and "0,375" not in html


@pytest.mark.django_db
def test_r14_a_wave_on_the_alerts_page_shows_each_place_with_a_decimal_comma(
    personas: Personas, client: Client
) -> None:
    Alert.objects.create(
        kind=Alert.Kind.SURGE,
        key="surge:1:oblast:1",
        title="Волна активности по области: ЖКХ (2 МО)",
        text="Волна сообщений по области",
        evidence={
            "count": 16,
            "baseline": 0.8125,
            "samples": [{"id": 1, "text": "Нет горячей воды", "url": "", "network": "vk"}],
            "places": [
                {
                    "municipality_id": 1,
                    "name": "Гатчинский муниципальный округ",
                    "count": 8,
                    "baseline": 0.25,
                },
                {"municipality_id": 2, "name": "Лужский муниципальный район", "count": 8, "baseline": 0.5625},
            ],
        },
        created_at=timezone.now(),
    )
    client.force_login(personas.curator)
    html = client.get("/notify/alerts/").content.decode()
    assert "ожидалось: 0,81" in html
    assert "Гатчинский муниципальный округ — 8 (обычно 0,25)" in html
    assert "Лужский муниципальный район — 8 (обычно 0,56)" in html


@pytest.mark.django_db
def test_r14_the_dashboard_lists_a_current_surge_with_a_decimal_comma(
    personas: Personas, client: Client
) -> None:
    Alert.objects.create(
        kind=Alert.Kind.SURGE,
        key="surge:test",
        title="Всплеск активности: ЖКХ — Гатчинский муниципальный округ",
        text="",
        evidence={"baseline": 0.375, "count": 7},
        created_at=timezone.now() - timedelta(minutes=10),
    )
    client.force_login(personas.observer)
    html = client.get("/reports/").content.decode()
    assert "Всплеск активности: ЖКХ" in html and "обычно 0,38" in html and "0.375" not in html
