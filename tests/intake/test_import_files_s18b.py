"""R-4: file imports, after a second review of the day's changes (session 18).

1. JSON Lines: only "\n" ends a record. A message whose text holds U+2028/U+2029, U+0085 … (written as they are
   inside a JSON string, and common in text copied from phones) is one message; before, `str.splitlines()` cut it
   in two, and on the file's first line the whole file was refused.
2. An OK comment without an id column is keyed by its discussion's link, its author and its time, so the same
   comment in the next export — after its author corrected a typo or renamed herself — is the same message, not a
   second one in the inbox; the text stands in only when the export gives no time."""

from __future__ import annotations

import json

import pytest

from otklik.intake.imports import import_file
from otklik.intake.models import ImportMapping, Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_mapping() -> ImportMapping:
    return ImportMapping.objects.create(
        name="Мониторинг (JSON)",
        columns={"text": "text", "url": "url", "published_at": "date", "author_name": "author"},
    )


def test_a_json_lines_message_with_a_line_separator_in_its_text_is_imported(
    api_mapping: ImportMapping,
) -> None:
    lines = [
        {
            "text": "Не горят фонари на Чкалова.\u2028Уже неделю темно, дети ходят в школу в темноте",
            "url": "https://gatchina-forum.example/t/1",
            "date": "2024-11-28T10:15:00+03:00",
        },
        {
            "text": "Яма у школы",
            "url": "https://gatchina-forum.example/t/2",
            "date": "2024-11-28T10:20:00+03:00",
        },
    ]
    content = "\n".join(json.dumps(item, ensure_ascii=False) for item in lines).encode() + b"\n"
    report = import_file(content, "export.jsonl", api_mapping)
    assert report.created == 2, [(p.place, p.reason) for p in report.problems]
    assert Message.objects.filter(text__contains="Уже неделю темно").exists()


TOPIC = "https://ok.ru/group/53038939046008/topic/155512345678901"


def test_an_ok_comment_edited_by_its_author_is_the_same_message_in_the_next_export() -> None:
    mapping = ImportMapping.objects.create(
        name="Мониторинг соцсетей",
        columns={"text": "Текст", "url": "Ссылка", "author_name": "Автор", "published_at": "Дата"},
    )
    monday = (
        "Текст;Ссылка;Автор;Дата\n"
        f"Когда отремонтируют дорогу на Сиверскую? Яма на ям;{TOPIC};Галина Петрова;28.11.2024 10:15\n"
        f"В Вырице тоже яма на яме, третий год;{TOPIC};Олег Смирнов;28.11.2024 10:40\n"
    )
    # the next day's export: Galina corrected her typo
    tuesday = (
        "Текст;Ссылка;Автор;Дата\n"
        f"Когда отремонтируют дорогу на Сиверскую? Яма на яме;{TOPIC};Галина Петрова;28.11.2024 10:15\n"
        f"В Вырице тоже яма на яме, третий год;{TOPIC};Олег Смирнов;28.11.2024 10:40\n"
    )
    import_file(monday.encode(), "monday.csv", mapping)
    import_file(tuesday.encode(), "tuesday.csv", mapping)
    galina = list(Message.objects.filter(author_name="Галина Петрова").values_list("text", flat=True))
    assert len(galina) == 1, f"one comment of Galina's, stored as {len(galina)} messages: {galina}"
