"""R-14: an alert tells the Governor's office the text, the link, the place and the audience. A message marked
«Общественно значимое (п. 14)» on its dispatch page (no case yet) now reaches the office with the place the
analysis found for it (settlement, municipal formation, street — «Место: Кировск, …, улица Набережная (определено по
тексту автоматически)»), on the alerts page and in the Telegram chat; a case's place set by the curator still wins.

Found by a review (session 18)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.models import Suggestion
from otklik.analysis.pipeline import annotate_message
from otklik.intake.models import Message
from otklik.notify.models import Alert
from tests.conftest import Personas, msk
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": "-100777"}
        yield fake


def test_r14_a_message_marked_on_its_dispatch_page_reaches_the_office_with_its_place(
    personas: Personas, client: Client, telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    message = Message.objects.create(
        network="vk",
        external_id="wall-1_4401",
        url="https://vk.com/wall-1_4401",
        author_name="Анна",
        text="В Кировске прорвало трубу на улице Набережной, затоплена школа, дети эвакуированы",
        metrics={"views": 18000},
        published_at=msk(2025, 10, 1, 8, 0),
    )
    annotate_message(message)
    place = Suggestion.objects.get(message=message, kind="place").value
    where = place.get("settlement") or place.get("municipality")
    assert where, f"the analysis found no place: {place}"

    client.force_login(personas.curator)
    page = reverse("cases:dispatch", args=[message.pk])
    html = client.get(page).content.decode()
    assert "текст, ссылку, место и охват" in html  # what the page promises
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notify:significant"), {"message": str(message.pk), "next": page})

    alert = Alert.objects.get()
    (sent,) = telegram.published
    assert alert.place, "the alert was recorded without a place"
    assert alert.place.startswith(str(where)) and alert.place.endswith(
        "(определено по тексту автоматически)"
    ), alert.place
    assert f"Место: {alert.place}" in sent["text"], sent["text"]
    assert "Место:" in sent["text"] and str(where).split()[0][:6] in sent["text"], sent["text"]
