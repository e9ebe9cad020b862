"""The executor's draft editor (R-8.4, R-8.6, R-9): what the executor typed or chose survives a refusal."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case, Draft
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

ANSWER = "Ирина, здравствуйте! Фонари на Соборной включат до пятницы."
TOO_LONG = "Ирина, здравствуйте! " + "Фонари включат до пятницы. " * 800  # over VK's limit
# the smallest valid PNG: the attachment sniffer takes it as a photo
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def _case(p: Personas) -> Case:
    return actions.dispatch_case(
        p.curator,
        [message("Фонари на Соборной в Гатчине не горят третий день")],
        [actions.Route(p.health, 1)],
    )


def _returned(p: Personas, *, photo: bool = False) -> tuple[Case, Draft]:
    case = _case(p)
    files: list[str] = []
    if photo:
        client = Client()
        client.force_login(p.alice)
        sent = client.post(
            reverse("cases:draft", args=[case.pk]),
            {
                "kind": "answer",
                "version": case.version,
                "text": ANSWER,
                "attachments": SimpleUploadedFile("фонарь.png", PNG, content_type="image/png"),
            },
        )
        assert sent.status_code == 302, sent.content.decode()[:2000]
        draft = case.drafts.get()
        files = draft.attachments
        assert len(files) == 1
    else:
        draft = actions.submit_draft(p.alice, case, "answer", ANSWER)
    actions.return_draft(p.curator, draft, "Уточните дату.")
    case.refresh_from_db()
    return case, draft


def test_revision_sent_from_a_page_a_colleague_already_revised_keeps_the_typed_text(
    personas: Personas,
) -> None:
    """R-8.6 (stale page): Алексеева opens «Доработать проект»; meanwhile Борисов, of the same body, sends his
    revision. Her «Направить куратору» answers 404 «Страница не найдена» — her typed revision is gone, and she is
    not told that the draft was already revised. Every other refusal of the editor (stale version, too long, empty)
    comes back as the form with the text kept (views.draft_editor: `get_object_or_404(..., state=RETURNED)` runs
    before the POST is handled)."""
    p = personas
    case, returned = _returned(p)
    alice = Client()
    alice.force_login(p.alice)
    opened = alice.get(reverse("cases:revise", args=[case.pk, returned.pk]))
    assert opened.status_code == 200
    actions.revise_draft(p.bob, returned, ANSWER + " Дата — 30 мая.", expected_version=case.version)
    typed = "Ирина, здравствуйте! Фонари включат в пятницу, 30 мая, подрядчик уже заменил кабель."
    sent = alice.post(
        reverse("cases:revise", args=[case.pk, returned.pk]), {"version": case.version, "text": typed}
    )
    assert sent.status_code != 404, "the revision she typed is lost on a 404 page"
    assert "подрядчик уже заменил кабель" in sent.content.decode()


def test_new_draft_refused_as_too_long_says_the_attached_photo_was_not_kept(personas: Personas) -> None:
    """R-9 with R-8.4: the executor attaches the photo of the repaired lamp (proof of the work done) and sends a text
    the network would not take. The refusal comes back with the text kept, but the photo was deleted
    (`attachments.remove(saved)`) and the page neither shows it nor says it must be attached again: shortened and
    sent again, the answer goes to the curator — and is published — without its photo."""
    p = personas
    case = _case(p)
    client = Client()
    client.force_login(p.alice)
    refused = client.post(
        reverse("cases:draft", args=[case.pk]),
        {
            "kind": "answer",
            "version": case.version,
            "text": TOO_LONG,
            "attachments": SimpleUploadedFile("фонарь.png", PNG, content_type="image/png"),
        },
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Сеть не примет такой ответ" in page
    assert "фонарь" in page, "nothing on the page says the photo was dropped and must be attached again"


def test_revision_refused_as_too_long_keeps_the_photo_the_executor_took_off(personas: Personas) -> None:
    """R-8.6 with R-9: revising, the executor unticks the draft's photo (the curator asked for another) and sends a
    text that is too long. The form comes back with the photo ticked again (every kept file is rendered
    `checked`): shortened and sent, the revision carries the photo she had taken off."""
    p = personas
    case, returned = _returned(p, photo=True)
    client = Client()
    client.force_login(p.alice)
    refused = client.post(
        reverse("cases:revise", args=[case.pk, returned.pk]),
        {"version": case.version, "text": TOO_LONG},  # no «keep»: the photo is taken off
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    boxes = re.findall(r'<input type="checkbox" name="keep"[^>]*>', page)
    assert boxes, page[:3000]
    assert not any("checked" in b for b in boxes), f"the photo she took off is ticked again: {boxes}"
