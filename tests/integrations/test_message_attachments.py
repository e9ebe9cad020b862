"""Copies of the photos in incoming messages (R-4: nothing lost): downloaded by the worker from the network's
(fake) photo server after the page is stored, kept once, refused from private addresses outside tests and
when they are not photos; served only to people who may read the message."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from otklik.cases import actions
from otklik.intake.models import AttachmentCopy, Message, Source
from otklik.intake.pipeline import run_source
from otklik.intake.tasks import download_attachments
from tests.conftest import Personas, msk
from tests.fakes.vk import FakeVK, tiny_png

pytestmark = pytest.mark.django_db
OWNER = -200000001


@pytest.fixture
def photo_vk() -> Iterator[FakeVK]:
    fake = FakeVK()
    fake.serve_photos = True
    with fake:
        yield fake


@pytest.fixture
def source(photo_vk: FakeVK) -> Source:
    return Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Здравоохранение ЛО",
        external_id="200000001",
        config={"api_base": f"{photo_vk.url}/method/", "token": photo_vk.token, "per_second": 0},
    )


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = True  # the fake photo server is on 127.0.0.1
    return tmp_path


def run_enqueued_downloads() -> int:
    """What the worker does: run every enqueued download task with its own arguments."""
    done = 0
    for result in DBTaskResult.objects.filter(task_path__endswith="download_attachments"):
        done += download_attachments.call(*result.args_kwargs["args"])
    return done


def photo_requests(fake: FakeVK) -> list[str]:
    return [r.path for r in fake.requests if r.path.startswith("/impg/")]


def ingest(source: Source, capture: Callable[..., Any]) -> None:
    with capture(execute=True):
        report = run_source(source)
    assert report.error == ""


def test_a_photo_is_copied_once_and_survives_a_repeat_delivery(
    source: Source, photo_vk: FakeVK, django_capture_on_commit_callbacks: Any
) -> None:
    ingest(source, django_capture_on_commit_callbacks)
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    assert message.attachments[0]["url"] == f"{photo_vk.url}/impg/comment.jpg"
    assert run_enqueued_downloads() >= 1

    copy = AttachmentCopy.objects.get(message=message)
    assert copy.error == "" and copy.kind == "photo"
    with default_storage.open(copy.stored, "rb") as f:
        data = f.read()
    assert data == tiny_png() and copy.size == len(data)
    assert copy.sha256 == hashlib.sha256(data).hexdigest()
    assert copy.stored.endswith(".png")  # named by what the bytes are, not by the link's ".jpg"

    # The same messages delivered again, and the worker running again: no second download, no second copy.
    asked = len(photo_requests(photo_vk))
    Message.objects.filter(pk=message.pk).update(text="")  # so that the repeat is visible as an update
    source.cursor.delete()  # type: ignore[attr-defined]
    ingest(source, django_capture_on_commit_callbacks)
    assert Message.objects.get(pk=message.pk).text != ""
    assert download_attachments.call([message.pk]) == 0
    assert len(photo_requests(photo_vk)) == asked
    assert AttachmentCopy.objects.filter(message=message).count() == 1


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/impg/missing.jpg", "сеть ответила 404, копия не сохранена"),
        ("/impg/page.html", "это не фото и не видео, копия не сохранена"),
    ],
)
def test_a_broken_or_fake_photo_is_recorded_not_stored(photo_vk: FakeVK, path: str, error: str) -> None:
    url = f"{photo_vk.url}{path}"
    message = Message.objects.create(
        network="vk", external_id="-1_1_1", text="фото ямы", attachments=[{"type": "photo", "url": url}]
    )
    assert download_attachments.call([message.pk]) == 0
    copy = AttachmentCopy.objects.get(message=message)
    assert (copy.stored, copy.error) == ("", error)
    download_attachments.call([message.pk])  # a failure is recorded once, not retried for ever
    assert len(photo_requests(photo_vk)) == 1


def test_private_addresses_are_refused_outside_tests(photo_vk: FakeVK, settings: Any) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = False
    message = Message.objects.create(
        network="vk",
        external_id="-1_1_2",
        attachments=[{"type": "photo", "url": f"{photo_vk.url}/impg/comment.jpg"}, {"type": "link"}],
    )
    assert download_attachments.call([message.pk]) == 0
    copy = AttachmentCopy.objects.get(message=message)
    assert copy.error == "адрес файла не публичный или недопустимый, копия не сохранена"
    assert photo_requests(photo_vk) == []  # refused before any connection


def test_the_copy_is_served_to_those_who_may_read_the_message(
    client: Client, personas: Personas, photo_vk: FakeVK
) -> None:
    message = Message.objects.create(
        network="vk",
        external_id="-1_1_3",
        text="Яма у поликлиники",
        attachments=[{"type": "photo", "url": f"{photo_vk.url}/impg/comment.jpg"}],
    )
    download_attachments.call([message.pk])
    copy = AttachmentCopy.objects.get(message=message)
    url = reverse("intake:attachment", args=[message.pk, copy.pk])

    client.force_login(personas.curator)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == tiny_png()  # type: ignore[attr-defined]
    page = client.get(reverse("intake:message_list")).content.decode()
    assert url in page and 'alt="фото 1"' in page

    client.force_login(personas.alice)  # health executor: no case on this message yet
    assert client.get(url).status_code == 404
    actions.dispatch_case(
        personas.curator, [message], [actions.Route(personas.alice.body, 1)], now=msk(2025, 4, 28, 10, 0)
    )
    assert client.get(url).status_code == 200
    case_page = client.get(reverse("cases:detail", args=[message.case_link.case_id])).content.decode()  # type: ignore[attr-defined]
    assert url in case_page
    client.force_login(personas.dave)  # roads executor: another body's case
    assert client.get(url).status_code == 404
