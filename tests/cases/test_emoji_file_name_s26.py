"""Found by a review (session 26), fixed since. R-9, R-8.4: a photo whose file name is only an emoji (a phone's «😀.jpg») or only signs («№.jpg», «!!!.jpg»)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Draft
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db
ANSWER = "Здравствуйте, Ирина! Яму на улице Ленина заделали 12 мая, фото прилагаем."
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    return tmp_path


@pytest.mark.parametrize("name", ["😀.jpg", "№.jpg"])
def test_photo_named_by_an_emoji_is_attached_not_a_bare_bad_request(
    client: Client, personas: Personas, name: str
) -> None:
    """The executor attaches a valid JPEG called «😀.jpg» (or «№.jpg») and presses «Отправить»: instead of the draft
    going to the curator (or at least the editor with the text kept and a Russian message), the browser shows
    Django's bare «Bad Request (400)» page and the typed answer is lost. `attachments.store` passes the stem to
    `get_valid_filename`, which raises SuspiciousFileOperation when nothing of the name is left (R-9, R-8.4)."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    client.force_login(p.alice)
    response = client.post(
        reverse("cases:draft", args=[case.pk]),
        {
            "kind": "answer",
            "text": ANSWER,
            "version": case.version,
            "attachments": [SimpleUploadedFile(name, JPEG, content_type="image/jpeg")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:300]
    draft = Draft.objects.get(case=case)
    assert len(draft.attachments) == 1
