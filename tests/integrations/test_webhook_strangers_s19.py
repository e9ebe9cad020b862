"""R-4: the two endpoints the networks push to are open to the whole internet (CSRF-exempt) and do nothing for a
caller without the secret: no row written, a plain refusal, never a server error.

- The VK Callback API endpoint refuses a body that is not a JSON event object (400; VK delivers again what it
  was not answered «ok») and an event of an unknown community (404) or without the right secret (403), storing
  nothing: the administrators' quarantine is for what a community with its secret sent that cannot be read. The
  log names the size and the sender's address, never the body.
- A secret with a non-ASCII character (in VK's JSON or in Telegram's header) is compared as UTF-8 bytes: a wrong
  one is refused with 403 (it was a 500 with a traceback), a right one written in Cyrillic is accepted.

Found by a review (session 19)."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from otklik.intake.models import Message, Quarantine, Source

pytestmark = pytest.mark.django_db

VK_CALLBACK = "/integrations/vk/callback/"


def vk_community() -> Source:
    return Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Здравоохранение ЛО",
        external_id="200000001",
        config={
            "group_id": 200000001,
            "callback_secret": "s3cr3t",
            "confirmation": "c0nf1rm",
            "per_second": 0,
        },
    )


def telegram_bot() -> Source:
    return Source.objects.create(
        network="telegram",
        kind=Source.Kind.CHANNEL,
        title="Канал комитета",
        external_id="@committee",
        config={"token": "123:abc", "webhook_secret": "tg-secret"},
    )


def test_a_stranger_posting_junk_to_the_vk_callback_leaves_nothing_in_the_quarantine(
    caplog: pytest.LogCaptureFixture,
) -> None:
    vk_community()
    client = Client(raise_request_exception=False)
    statuses = []
    with caplog.at_level(logging.WARNING, logger="otklik.integrations.vk.views"):
        for body in (b"\x00" * 100_000, b"not json at all", b"[1, 2, 3]", b'"just a string"'):
            statuses.append(client.post(VK_CALLBACK, data=body, content_type="application/json").status_code)
    assert statuses == [400, 400, 400, 400]
    logged = [r.getMessage() for r in caplog.records if r.name == "otklik.integrations.vk.views"]
    assert len(logged) == 4 and "100000 bytes from 127.0.0.1" in logged[0]
    assert not any("not json" in line or "just a string" in line for line in logged)
    assert Quarantine.objects.count() == 0, (
        f"{Quarantine.objects.count()} rows put in the administrators' quarantine by requests that carried no "
        "secret and named no community"
    )


def test_a_vk_event_with_a_non_ascii_secret_is_refused_not_a_server_error() -> None:
    vk_community()
    client = Client(raise_request_exception=False)
    event = {
        "type": "wall_reply_new",
        "group_id": 200000001,
        "event_id": "e1",
        "secret": "секрет",
        "object": {
            "id": 1,
            "owner_id": -200000001,
            "post_id": 1,
            "from_id": 5,
            "date": 1714280000,
            "text": "Спам",
        },
    }
    response = client.post(VK_CALLBACK, data=json.dumps(event), content_type="application/json")
    assert response.status_code == 403, f"answered {response.status_code}"
    assert not Message.objects.exists()


def test_a_telegram_update_with_a_non_ascii_secret_header_is_refused_not_a_server_error() -> None:
    source = telegram_bot()
    client = Client(raise_request_exception=False)
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1714280000,
            "chat": {"id": -1001, "type": "supergroup"},
            "text": "Спам",
        },
    }
    response = client.post(
        f"/integrations/telegram/webhook/{source.pk}/",
        data=json.dumps(update),
        content_type="application/json",
        # what a WSGI server gives for a header sent with a byte above 0x7F (latin-1)
        headers={"X-Telegram-Bot-Api-Secret-Token": "tg-secr\u00e9t"},
    )
    assert response.status_code == 403, f"answered {response.status_code}"
    assert not Message.objects.exists()


def test_an_event_of_an_unknown_community_or_with_a_wrong_secret_stores_nothing() -> None:
    vk_community()
    client = Client(raise_request_exception=False)
    broken = {"type": "wall_reply_new", "group_id": 200000001, "secret": "s3cr3t", "object": "not an object"}
    strangers = [
        ({**broken, "group_id": 999}, 404),  # no such community here
        ({**broken, "secret": "wrong"}, 403),
        ({key: value for key, value in broken.items() if key != "secret"}, 403),
    ]
    for event, status in strangers:
        assert (
            client.post(VK_CALLBACK, data=json.dumps(event), content_type="application/json").status_code
            == status
        )
    assert Quarantine.objects.count() == 0
    # the same unreadable object with the community's secret is a real delivery: kept for the administrators
    assert client.post(VK_CALLBACK, data=json.dumps(broken), content_type="application/json").content == b"ok"
    assert Quarantine.objects.get().network == "vk"


def test_a_vk_secret_written_in_cyrillic_is_accepted() -> None:
    community = vk_community()
    community.config["callback_secret"] = "секрет"
    community.save(update_fields=["config"])
    event = {
        "type": "wall_reply_new",
        "group_id": 200000001,
        "event_id": "e2",
        "secret": "секрет",
        "object": {
            "id": 2,
            "owner_id": -200000001,
            "post_id": 1,
            "from_id": 5,
            "date": 1714280000,
            "text": "Вопрос",
        },
    }
    response = Client().post(VK_CALLBACK, data=json.dumps(event), content_type="application/json")
    assert (response.status_code, response.content) == (200, b"ok")
    assert Message.objects.filter(external_id="-200000001_1_2").exists()
