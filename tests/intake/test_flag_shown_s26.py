"""R-4 («a message that cannot be parsed is kept and flagged»): what intake could not take of a message as the
network gave it is said in Russian where the curator reads the message — the inbox, the dispatch form, the case
page — not only in an English note the admin's change form showed. Found by a review (session 26): a Telegram
comment sharing only a place on the map was stored blank and unflagged."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.intake.imports import import_file
from otklik.intake.models import ImportMapping, Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

NOTE = "разобрано не полностью: ссылка на автора не веб-адрес и не сохранена"


def test_the_curator_reads_what_was_left_out_of_a_message(client: Client, personas: Personas) -> None:
    mapping = ImportMapping.objects.create(
        name="Форум",
        network="forum",
        columns={"external_id": "id", "text": "body", "author_url": "who"},
    )
    rows = [{"id": "f-1", "body": "Когда починят лифт в доме 5?", "who": "javascript:alert(1)"}]
    import_file(json.dumps(rows).encode(), "forum.json", mapping)
    m = Message.objects.get(external_id="f-1")
    client.force_login(personas.curator)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert NOTE in inbox
    form = client.get(reverse("cases:dispatch", args=[m.pk])).content.decode()
    assert NOTE in form
    case = actions.dispatch_case(
        personas.curator, [m], [actions.Route(personas.health, 1)], now=msk(2025, 4, 28, 10, 0)
    )
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert NOTE in page


def test_a_message_with_nothing_to_show_is_flagged() -> None:
    """A comment of a network whose content the system cannot show (a Telegram story, a game): kept, and the
    curator reads that it holds more than she sees."""
    with transaction.atomic():
        upsert(
            [ParsedMessage(network="telegram", external_id="-100500:7", text_raw="  ", author_name="Анна")]
        )
    m = Message.objects.get(external_id="-100500:7")
    assert "ни текста, ни вложений" in m.parse_error
