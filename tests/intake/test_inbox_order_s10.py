"""R-8.1: the curator's inbox lists a network's page of new messages in the order they were written, newest first,
whatever order the network listed them in. A page's messages arrive in one statement with one `received_at`, so
their numbers ordered them — in the network's order: the demo's inbox read its times out of order."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.intake.models import Message, Source
from otklik.intake.pipeline import ingest_payloads
from otklik.integrations.base import Payload
from tests.conftest import Personas
from tests.intake.test_pipeline import GROUP, parse, update

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")


NOW = timezone.now().replace(second=0, microsecond=0)


def written(hours_ago: float) -> int:
    return int((NOW - timedelta(hours=hours_ago)).timestamp())


def shown_time(hours_ago: float) -> str:
    return (NOW - timedelta(hours=hours_ago)).astimezone(MSK).strftime("%d.%m.%Y %H:%M")


def test_a_page_of_new_messages_is_listed_as_written_newest_first(personas: Personas) -> None:
    source = Source.objects.create(network="telegram", kind=Source.Kind.CHANNEL, title="Гатчина онлайн")
    listed = [  # the network's own order of the page: neither oldest nor newest first
        (1, "Фонарь не горит у школы", 18.5),
        (2, "Когда починят дорогу на Киевской?", 1.25),
        (3, "Нет горячей воды в доме 5", 12),
        (4, "Мусор не вывозят неделю", 45.75),
    ]
    payloads = [Payload("update", update(n, text, date=written(ago))) for n, text, ago in listed]
    assert ingest_payloads("telegram", payloads, parse, source=source).created == 4
    assert len({m.received_at for m in Message.objects.all()}) == 1  # one page, one arrival

    client = Client()
    client.force_login(personas.curator)
    page = client.get(reverse("cases:inbox")).content.decode()
    shown = [int(pk) for pk in re.findall(r'<tr data-message="(\d+)"', page)]
    by_pk = {m.pk: m.external_id for m in Message.objects.all()}
    assert [by_pk[pk] for pk in shown] == [f"{GROUP['id']}:{n}" for n in (2, 3, 1, 4)]
    times = re.findall(r'<tr data-message="\d+">.*?<td>(\d\d\.\d\d\.\d{4} \d\d:\d\d)', page, re.S)
    assert times == [shown_time(ago) for ago in (1.25, 12, 18.5, 45.75)], times


def test_a_reply_stored_after_its_parent_is_still_listed_as_written(personas: Personas) -> None:
    """R-8.1: a page whose reply answers a comment of the same page: the reply is stored in a second statement
    (after its parent, so it links to it), with a later `received_at`; the inbox still lists the page as written —
    the reply (written 3 hours ago) below the comment written an hour ago."""
    source = Source.objects.create(network="telegram", kind=Source.Kind.CHANNEL, title="Гатчина онлайн")
    parent = update(1, "Когда уберут снег во дворе?", date=written(5))
    reply = update(2, "Присоединяюсь, и у нас не убрано", date=written(3))
    reply["message"]["reply_to_message"] = parent["message"]
    newest = update(3, "Спасибо за новый автобус", date=written(1))
    ingest_payloads("telegram", [Payload("update", u) for u in (parent, reply, newest)], parse, source=source)
    stored = {m.external_id: m for m in Message.objects.all()}
    assert stored[f"{GROUP['id']}:2"].reply_to_id == stored[f"{GROUP['id']}:1"].pk
    assert stored[f"{GROUP['id']}:2"].received_at > stored[f"{GROUP['id']}:3"].received_at  # stored later

    client = Client()
    client.force_login(personas.curator)
    page = client.get(reverse("cases:inbox")).content.decode()
    shown = [int(pk) for pk in re.findall(r'<tr data-message="(\d+)"', page)]
    by_pk = {m.pk: m.external_id for m in stored.values()}
    assert [by_pk[pk] for pk in shown] == [f"{GROUP['id']}:{n}" for n in (3, 2, 1)]
