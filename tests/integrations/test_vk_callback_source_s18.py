"""R-4, R-7.4: VK's Callback API finds the source of a community set up as docs/operations.md says.

The administrator gives a VK community source its number in «идентификатор в сети» (with or without the minus sign
of its wall's address) and `confirmation`, `callback_secret` in its settings; a `group_id` setting, a number or
text typed in the admin's JSON editor, is taken too. VK's confirmation request is answered with the confirmation
string and the community's events (new comments, edits, deletions) are stored, as reading and publishing find the
same community (`vk.views._source_for` uses `vk.connector.owner_id_of`).

Found by a review (session 18): the callback looked the community up only by `config["group_id"]` /
`config["owner_id"]` as integers, so a source set up as documented was answered «unknown group» (404) and its
server could not even be confirmed.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from otklik.intake.models import Message, Source
from tests.fakes.base import load_fixture
from tests.integrations.conftest import fake_vk  # noqa: F401 - the loopback fake VK API as a fixture

pytestmark = pytest.mark.django_db

OWNER = -200000001


def post_event(event: dict[str, Any]) -> Any:
    return Client().post(
        "/integrations/vk/callback/", data=json.dumps(event), content_type="application/json"
    )


def documented_source(fake: Any, **extra: Any) -> Source:
    """A VK community source as docs/operations.md describes it: the number in «идентификатор в сети»."""
    return Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Здравоохранение ЛО",
        external_id="200000001",
        config={
            "api_base": f"{fake.url}/method/",
            "token": fake.token,
            "per_second": 0,
            "callback_secret": "demo-callback-secret",
            "confirmation": "c0nf1rm",
            **extra,
        },
    )


def test_vk_callback_server_of_a_community_set_up_as_documented_can_be_confirmed(fake_vk: Any) -> None:  # noqa: F811
    documented_source(fake_vk)
    response = post_event({"type": "confirmation", "group_id": 200000001})
    assert response.status_code == 200, response.content.decode()
    assert response.content == b"c0nf1rm"


def test_vk_comment_pushed_for_a_community_set_up_as_documented_is_stored(fake_vk: Any) -> None:  # noqa: F811
    documented_source(fake_vk)
    response = post_event(load_fixture("vk", "callback_wall_reply_new.json"))
    assert response.status_code == 200, response.content.decode()
    assert Message.objects.filter(network="vk", external_id=f"{OWNER}_102_1020").exists()


def test_vk_comment_pushed_for_a_community_whose_group_id_was_typed_as_text_is_stored(fake_vk: Any) -> None:  # noqa: F811
    """The admin's JSON editor keeps what was typed: «"group_id": "200000001"» reads and publishes (both take
    `int(...)` of it) but the callback compares it with VK's integer and refuses every event."""
    documented_source(fake_vk, group_id="200000001")
    response = post_event(load_fixture("vk", "callback_wall_reply_new.json"))
    assert response.status_code == 200, response.content.decode()
    assert Message.objects.filter(network="vk", external_id=f"{OWNER}_102_1020").exists()


def test_vk_callback_finds_a_community_whose_number_was_written_with_the_walls_minus_sign(
    fake_vk: Any,  # noqa: F811
) -> None:
    source = documented_source(fake_vk)
    source.external_id = "-200000001"
    source.save()
    response = post_event({"type": "confirmation", "group_id": 200000001})
    assert response.status_code == 200, response.content.decode()
    assert response.content == b"c0nf1rm"


def test_vk_callback_for_another_community_is_still_refused(fake_vk: Any) -> None:  # noqa: F811
    documented_source(fake_vk)
    response = post_event({"type": "confirmation", "group_id": 200000002})
    assert response.status_code == 404
