"""R-8.7, R-9: the executor attached a photo of the repaired road, the answer says «фото прилагаем», the curator
approved it; «Подтвердить публикацию», the page that tells her to post the approved answer, shows the text and the
photo to open and save, so the answer goes out with its proof. Found by a walk through the demo (session 18): only
the text was shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
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


def test_the_publication_page_shows_the_approved_photo_to_post_with_the_answer(
    client: Client, personas: Personas
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    client.force_login(p.alice)
    sent = client.post(
        reverse("cases:draft", args=[case.pk]),
        {
            "kind": "answer",
            "text": ANSWER,
            "version": case.version,
            "attachments": [SimpleUploadedFile("яма после ремонта.jpg", JPEG, content_type="image/jpeg")],
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:500]
    draft = Draft.objects.get(case=case)
    assert len(draft.attachments) == 1
    actions.approve_draft(p.curator, draft)

    page = client.get(reverse("cases:publish", args=[case.pk, draft.pk])).content.decode()
    assert "Подтвердить публикацию" in page
    photo = reverse("cases:attachment", args=[case.pk, draft.pk, 0])
    assert photo in page, "the approved photo is not on the page where the executor posts the answer"
