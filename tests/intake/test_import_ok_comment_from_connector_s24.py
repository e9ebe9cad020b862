"""Found by a review (session 24), fixed since. R-4: an «Инцидент Менеджмент» row about an Odnoklassniki comment the OK connector has already read is
the same message, not a second one.

Scenario: the OK connector reads the discussion of the «Гатчина» group; at 28.11.2024 10:15 Галина Петрова's
comment «Когда отремонтируют дорогу на Сиверскую?» is stored (network ok, its own id «<topic>:<comment>», the
discussion's link, as the connector stores every OK comment). On 29.11.2024 the curator uploads the day's
export of «Инцидент Менеджмент», whose row for that incident has the same text, «Дата создания» 28.11.2024 10:15
and «Урл поста» — the discussion's link (an OK comment has no link of its own).

Now: the import reports «новых 1» and the inbox holds the comment twice — once from the network (author, profile,
source) and once from the file (no author) — so two curators can send the same complaint to a body twice, and the
summary does not say «уже получены из сети». For VK, Telegram, YouTube and feeds such a row is found and left as
it is (tests/intake/test_explore_imports.py: test_r4_an_import_does_not_spoil_a_message_received_from_the_network),
for OK it is not: `intake.imports._merge_stored` leaves OK rows out of the look-up by link, and the row's id
(«url:<discussion>#<hash>») never equals the connector's «<topic>:<comment>».

Should: the row is counted as «уже получены из сети и оставлены как есть 1», one message stays (the connector's).
"""

from __future__ import annotations

import pytest

from otklik.intake.imports import ensure_default_mappings, import_file
from otklik.intake.models import ImportMapping, Message, Network, Source
from otklik.intake.pipeline import upsert
from otklik.integrations.base import Payload
from otklik.integrations.ok.connector import OKConnector

pytestmark = pytest.mark.django_db

GROUP = "53038939046008"
TOPIC = "155512345678901"
TOPIC_URL = f"https://ok.ru/group/{GROUP}/topic/{TOPIC}"
TEXT = "Когда отремонтируют дорогу на Сиверскую? Яма на яме"


def test_an_export_row_of_an_ok_comment_read_by_the_connector_is_known() -> None:
    source = Source.objects.create(network="ok", kind="community", title="Гатчина", external_id=GROUP)
    connector = OKConnector(source, client=object())  # type: ignore[arg-type]
    payload = Payload(
        "comment",
        {
            "topic": TOPIC,
            "group_id": GROUP,
            "comment": {
                "id": "MTcwMjM0",
                "text": TEXT,
                "author_id": "571234567890",
                "author_name": "Галина Петрова",
                "date": "2024-11-28 10:15:00",
            },
        },
    )
    upsert(connector.parse(payload), source)
    delivered = Message.objects.get()
    assert (delivered.network, delivered.url) == (Network.OK, TOPIC_URL)

    ensure_default_mappings()
    mapping = ImportMapping.objects.get(name="Инцидент Менеджмент")
    content = (
        "Отдел;Исполнитель;Группа тем;Тема;Муниципалитет;Населенный пункт;Текст инцидента;Дата создания;"
        "Урл поста;Аудитория\r\n"
        f"Комитет по дорожному хозяйству;Иванова А.;Дороги;Ямы;Гатчинский МР;Сиверский;{TEXT};"
        f"28.11.2024 10:15;{TOPIC_URL};1 520\r\n"
    ).encode("cp1251")
    report = import_file(content, "Инциденты 29.11.csv", mapping)

    assert "уже получены из сети и оставлены как есть 1" in report.summary(), report.summary()
    assert list(Message.objects.values_list("pk", flat=True)) == [delivered.pk], [
        (m.network, m.external_id, m.author_name) for m in Message.objects.all()
    ]
