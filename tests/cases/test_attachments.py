"""R-9: photos and video attached to a draft as proof. Stored under MEDIA_ROOT, checked by their first bytes
and size with clear messages, shown on the case page and at review, served only to those who see the case."""

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
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + b"\x00" * 300
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


@pytest.fixture(autouse=True)
def media(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    return tmp_path


def stored(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def submit(client: Client, case_pk: int, version: int, *files: SimpleUploadedFile) -> str:
    response = client.post(
        reverse("cases:draft", args=[case_pk]),
        {"kind": "answer", "text": ANSWER, "version": version, "attachments": list(files)},
    )
    return f"{response.status_code} {response.content.decode()}"


def test_executor_attaches_photo_and_video_the_curator_sees_them_other_bodies_do_not(
    client: Client, personas: Personas, media: Path
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    client.force_login(p.alice)
    editor = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in editor and 'name="attachments"' in editor
    result = submit(
        client,
        case.pk,
        case.version,
        SimpleUploadedFile("яма до и после.jpg", JPEG, content_type="image/jpeg"),
        SimpleUploadedFile("ремонт.mp4", MP4, content_type="video/mp4"),
    )
    assert result.startswith("302"), result
    draft = Draft.objects.get(case=case)
    assert len(draft.attachments) == 2 and len(stored(media)) == 2
    assert all(name.startswith(f"cases/{case.pk}/") for name in draft.attachments)

    client.force_login(p.curator)  # at review
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Согласовать" in page
    assert "фото «яма_до_и_после.jpg»" in page and "видео «ремонт.mp4»" in page
    photo = reverse("cases:attachment", args=[case.pk, draft.pk, 0])
    assert photo in page
    response = client.get(photo)
    assert response.status_code == 200 and b"".join(response.streaming_content) == JPEG  # type: ignore[attr-defined]
    assert client.get(reverse("cases:attachment", args=[case.pk, draft.pk, 2])).status_code == 404

    client.force_login(p.dave)  # roads: not his case
    assert client.get(photo).status_code == 404


def test_wrong_type_and_oversize_files_are_refused_with_clear_messages(
    client: Client, personas: Personas, media: Path, settings: pytest.FixtureRequest
) -> None:
    p = personas
    settings.CASES_ATTACHMENT_MAX_MB = 1  # type: ignore[attr-defined]
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    client.force_login(p.alice)
    fake = SimpleUploadedFile("акт.jpg", b"%PDF-1.7 not a photo", content_type="image/jpeg")
    result = submit(client, case.pk, case.version, fake)
    assert result.startswith("400") and "Файл «акт.jpg» не подходит: прикладываются фото" in result
    big = SimpleUploadedFile("большое.mp4", MP4 + b"\x00" * (1024 * 1024), content_type="video/mp4")
    result = submit(client, case.pk, case.version, big)
    assert (
        result.startswith("400")
        and "Файл «большое.mp4» слишком большой: 1.0 МБ, допускается до 1 МБ" in result
    )
    assert ANSWER in result  # the text typed is kept
    assert not Draft.objects.filter(case=case).exists() and stored(media) == []


def test_revision_keeps_the_chosen_attachments_and_adds_new_ones(
    client: Client, personas: Personas, media: Path
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    client.force_login(p.alice)
    submit(client, case.pk, case.version, SimpleUploadedFile("до.jpg", JPEG))
    first = Draft.objects.get(case=case)
    actions.return_draft(p.curator, first, "Приложите фото после ремонта")
    case.refresh_from_db()
    editor = client.get(reverse("cases:revise", args=[case.pk, first.pk])).content.decode()
    assert f'name="keep" value="{first.attachments[0]}" checked' in editor
    response = client.post(
        reverse("cases:revise", args=[case.pk, first.pk]),
        {
            "text": ANSWER,
            "version": case.version,
            "keep": first.attachments,
            "attachments": [SimpleUploadedFile("после.png", PNG)],
        },
    )
    assert response.status_code == 302, response.content.decode()
    revised = Draft.objects.filter(case=case).exclude(pk=first.pk).get()
    assert revised.attachments[0] == first.attachments[0] and revised.attachments[1].endswith(".png")
    assert len(stored(media)) == 2
