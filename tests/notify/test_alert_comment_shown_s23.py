"""Found by a review (session 23), fixed since. R-14: the curator's comment sent with a significant mark is cut off the alerts page when the message is long.

Scenario: 02.10.2025 09:00 a citizen's VK post of about 900 characters (a long account of a flooded school in
Kirovsk, as posts usually are) arrives; at 09:30 the curator marks it socially significant from the alerts page
with the comment «Нужна реакция главы района до 12:00: эвакуированы 300 детей». The Governor's office gets the
alert by Telegram and e-mail with the comment; the office (an observer) and the other curators then open
«Срочные оповещения» to read it.

Now: the alerts page shows the alert's text through `truncatechars_html:600` (notify/alerts.html): the first 600
characters of the citizen's post and «…» — the curator's comment, written after the post's text
(`alerts.mark_significant`: «Комментарий куратора: …»), is cut off and cannot be opened anywhere on the page,
while a later comment (`evidence["notes"]`) is shown in full below it.

Should be: the curator's comment — why the message matters, the one thing the office must read — is shown on the
alerts page whole, however long the citizen's text is.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.intake.models import Message
from otklik.notify.models import Alert
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

NOTE = "Нужна реакция главы района до 12:00: эвакуированы 300 детей"


def test_r14_the_alerts_page_shows_the_curators_comment_of_a_long_message(
    personas: Personas, settings: Any
) -> None:
    settings.OTKLIK_ALERT_TELEGRAM = None
    sentence = (
        "В Кировске прорвало трубу горячего водоснабжения у школы № 2, подвал и первый этаж затоплены. "
    )
    message = Message.objects.create(
        network="vk",
        external_id="wall-1_4242",
        url="https://vk.com/wall-1_4242",
        author_name="Анна Смирнова",
        text=(sentence * 10).strip(),  # about 950 characters: a usual long post
        published_at=msk(2025, 10, 2, 9, 0),
    )
    curator = Client()
    curator.force_login(personas.curator)
    curator.post(reverse("notify:significant"), {"message": str(message.pk), "note": NOTE})
    alert = Alert.objects.get()
    assert NOTE in alert.text  # sent to the office with the alert

    office = Client()
    office.force_login(personas.observer)
    page = office.get(reverse("notify:alerts")).content.decode()
    assert alert.title in page
    assert NOTE in page, "the curator's comment is not on the alerts page"
    # the curators read the same page
    assert NOTE in curator.get(reverse("notify:alerts")).content.decode()
