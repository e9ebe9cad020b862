"""R-14 (clause 14): the Governor's office sees a new urgent alert from its desktop, not only by opening
«Срочные оповещения».

Before: an observer's desktop had no figure of alerts and «уведомления» (the cases' notifications) said
«Уведомлений нет»: a case marked socially significant, or a surge, was found only by going to /notify/alerts/.

Now the observer's desktop shows «Новые срочные оповещения» — alerts this person has not yet seen on the alerts
page (their in-app notice of the alert is unread) — linking to that page; opening it makes them seen. A curator
(who gets no notice of alerts) sees «Срочные оповещения за последние 24 часа»."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.intake.models import Message
from otklik.notify.alerts import mark_significant, raise_alert
from otklik.notify.models import Alert
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def figure(html: str, key: str) -> tuple[int, str, str]:
    """The number, the label and the link of the desktop figure `data-testid=key`."""
    found = re.search(
        rf'<a [^>]*href="([^"]+)"[^>]*data-testid="{key}"[^>]*><span>([^<]+)</span> <strong>(\d+)</strong>',
        html,
    )
    assert found, f"no figure {key!r} on the desktop"
    return int(found.group(3)), found.group(2), found.group(1)


def a_significant_case(p: Personas, text: str) -> Alert:
    now = timezone.now()
    message = Message.objects.create(
        network="vk",
        external_id=f"wall-1_{abs(hash(text)) % 100000}",
        url="https://vk.com/wall-1_1",
        author_name="Анна",
        text=text,
        published_at=now - timedelta(hours=1),
    )
    case = actions.dispatch_case(p.curator, [message], [Route(p.health)], now=now - timedelta(minutes=50))
    return mark_significant(p.curator, case=case, base_url="http://testserver").alert


def test_r14_the_observers_desktop_counts_new_alerts_until_the_alerts_page_is_opened(
    personas: Personas, client: Client, settings: Any
) -> None:
    """R-14: a significant case and a surge are two new alerts on the observer's desktop; after the alerts page
    is opened they are no longer new, and a later alert is new again."""
    p = personas
    settings.OTKLIK_ALERT_TELEGRAM = None
    a_significant_case(p, "Затоплена школа, дети эвакуированы")
    raise_alert(Alert.Kind.SURGE, "surge:test:1", "Всплеск активности: ЖКХ — Кировск", "Сообщений за час: 40")

    client.force_login(p.observer)
    count, label, url = figure(client.get(reverse("home")).content.decode(), "new-alerts")
    assert (count, label, url) == (2, "Новые срочные оповещения", reverse("notify:alerts"))

    page = client.get(url).content.decode()
    assert page.count(">новое<") == 2  # the page marks which of them were new to this person
    assert "ещё не открытые вами" in page  # and says what «new» means

    assert figure(client.get(reverse("home")).content.decode(), "new-alerts")[0] == 0
    assert client.get(url).content.decode().count(">новое<") == 0

    raise_alert(
        Alert.Kind.SURGE, "surge:test:2", "Всплеск активности: Дороги — Тосно", "Сообщений за час: 30"
    )
    assert figure(client.get(reverse("home")).content.decode(), "new-alerts")[0] == 1


def test_r14_one_observer_opening_the_alerts_does_not_make_them_seen_for_another(
    personas: Personas, client: Client, settings: Any
) -> None:
    """R-14: «new» is per person: the Governor's office and the vice-governor's office each see their own count."""
    from otklik.org.models import Role
    from tests.conftest import make_person

    p = personas
    settings.OTKLIK_ALERT_TELEGRAM = None
    second = make_person("observer2", None, Role.Kind.OBSERVER)
    a_significant_case(p, "Обрушение кровли в детском саду")
    client.force_login(p.observer)
    client.get(reverse("notify:alerts"))
    client.force_login(second)
    assert figure(client.get(reverse("home")).content.decode(), "new-alerts")[0] == 1


def test_r14_the_curators_desktop_counts_the_alerts_of_the_last_24_hours(
    personas: Personas, client: Client, settings: Any
) -> None:
    """R-14: curators see alerts too (they get no notice of them): the figure counts the last 24 hours and says so."""
    p = personas
    settings.OTKLIK_ALERT_TELEGRAM = None
    raise_alert(
        Alert.Kind.SURGE,
        "surge:old",
        "Всплеск активности: ЖКХ — Луга",
        "Позавчера",
        now=timezone.now() - timedelta(hours=30),
    )
    raise_alert(Alert.Kind.SURGE, "surge:new", "Всплеск активности: ЖКХ — Кировск", "Сейчас")
    client.force_login(p.curator)
    count, label, url = figure(client.get(reverse("home")).content.decode(), "alerts-day")
    assert (count, label, url) == (1, "Срочные оповещения за последние 24 часа", reverse("notify:alerts"))


def test_r14_an_executor_has_no_alerts_figure(personas: Personas, client: Client) -> None:
    """R-14: alerts are for the office and the curators; an executor's desktop has no such figure."""
    client.force_login(personas.alice)
    html = client.get(reverse("home")).content.decode()
    assert "new-alerts" not in html and "alerts-day" not in html
