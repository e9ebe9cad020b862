"""Found by a review (session 26), fixed since. R-9: a photo in AVIF (an «ftyp» file like MP4 and HEIC) attached to the executor's draft."""

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
# the first bytes of an AVIF still image (ISO base media, major brand «avif»), as phones and browsers save them
AVIF = b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + b"\x00" * 300


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    return tmp_path


def test_avif_photo_is_not_stored_and_shown_as_an_mp4_video(client: Client, personas: Personas) -> None:
    """The executor attaches «яма.avif», a photo. The editor does not refuse it as a format it does not take (the
    hint lists JPEG, PNG, WEBP, HEIC), nor keeps it as a photo: `intake.safety.sniff` takes every «ftyp» file that
    is not HEIC for a video, so it is stored as «яма.mp4» and the curator's case page offers «видео «яма.mp4»» —
    a file that no video player opens, published by hand as the proof of the work (R-9)."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    client.force_login(p.alice)
    response = client.post(
        reverse("cases:draft", args=[case.pk]),
        {
            "kind": "answer",
            "text": ANSWER,
            "version": case.version,
            "attachments": [SimpleUploadedFile("яма.avif", AVIF, content_type="image/avif")],
        },
    )
    if response.status_code == 400:  # refused with a Russian message: fine, nothing is mislabelled
        assert "не подходит" in response.content.decode()
        return
    assert response.status_code == 302
    draft = Draft.objects.get(case=case)
    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "видео «яма.mp4»" not in page, draft.attachments
