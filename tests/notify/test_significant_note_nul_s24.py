"""Found by a review (session 24), fixed since. R-14 (and R-4: what a person types is stored as meant): the curator marks a message as socially significant
from the alerts page and adds a comment pasted from a PDF, which carried a NUL character («Срочно,\x00 затоплена
школа»), on 01.10.2025 at 09:00.

Now: the comment goes into the alert's text (`notify.views.significant` takes `request.POST["note"]` as it is,
only `.strip()`ed, and `notify.alerts.mark_significant` writes it into `Alert.text`): on PostgreSQL the save is
refused («A string literal cannot contain NUL (0x00) characters») and the curator gets a server error page, the
alert is not raised and the Governor's office is not told; on SQLite the NUL is stored and sent on in the
letter and the Telegram message. A second mark with such a comment (`add_note`) puts it into the alert's JSON
evidence, which PostgreSQL refuses as well.

Should be: as every other free-text form of Otklik (`web.typed.posted_text` / `intake.text.to_str`), the NUL is
dropped, the alert is raised with «Комментарий куратора: Срочно, затоплена школа» and the curator is told it was
sent.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from otklik.intake.models import Message
from otklik.notify.models import Alert
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _message() -> Message:
    return Message.objects.create(
        network="vk",
        external_id="wall-1_190",
        url="https://vk.com/wall-1_190",
        author_name="Анна",
        text="В Кировске прорвало трубу, затоплена школа №2",
        published_at=msk(2025, 10, 1, 8, 0),
    )


def test_r14_a_comment_pasted_with_a_nul_is_kept_without_it(personas: Personas) -> None:
    msg = _message()
    client = Client(raise_request_exception=False)
    client.force_login(personas.curator)
    response = client.post(
        "/notify/significant/", {"message": str(msg.pk), "note": "Срочно,\x00 затоплена школа"}, follow=True
    )
    assert response.status_code == 200, "the curator got a server error instead of the alerts page"
    assert "Внутренняя ошибка" not in response.content.decode()
    alert = Alert.objects.get()
    assert "Комментарий куратора: Срочно, затоплена школа" in alert.text
    assert "\x00" not in alert.text


def test_r14_a_second_comment_pasted_with_a_nul_is_kept_without_it(personas: Personas) -> None:
    msg = _message()
    client = Client(raise_request_exception=False)
    client.force_login(personas.curator)
    client.post("/notify/significant/", {"message": str(msg.pk), "note": "Нужна реакция"})
    response = client.post(
        "/notify/significant/", {"message": str(msg.pk), "note": "Вода\x00 уже в подвале"}, follow=True
    )
    assert response.status_code == 200, "the curator got a server error instead of the alerts page"
    alert = Alert.objects.get()
    notes = alert.evidence.get("notes", [])
    assert [n["text"] for n in notes] == ["Вода уже в подвале"]
    assert "\\u0000" not in json.dumps(alert.evidence)


def test_r14_a_mark_with_an_odd_return_address_goes_to_the_alerts_page(personas: Personas) -> None:
    """A hand-made «next» that is no path (« 1 ») was read as a view's name: a 500 instead of the alerts page."""
    msg = _message()
    client = Client(raise_request_exception=False)
    client.force_login(personas.curator)
    response = client.post("/notify/significant/", {"message": str(msg.pk), "note": "", "next": " 1 "})
    assert response.status_code == 302 and response["Location"] == "/notify/alerts/"
    assert Alert.objects.count() == 1
