"""Found by a review (session 25), fixed since. R-8.4 (the author's reply to a clarification request, entered by its link), R-8.1 (the curator's inbox). The
request went out under the author's VK comment; the author answered in another place — the body's Telegram channel —
and that message is already stored by the Telegram connector and sits in the curator's inbox. The executor adds it
on the case page («Добавить ответ автора на запрос») with its link https://t.me/lenobl_health/55. Instead of
taking the stored message, the system makes a second copy of it labelled «ВКонтакте» (external id
«url:t.me/lenobl_health/55», network vk), and the real Telegram message stays in the curator's inbox as new
unhandled work, to be dispatched again as a duplicate case. `cases.views.author_reply` looks the link up only in
the case's own network (`find_stored(url, case.network, …)`, `external_id_of(url, case.network)`), though the view
promises «By its link the reply is the row a connector … stores for it, not a second copy»
(src/otklik/cases/views.py `author_reply`)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.inbox import unrouted_messages
from otklik.cases.models import CaseMessage
from otklik.intake.models import Message
from tests.cases.test_author_reply_in_thread_s19 import awaiting, source  # noqa: F401
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

LINK = "https://t.me/lenobl_health/55"


def test_a_reply_added_by_the_link_of_a_stored_telegram_message_is_that_message(
    client: Client,
    personas: Personas,
    source: object,  # noqa: F811
) -> None:
    p = personas
    case = awaiting(p, source)  # type: ignore[arg-type]
    # as the Telegram connector stores a public channel's message (its link is t.me/<username>/<id>)
    reply = Message.objects.create(
        network="telegram",
        external_id="-1001777:55",
        url=LINK,
        author_id="9001",
        author_name="Ирина Петрова",
        text="Речь о Соборной улице, дом 5.",
        text_raw="Речь о Соборной улице, дом 5.",
    )
    assert unrouted_messages().filter(pk=reply.pk).exists()

    client.force_login(p.alice)
    client.post(
        reverse("cases:reply", args=[case.pk]),
        {"text": "Речь о Соборной улице, дом 5.", "url": LINK, "version": case.version},
    )

    copies = Message.objects.filter(url__contains="t.me/lenobl_health/55").count()
    assert (
        CaseMessage.objects.filter(case=case, message=reply, is_author_reply=True).exists() and copies == 1
    ), (
        f"the stored Telegram message was not taken as the reply: {copies} rows now carry its link (a copy labelled "
        "«ВКонтакте» is in the case) and the original stays in the curator's inbox"
    )
    assert not unrouted_messages().filter(pk=reply.pk).exists()
