"""Personal data (152-ФЗ spirit): a citizen asks that their message be removed; the administrator deletes it in the
Django admin («Сообщения», the one place Otklik lets anybody remove a message that no case holds). The message, its
`AttachmentCopy` rows and now the copies of the citizen's photos and videos the worker saved under MEDIA_ROOT
(`messages/<pk>/<n>.<ext>`) go, once the deletion is committed (`intake.attachments.remove_stored_copy`); before, the
files stayed on the disk, and in every backup after it, with nothing pointing at them. Found by a review (session
20b)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from otklik.intake.models import AttachmentCopy, Message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def test_deleting_a_citizens_message_in_the_admin_removes_the_copy_of_their_photo(
    personas: Personas, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    p.admin.is_staff = p.admin.is_superuser = (
        True  # as `otklik demo` and createsuperuser make an administrator
    )
    p.admin.save()
    message = Message.objects.create(
        network="vk",
        external_id="-1_1_501",
        url="https://vk.com/wall-1_1?reply=501",
        author_id="501",
        author_name="Анна Жалобина",
        text="Фото двора: мусор не вывозят неделю",
        attachments=[{"type": "photo", "url": "https://sun9-1.userapi.com/photo501.jpg"}],
    )
    stored = default_storage.save(f"messages/{message.pk}/0.jpg", ContentFile(JPEG))
    AttachmentCopy.objects.create(
        message=message,
        url="https://sun9-1.userapi.com/photo501.jpg",
        stored=stored,
        kind="photo",
        size=len(JPEG),
    )
    assert (media / stored).exists()

    client = Client()
    client.force_login(p.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/intake/message/{message.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Message.objects.filter(pk=message.pk).exists()
    assert not AttachmentCopy.objects.filter(stored=stored).exists()
    assert not (media / stored).exists(), (
        "the citizen's photo stays on the disk after their message was deleted"
    )
