"""R-8.4, R-8.10 with the accessibility of refusals: a refused draft marks the field the refusal is about (its
`data-field` is focused, marked aria-invalid and given the reason beside it by otklik.js), as the dispatch form
does — a text of spaces only passes the browser's «required» and is refused by the server."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case
from tests.cases.helpers import marked_field, message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _case(personas: Personas, *, repeat_of: Case | None = None) -> Case:
    return actions.dispatch_case(
        personas.curator,
        [message("Фонари на Соборной в Гатчине не горят третий день")],
        [actions.Route(personas.health, 1)],
        repeat_of=repeat_of,
    )


def _send(client: Client, case: Case, **fields: object) -> str:
    refused = client.post(
        reverse("cases:draft", args=[case.pk]), {"kind": "answer", "version": case.version, **fields}
    )
    assert refused.status_code == 400
    return refused.content.decode()


def test_r8_4_a_text_of_spaces_marks_the_text(client: Client, personas: Personas) -> None:
    case = _case(personas)
    client.force_login(personas.alice)
    page = _send(client, case, text="   \n  ")
    assert "Текст проекта пуст." in page
    assert marked_field(page) == "text"


def test_r9_a_text_longer_than_the_network_takes_marks_the_text(client: Client, personas: Personas) -> None:
    case = _case(personas)
    client.force_login(personas.alice)
    too_long = "Ирина, здравствуйте! " + "Фонари включат до пятницы. " * 800
    page = _send(client, case, text=too_long)
    assert "Сеть не примет такой ответ" in page
    assert marked_field(page) == "text"


def test_r8_10_a_repeat_without_measures_marks_the_measures(client: Client, personas: Personas) -> None:
    case = _case(personas, repeat_of=_case(personas))
    client.force_login(personas.alice)
    page = _send(client, case, text="Ирина, здравствуйте! Фонари включат до пятницы.", measures="  ")
    assert "заполните поле «Принятые меры или ход решения»" in page
    assert marked_field(page) == "measures"
    assert 'name="measures"' in page and "Фонари включат до пятницы." in page  # what was typed stays


def test_r8_4_a_refusal_about_no_field_marks_none(client: Client, personas: Personas) -> None:
    """A draft sent for a case another colleague changed meanwhile: about the case, not a field — the focus goes to
    the message itself."""
    case = _case(personas)
    client.force_login(personas.alice)
    page = _send(
        client, case, text="Ирина, здравствуйте! Фонари включат до пятницы.", version=str(case.version - 1)
    )
    assert marked_field(page) == ""
    assert '<ul class="messages" id="messages"' in page


def test_r8_4_a_file_that_cannot_be_attached_marks_the_files(client: Client, personas: Personas) -> None:
    case = _case(personas)
    client.force_login(personas.alice)
    document = SimpleUploadedFile(
        "акт.docx", b"PK\x03\x04 not a photo", content_type="application/octet-stream"
    )
    page = _send(client, case, text="Ирина, здравствуйте! Фонари включат до пятницы.", attachments=document)
    assert "Файл «акт.docx» не подходит" in page
    assert marked_field(page) == "attachments"


def test_r8_5_a_return_without_a_comment_marks_the_comment(client: Client, personas: Personas) -> None:
    """R-8.5: the curator presses «Вернуть на доработку» with the comment empty (it is optional for «Согласовать», so
    the browser lets it go): the refusal puts the focus on the comment."""
    case = _case(personas)
    draft = actions.submit_draft(
        personas.alice, case, "answer", "Ирина, здравствуйте! Фонари включат до пятницы."
    )
    case.refresh_from_db()
    client.force_login(personas.curator)
    refused = client.post(
        reverse("cases:review", args=[case.pk, draft.pk]),
        {"decision": "return", "comment": " ", "version": case.version},
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Напишите, что нужно доработать." in page
    assert marked_field(page) == "comment"


def test_r8_a_closing_without_a_reason_keeps_the_form_open_and_marks_its_reason(
    client: Client, personas: Personas
) -> None:
    """The curator closes a case by decision with a reason of spaces (the browser's «required» lets it go): the page
    comes back with «Закрыть обращение» open, the focus on its reason (by id: the executor's «не наша
    компетенция» has a «Причина» too) — it went to the top of the page, the form folded."""
    case = _case(personas)
    client.force_login(personas.curator)
    refused = client.post(reverse("cases:close", args=[case.pk]), {"reason": "   ", "version": case.version})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Укажите причину закрытия." in page
    assert marked_field(page) == "#close-reason"
    assert "<details open><summary>Закрыть обращение</summary>" in page
    assert 'id="close-reason"' in page
    case.refresh_from_db()
    assert case.status != Case.Status.CLOSED
