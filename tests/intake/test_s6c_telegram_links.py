"""R-4: rows of an import (and hand entries) naming public Telegram messages by their t.me links find the messages
the bot delivered: the right one for each link, in any letter case, through an index and a fixed number of
queries for the whole batch (not one scan of the messages per row)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.models.functions import Lower
from django.test.utils import CaptureQueriesContext

from otklik.intake.imports import ensure_default_mappings, import_file
from otklik.intake.manual import enter_message, stored_by_link
from otklik.intake.models import ImportMapping, Message, Network, Post, Source
from otklik.intake.pipeline import run_source
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db

GROUP = "-1009876543210"  # the channel's discussion group, @demo_health_lenobl_chat


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def delivered(fake: FakeTelegram) -> Source:
    source = Source.objects.create(
        network="telegram",
        kind=Source.Kind.CHANNEL,
        title="Здравоохранение ЛО (Telegram)",
        config={"api_base": fake.url, "token": fake.token},
    )
    for i in range(30):  # more comments in the group, so a wrong match would have somewhere to go
        fake.comment(f"Вопрос жителя № {i}", message_id=400 + i)
    assert run_source(source).error == ""
    return source


def mapping() -> ImportMapping:
    ensure_default_mappings()
    return ImportMapping.objects.get(name="Инцидент Менеджмент")


def export(*rows: tuple[str, str]) -> bytes:
    lines = ["Урл поста;Текст инцидента;Дата создания;Аудитория"]
    lines += [f"{url};{text};28.11.2024 10:15;100" for url, text in rows]
    return "\n".join(lines).encode()


def test_r4_each_imported_telegram_link_finds_its_own_delivered_message(delivered: Source) -> None:
    """R-4: an «Инцидент Менеджмент» export names the bot's messages by the links people copy: the group's own link
    in another letter case, the web preview, the channel post's ``?comment=`` form. Each row is the message the
    bot delivered (left as it is), a link to a message the bot never saw is a new message."""
    before = Message.objects.count()
    rows = [
        ("https://T.me/Demo_Health_Lenobl_Chat/311", "Суббота?"),
        ("https://t.me/s/demo_health_lenobl_chat/312", "Вечерний приём?"),
        ("https://t.me/demo_health_lenobl/45?comment=313", "Очередь"),
        ("https://t.me/demo_health_lenobl_chat/417", "Вопрос 17"),
        ("https://t.me/demo_health_lenobl/45?comment=425", "Вопрос 25"),
        ("https://t.me/demo_health_lenobl_chat/999", "Этого бот не видел"),
    ]
    report = import_file(export(*rows), "export.csv", mapping())
    assert (report.known, report.created, report.quarantined) == (5, 1, 0)
    assert Message.objects.count() == before + 1
    found = stored_by_link([(url, Network.TELEGRAM) for url, _ in rows])
    ids = [
        found[(url, Network.TELEGRAM)].external_id if (url, Network.TELEGRAM) in found else ""
        for url, _ in rows
    ]
    assert ids[:5] == [f"{GROUP}:311", f"{GROUP}:312", f"{GROUP}:313", f"{GROUP}:417", f"{GROUP}:425"]
    assert found[(rows[3][0], Network.TELEGRAM)].text == "Вопрос жителя № 17"
    assert found[(rows[4][0], Network.TELEGRAM)].text == "Вопрос жителя № 25"
    new = Message.objects.get(text="Этого бот не видел")
    assert new.external_id.startswith("url:") and new.raw["import"] == "Инцидент Менеджмент"
    assert ids[5] == new.external_id  # imported now: the next row or entry with this link is this message


def test_r4_a_hand_entry_by_a_telegram_link_in_capitals_is_the_delivered_message(delivered: Source) -> None:
    """R-4: a curator pastes the link with the username as the channel writes it; the bot's message is found."""
    message, outcome = enter_message(url="https://t.me/Demo_Health_Lenobl/45?comment=420", text="Вопрос")
    assert (outcome, message.external_id, message.text) == ("known", f"{GROUP}:420", "Вопрос жителя № 20")


def test_r4_the_queries_of_a_batch_of_telegram_links_do_not_grow_with_its_rows(delivered: Source) -> None:
    """R-4: the links of a batch are looked up together: as many queries for 20 rows as for 2."""

    def queries(n: int) -> int:
        links = [(f"https://t.me/demo_health_lenobl_chat/{400 + i}", "telegram") for i in range(n // 2)]
        links += [
            (f"https://t.me/demo_health_lenobl/45?comment={400 + i}", "telegram") for i in range(n // 2)
        ]
        with CaptureQueriesContext(connection) as captured:
            found = stored_by_link(links)
        assert len(found) == n
        return len(captured.captured_queries)

    assert queries(20) == queries(2)


@pytest.mark.parametrize("model", ["message", "post"])
def test_r4_the_lookup_by_link_uses_its_index(model: str) -> None:
    """R-4: among 3,000 stored Telegram messages (posts) the lookup of two links reads the index of the links in lower
    case, not every row: with the table's statistics gathered, the database itself prefers it."""
    table = Message if model == "message" else Post
    table.objects.bulk_create(
        [
            table(network=Network.TELEGRAM, external_id=f"-100{n}:{n}", url=f"https://t.me/Chan{n % 50}/{n}")
            for n in range(3000)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table._meta.db_table}")
    qs = table.objects.annotate(url_lower=Lower("url")).filter(
        network=Network.TELEGRAM, url_lower__in=["https://t.me/chan1/1", "https://t.me/chan2/2"]
    )
    sql, params = qs.query.sql_with_params()
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert f"{model}_network_url_lower" in plan, plan
    assert [m.external_id for m in qs.order_by("external_id")] == ["-1001:1", "-1002:2"]
