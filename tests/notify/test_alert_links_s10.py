"""R-14 (clause 14): an alert names the case it links to — «Обращение № 182» — instead of showing a bare
address «http://127.0.0.1:8185/cases/182/».

Before: the alerts page showed the alert's links as addresses (`urlize`), the in-app notice called the case's link
«ссылка 2», the e-mail and the Telegram message wrote «Ссылка: http://…/cases/182/». Now the page and the notice
show «Обращение № 182» (the link stays its target) and «Сообщение в сети» for the message's address; the e-mail and
Telegram (plain text, where the address is what makes the link work) write «Обращение № 182: http://…»."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.intake.models import Message
from otklik.notify.alerts import raise_alert
from otklik.notify.models import Alert
from tests.conftest import Personas, msk
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": "-100777"}
        yield fake


def test_r14_the_alert_names_the_case_on_the_page_in_the_notice_the_letter_and_telegram(
    personas: Personas,
    client: Client,
    settings: Any,
    telegram: FakeTelegram,
    django_capture_on_commit_callbacks: Any,
) -> None:
    p = personas
    p.observer.email = "observer@example.org"
    p.observer.save()
    message = Message.objects.create(
        network="vk",
        external_id="wall-1_182",
        url="https://vk.com/wall-1_182",
        author_name="Анна",
        text="В Кировске прорвало трубу, затоплена школа №2",
        published_at=msk(2025, 10, 1, 8, 0),
    )
    case = actions.dispatch_case(p.curator, [message], [Route(p.health)], now=msk(2025, 10, 1, 9, 0))
    client.force_login(p.curator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/notify/significant/", {"case": str(case.pk)})
    url = f"http://testserver/cases/{case.pk}/"
    name = f"Обращение № {case.pk}"

    # the alerts page: the case's name is the link's text, the address only its target
    page = client.get("/notify/alerts/").content.decode()
    assert f'<a href="{url}">{name}</a>' in page
    assert '<a href="https://vk.com/wall-1_182" rel="noopener noreferrer">Сообщение в сети</a>' in page
    assert f">{url}<" not in page

    # the observer's notice: the second link is the case by its name, not «ссылка 2»
    client.force_login(p.observer)
    notices = client.get("/notify/").content.decode()
    assert f'<a href="{url}">{name}</a>' in notices and "ссылка 2" not in notices

    # the e-mail: the name, then the working address
    (letter,) = [m for m in mail.outbox if "observer@example.org" in m.to]
    assert f"{name}: {url}" in letter.body
    assert "Сообщение в сети: https://vk.com/wall-1_182" in letter.body
    assert "Ссылка:" not in letter.body

    # Telegram: a chat keeps the working link, with the name before it
    (sent,) = telegram.calls("sendMessage")
    assert f"{name}: {url}" in sent.params["text"].splitlines()
    assert "Сообщение в сети: https://vk.com/wall-1_182" in sent.params["text"].splitlines()


def test_r14_a_surges_example_messages_are_named_as_messages(
    personas: Personas, client: Client, settings: Any
) -> None:
    """R-14: a surge's links are its example messages in the networks: numbered, never a bare address."""
    settings.OTKLIK_ALERT_TELEGRAM = None
    raise_alert(
        Alert.Kind.SURGE,
        "surge:links",
        "Всплеск активности: ЖКХ — Кировск",
        "Сообщений за час: 40",
        link="https://vk.com/wall-1_1 https://t.me/kirovsk/2",
    )
    client.force_login(personas.observer)
    page = client.get("/notify/alerts/").content.decode()
    assert '<a href="https://vk.com/wall-1_1" rel="noopener noreferrer">Сообщение в сети 1</a>' in page
    assert '<a href="https://t.me/kirovsk/2" rel="noopener noreferrer">Сообщение в сети 2</a>' in page
