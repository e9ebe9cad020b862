"""Manual entry by link (R-4): the form refuses a publication time in the future and a link of another network."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from otklik.intake.models import Message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

URL = "/intake/messages/new/"


def post(client: Client, personas: Personas, **fields: str) -> str:
    client.force_login(personas.curator)
    data = {"url": "https://vk.com/wall-1_2", "text": "Не горят фонари на Чкалова", **fields}
    response = client.post(URL, data)
    assert response.status_code == 200, "the form is shown again with its errors"
    return response.content.decode()


def test_r4_publication_time_in_the_future_is_refused(client: Client, personas: Personas) -> None:
    page = post(client, personas, published_at="2099-01-01 10:00")
    assert "Время публикации 01.01.2099 10:00 ещё не наступило" in page
    assert not Message.objects.exists()


def test_r4_publication_time_a_few_minutes_ahead_is_clock_skew(client: Client, personas: Personas) -> None:
    client.force_login(personas.curator)
    soon = timezone.localtime() + timedelta(minutes=2)
    response = client.post(
        URL, {"url": "https://vk.com/wall-1_2", "text": "Яма", "published_at": f"{soon:%Y-%m-%d %H:%M}"}
    )
    assert response.status_code == 302
    assert Message.objects.get().published_at is not None


def test_r4_telegram_link_with_network_vk_is_refused(client: Client, personas: Personas) -> None:
    page = post(client, personas, url="https://t.me/gatchina_chat/991", network="vk")
    assert "Ссылка ведёт на t.me, а выбрана сеть «ВКонтакте»" in page
    assert "(vk.com, vk.ru, vkontakte.ru) или выберите сеть «Telegram»" in page
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("url", "network"),
    [
        ("https://www.vk.com/wall-1_2", "vk"),
        ("https://m.ok.ru/group/1/topic/2", "ok"),
        ("https://t.me/gatchina_chat/991", "telegram"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube"),
        ("https://forum.lenobl.example/topic/5", "forum"),
        ("https://vk.com/wall-1_2", "forum"),  # a forum has no fixed host: any link
        ("http://blog.example.ru/post/1", "feed"),
        ("https://otzovik.com/review_1.html", "reviews"),
        ("https://max.ru/chat/1", "messenger"),
        ("https://example.org/x", "other"),
    ],
)
def test_r4_link_of_the_chosen_network_is_accepted(
    client: Client, personas: Personas, url: str, network: str
) -> None:
    client.force_login(personas.curator)
    response = client.post(URL, {"url": url, "network": network, "text": "Когда откроют мост?"})
    assert response.status_code == 302
    assert Message.objects.get().network == network


def test_r4_only_web_links_are_accepted(client: Client, personas: Personas) -> None:
    page = post(client, personas, url="ftp://files.example.org/post.txt", network="other")
    assert "Укажите ссылку, которая начинается с http:// или https://." in page
    assert not Message.objects.exists()
