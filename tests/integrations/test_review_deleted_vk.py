"""R-4: review of the VK deletion marks (what the mark says when the network did not tell who deleted) and of
edits read back from VK against the full read's own stores."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from otklik.intake.models import Cursor, DeletedHow, Message, Source
from otklik.intake.pipeline import ingest_payloads, run_source
from otklik.integrations.vk.connector import VKConnector
from tests.conftest import Personas
from tests.fakes.vk import FakeVK
from tests.integrations.test_deleted_vk import OWNER, event, vk_event

pytestmark = pytest.mark.django_db


def an_hour_later(source: Source) -> None:
    cursor = Cursor.objects.get(source=source)
    for seen in cursor.position["posts"].values():
        seen["checked"] -= 3600
    cursor.save()


def test_a_comment_found_gone_by_the_full_read_is_not_said_to_be_deleted_by_its_author(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """R-4: a full read only sees that VK no longer has the comment: its author or the community's moderator
    may have deleted it. The mark on the message list says it is deleted in the network, not «by its author»."""
    run_source(vk_source)
    fake_vk.delete_comment(1001)
    an_hour_later(vk_source)
    assert run_source(vk_source).error == ""
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    assert message.deleted_how == DeletedHow.FULL_READ
    note = message.deletion_note()
    assert note.startswith("Удалено в сети ") and note.endswith("(автором или модератором сообщества)")
    client = Client()
    client.force_login(personas.curator)
    html = client.get("/intake/messages/").content.decode()
    assert note in html
    assert "Удалено автором" not in html


def test_a_page_read_before_an_edit_was_read_back_does_not_undo_the_edit(
    vk_source: Source, fake_vk: FakeVK
) -> None:
    """R-4: the hourly full read lists a comment; before its page is stored the author edits the comment and
    the `wall_reply_edit` event is read back from VK. The page, read earlier, does not replace the edit."""
    run_source(vk_source)
    an_hour_later(vk_source)
    connector = VKConnector(vk_source)
    cursor = Cursor.objects.get(source=vk_source)
    pages = connector.fetch(dict(cursor.position))
    edited = "Когда начнёт работать ФАП в Лукашах? Уже декабрь."
    for page in pages:
        read = {p.data["item"]["id"] for p in page.payloads if p.kind == "comment" and "item" in p.data}
        if 1001 in read:
            started = int(time.time())
            while int(time.time()) == started:  # the edit comes in a later second than the read
                time.sleep(0.05)
            fake_vk.edit_comment(1001, edited)
            obj = next(c for c in fake_vk.comments if c["id"] == 1001)
            assert vk_event(Client(), event("wall_reply_edit", "edit-race", dict(obj))).content == b"ok"
            assert Message.objects.get(external_id=f"{OWNER}_101_1001").text == edited
        ingest_payloads("vk", page.payloads, connector.parse, source=vk_source, cursor=page.cursor)
    connector.close()
    assert Message.objects.get(external_id=f"{OWNER}_101_1001").text == edited
