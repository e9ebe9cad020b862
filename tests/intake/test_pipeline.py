"""The ingestion pipeline: exactly once, cursor with its items, quarantine, untrusted text (R-4)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from otklik.intake.models import Cursor, Message, Quarantine, Source
from otklik.intake.pipeline import ingest_payloads, orphans_sql, upsert
from otklik.intake.text import MAX_TEXT_CHARS, plain_text, to_str
from otklik.integrations.base import Parsed, ParsedMessage, Payload
from otklik.integrations.telegram.schemas import parse_update

pytestmark = pytest.mark.django_db

GROUP = {"id": -1009876543210, "type": "supergroup", "title": "обсуждение", "username": "chat"}


def update(update_id: int, text: Any = "текст", **extra: Any) -> dict[str, Any]:
    message = {
        "message_id": update_id,
        "chat": GROUP,
        "date": 1732781500,
        "from": {"id": 1, "first_name": "Анна"},
    }
    if text is not None:
        message["text"] = text
    message.update(extra)
    return {"update_id": update_id, "message": message}


def parse(payload: Payload) -> list[Parsed]:
    return parse_update(payload.data)


@pytest.fixture
def source() -> Source:
    return Source.objects.create(network="telegram", kind=Source.Kind.CHANNEL, title="t")


def test_bad_input_never_loses_the_rest_of_the_batch(source: Source) -> None:
    payloads = [
        Payload("update", update(1, "обычное сообщение")),
        Payload("update", b'{"update_id": 2, "message": {"text": "oops'),  # malformed JSON, as received
        Payload("update", {"update_id": 3, "message": {"text": "без даты и чата"}}),  # missing fields
        Payload("update", update(4, "я" * 1_000_000)),  # 1 MB of text
        Payload(
            "update",
            update(5, b"\xff\xfe \xd0\xbf\xd1\x80\xd0\xb8 \xc3\x28".decode("utf-8", "surrogateescape")),
        ),
        Payload("update", update(6, '<script>alert("x")</script>Привет, <b>мир</b>')),
        Payload("update", update(7, "нулевой\x00байт")),
        Payload("update", update(8, "число длиннее 64 бит", views=2**70)),
        Payload("update", "not even an object"),
    ]
    report = ingest_payloads("telegram", payloads, parse, source=source, cursor={"offset": 8})
    assert report.created == 6 and report.quarantined == 3
    assert Cursor.objects.get(source=source).position == {"offset": 8}
    huge = Message.objects.get(external_id=f"{GROUP['id']}:4")
    assert len(huge.text_raw) == 1_000_000 and len(huge.text) == MAX_TEXT_CHARS
    broken = Message.objects.get(external_id=f"{GROUP['id']}:5")
    assert "при" in broken.text and "\ufffd" in broken.text
    script = Message.objects.get(external_id=f"{GROUP['id']}:6")
    assert script.text == "Привет, мир" and "<script>" in script.text_raw
    assert Message.objects.get(external_id=f"{GROUP['id']}:7").text == "нулевойбайт"
    assert Message.objects.get(external_id=f"{GROUP['id']}:8").raw["views"] == 2**70
    errors = sorted(Quarantine.objects.values_list("error", flat=True))
    assert any("chat" in e for e in errors) and any("expected an object" in e for e in errors)
    assert Quarantine.objects.filter(payload__contains='"update_id": 2').count() == 1


def test_repeat_delivery_updates_instead_of_duplicating(source: Source) -> None:
    ingest_payloads("telegram", [Payload("update", update(1, "первая версия"))], parse, source=source)
    edited = update(1, "исправленная версия")
    edited["edited_message"] = edited.pop("message")
    report = ingest_payloads(
        "telegram", [Payload("update", edited), Payload("update", edited)], parse, source=source
    )
    assert (report.created, report.updated) == (0, 1)
    assert Message.objects.get().text == "исправленная версия"


def test_cursor_is_not_saved_when_the_items_are_not(source: Source) -> None:
    Cursor.objects.create(source=source, position={"offset": 1})
    with pytest.raises(RuntimeError), transaction.atomic():
        ingest_payloads(
            "telegram", [Payload("update", update(1))], parse, source=source, cursor={"offset": 2}
        )
        raise RuntimeError("crash after the page, before the outer commit")
    assert Cursor.objects.get(source=source).position == {"offset": 1}
    assert not Message.objects.exists()


def test_a_reply_that_arrives_before_its_parent_is_linked_later(source: Source) -> None:
    child = update(2, "ответ", reply_to_message={"message_id": 1, "chat": GROUP, "date": 1732781000})
    ingest_payloads("telegram", [Payload("update", child)], parse, source=source)
    assert Message.objects.get().reply_to is None
    ingest_payloads(
        "telegram", [Payload("update", update(1)), Payload("update", child)], parse, source=source
    )
    assert Message.objects.get(external_id=f"{GROUP['id']}:2").reply_to.external_id == f"{GROUP['id']}:1"  # type: ignore[union-attr]


def test_the_search_for_waiting_replies_uses_its_partial_index() -> None:
    """Every page asks which stored replies wait for one of its messages. Without the partial index that
    question reads every message of the network, so intake slows down as the archive grows (#5 bench)."""
    sql = orphans_sql(2)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", ["vk", "a", "b"])
            plan = " ".join(str(row) for row in cursor.fetchall())
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny test table would be scanned anyway
            cursor.execute(f"EXPLAIN {sql}", ["vk", "a", "b"])
            plan = " ".join(row[0] for row in cursor.fetchall())
    assert "message_orphan_replies" in plan, plan


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<p>Строка 1</p><p>Строка 2</p>", "Строка 1\n\nСтрока 2"),
        ('<img src=x onerror="alert(1)">ок', "ок"),
        ("a &lt;b&gt; &amp; c", "a <b> & c"),
        ("<style>p{}</style><iframe src='//evil'></iframe>текст", "текст"),
        ("2 < 3 и 5 > 4", "2 < 3 и 5 > 4"),
        ("строка<br>ещё строка", "строка\nещё строка"),
        ("<B>важно</B>", "важно"),
        # plain text that merely has angle brackets keeps its words (a tariff's name, quotes)
        (
            "Тариф <Start> отменили, <<Ленинградская правда>> молчит",
            "Тариф <Start> отменили, <<Ленинградская правда>> молчит",
        ),
        ("<brown> коробка", "<brown> коробка"),
    ],
)
def test_plain_text_removes_markup(raw: str, shown: str) -> None:
    assert plain_text(raw) == shown


@pytest.mark.parametrize(
    "published",
    [
        datetime(2026, 3, 1, 9, 30, 0, tzinfo=UTC),
        datetime(2026, 3, 1, 9, 30, 0, 250_000, tzinfo=UTC),
        datetime(2026, 3, 1, 12, 30, 0, 7, tzinfo=ZoneInfo("Europe/Moscow")),  # feeds give local times
    ],
)
def test_the_publication_time_is_stored_as_the_same_instant(published: datetime) -> None:
    """The bulk upsert formats times itself (past the ORM); the ORM must read back the same instant, and
    date filters (reports by month, working-time deadlines) must see it where the ORM would put it."""
    message = ParsedMessage(network="rss", external_id="a1", text_raw="Текст", published_at=published)
    with transaction.atomic():
        upsert([message])
    stored = Message.objects.get(network="rss", external_id="a1")
    assert stored.published_at == published
    assert Message.objects.filter(published_at__gte=published, published_at__lte=published).count() == 1
    assert Message.objects.filter(published_at__gt=published).count() == 0


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("Нет воды на ул. Ленина", "Нет воды на ул. Ленина"),  # printable: returned as it is
        ("при\x00вет\x07", "привет"),  # NUL and controls removed
        ("a\ud800b", "a\ufffd\ufffd\ufffdb"),  # a lone surrogate cannot be stored: replaced
        (b"\xd0\xbf\xd1\x80\xff", "пр\ufffd"),  # invalid UTF-8: replaced
        ("строка 1\nстрока 2", "строка 1\nстрока 2"),  # line breaks are kept
    ],
)
def test_received_text_is_made_storable(raw: Any, kept: str) -> None:
    assert to_str(raw) == kept
