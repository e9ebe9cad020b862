"""Found by a review (session 24), fixed since. R-9 with R-8.9: the photo a body sent with its information does not reach the common answer's composer's editor.

Scenario (Monday 28.04.2025; the pages post at 12:00). The curator sends a VK comment about the clinic and the
road to it to health (order 1) and roads (order 2); the common answer is written by the last body's executor
(`common_by_last`). Health's Алексеева sends her information with a photo of the clinic's repaired entrance — R-9's
proof of the work done. Roads' Давыдов sends his after her and is told to write the common answer; he opens the
editor, where «Информация органов для общего ответа (п. 8.9 Положения)» lists each body's text and measures.

Now: health's photo is not there — neither a link to open it nor a box to keep it in the answer. The common answer
is created with only the files Давыдов uploads himself, so it goes to review and (with a connected VK source) is
published automatically as text alone: the proof health sent never reaches the author, and nothing on the page he
writes in tells Давыдов it exists.

Should: the editor of the common answer shows each part's photos with the part (a link to open them, or a box that
keeps them in the common answer), as the case page does for the part itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import Case, Draft
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    return tmp_path


def test_the_composer_sees_the_photo_a_body_sent_with_its_part(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 4, 28, 12, 0))  # the clock the pages post at
    start = msk(2025, 4, 28, 10, 0)
    case = dispatch(p.curator, p.health, p.roads, at=start, multi_mode="common_by_last")
    alice = Client()
    alice.force_login(p.alice)
    sent = alice.post(
        reverse("cases:draft", args=[case.pk]),
        {
            "kind": "part",
            "text": "Вход в поликлинику отремонтирован 25 апреля, фото прилагаем.",
            "version": case.version,
            "attachments": [SimpleUploadedFile("вход после ремонта.jpg", JPEG, content_type="image/jpeg")],
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:500]
    part = Draft.objects.get(case=case, author=p.alice)
    assert len(part.attachments) == 1
    actions.submit_draft(p.dave, case, "part", "Дорогу к поликлинике отремонтируют в мае.")
    case.refresh_from_db()
    assert case.composer == p.dave and case.status == Case.Status.DRAFTING

    dave = Client()
    dave.force_login(p.dave)
    editor = dave.get(reverse("cases:draft", args=[case.pk])).content.decode()
    assert "Вход в поликлинику отремонтирован 25 апреля" in editor  # the part's text is beside the editor
    photo = reverse("cases:attachment", args=[case.pk, part.pk, 0])
    offered = photo in editor or f'value="{part.attachments[0]}"' in editor
    assert offered, "the common answer's editor does not show (nor keep) the photo health sent with its part"
    assert "Фото и видео из информации органов — войдут в общий ответ" in editor
    assert f'name="keep" value="{part.attachments[0]}" checked' in editor

    # sent with the box left ticked, the common answer carries health's photo to review and publication
    sent = dave.post(
        reverse("cases:draft", args=[case.pk]),
        {
            "kind": "answer",
            "text": "Здравствуйте! Вход в поликлинику отремонтирован 25 апреля, дорогу отремонтируют в мае.",
            "version": case.version,
            "keep": [part.attachments[0]],
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:500]
    common = Draft.objects.get(case=case, kind=Draft.Kind.ANSWER)
    assert common.attachments == part.attachments
    assert dave.get(reverse("cases:attachment", args=[case.pk, common.pk, 0])).status_code == 200
