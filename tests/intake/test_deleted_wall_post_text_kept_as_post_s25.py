"""Found by a review (session 25), fixed since. Personal data: a citizen's post on an open VK wall is removed on request, but its text stays in the database.

A visitor's post on a watched community's open wall is stored twice by ingestion
(`integrations.vk.connector.parse_wall_post`): as a message to answer (`intake.Message`) and as the post the
comments hang on (`intake.Post`, with its text and the whole VK item in `raw`: the author's id, the photos' links).
The citizen asks for their post to be removed; the administrator follows docs/operations.md § Personal data
(«Removing a citizen's message on request: in the admin («Сообщения») … The message, its attachment rows and the
copies of its photos and videos … are deleted») and deletes the message in the admin. The `Post` row with the
same text, the author's VK id and the photo's address stays («Администрирование → Поступление сообщений → Посты»,
and in every backup after it), and the documented list of what stays (audit log, old backups, alerts and notices)
does not mention it. Nothing in `intake.admin.MessageAdmin` (no `delete_model` / `delete_queryset`) or in the
`Post` model removes the post copy of a message deleted on request."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from otklik.intake.models import Message, Post
from otklik.intake.pipeline import ingest_payloads
from otklik.integrations.base import Payload
from otklik.integrations.vk.connector import parse_payload
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

TEXT = "Иванова Мария, ул. Садовая 5, кв. 12: у нас третий день нет отопления, ребёнок болеет"
PHOTO = "https://sun9-1.userapi.com/photo-citizen-777.jpg"


def _wall_post() -> Payload:
    item: dict[str, Any] = {
        "id": 77,
        "owner_id": -200000001,
        "from_id": 777,  # a visitor, not the community: a message to answer
        "date": 1733130000,
        "text": TEXT,
        "attachments": [{"type": "photo", "photo": {"sizes": [{"type": "x", "url": PHOTO}]}}],
    }
    directory = {"profiles": [{"id": 777, "first_name": "Мария", "last_name": "Иванова"}], "groups": []}
    return Payload("wall_post", {"item": item, "_directory": directory})


def test_deleting_a_citizens_wall_post_in_the_admin_leaves_its_text_nowhere(
    personas: Personas, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    report = ingest_payloads("vk", [_wall_post()], parse_payload)
    assert report.quarantined == 0
    message = Message.objects.get(external_id="-200000001_77")
    assert "Иванова" in message.author_name
    assert Post.objects.filter(external_id="-200000001_77").exists()  # the copy as a post

    admin = personas.admin
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/intake/message/{message.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Message.objects.filter(pk=message.pk).exists()

    left = [
        (p.pk, p.text[:40], p.raw.get("from_id"))
        for p in Post.objects.all()
        if "третий день нет отопления" in p.text or "третий день нет отопления" in str(p.raw)
    ]
    assert not left, (
        "the citizen's post removed on request is still stored as a Post (text, VK author id, photo link): "
        f"{left}"
    )


def test_a_wall_post_others_answered_is_kept_empty_for_their_thread(
    personas: Personas, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """Other people's comments under the citizen's post keep their thread: the post stays, emptied of her words."""
    ingest_payloads("vk", [_wall_post()], parse_payload)
    message = Message.objects.get(external_id="-200000001_77")
    post = Post.objects.get(external_id="-200000001_77")
    reply = Message.objects.create(
        network="vk",
        external_id="-200000001_77_90",
        post=post,
        author_id="888",
        text="Поддерживаю, у нас так же",
    )
    admin = personas.admin
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/intake/message/{message.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    post.refresh_from_db()
    reply.refresh_from_db()
    assert (post.text, post.raw) == ("", {}) and TEXT not in str(post.__dict__)
    assert reply.post_id == post.pk
