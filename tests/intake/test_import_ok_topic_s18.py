"""R-4: two Odnoklassniki comments of one discussion in an export are two messages.

An OK comment has no link of its own: an export gives every comment its discussion's link, as the OK connector
stores it. The import now tells the comments apart by that link and the comment's own author, time and text (the
same comment in the next export is the same message): both residents' comments are stored, with their authors, and
a later export's comment of the discussion does not overwrite an earlier one.

Found by a review (session 18): the import took the discussion's link as the message's id, so the earlier row was
dropped as «то же сообщение, что строка 2» and its text and author were stored nowhere.
"""

from __future__ import annotations

import pytest

from otklik.intake.imports import import_file
from otklik.intake.models import ImportMapping, Message

pytestmark = pytest.mark.django_db

TOPIC = "https://ok.ru/group/53038939046008/topic/155512345678901"


@pytest.fixture
def mapping() -> ImportMapping:
    return ImportMapping.objects.create(
        name="Мониторинг соцсетей",
        columns={"text": "Текст", "url": "Ссылка", "author_name": "Автор", "published_at": "Дата"},
    )


def test_two_ok_comments_of_one_discussion_in_an_export_are_two_messages(mapping: ImportMapping) -> None:
    content = (
        "Текст;Ссылка;Автор;Дата\n"
        f"Когда отремонтируют дорогу на Сиверскую?;{TOPIC};Галина Петрова;28.11.2024 10:15\n"
        f"В Вырице тоже яма на яме, третий год;{TOPIC};Олег Смирнов;28.11.2024 10:40\n"
    ).encode()
    report = import_file(content, "ok.csv", mapping)
    assert report.repeated == 0, [(r.place, r.reason) for r in report.repeats]
    assert set(Message.objects.values_list("author_name", flat=True)) == {"Галина Петрова", "Олег Смирнов"}


def test_an_ok_comment_of_the_next_export_does_not_overwrite_another_of_its_discussion(
    mapping: ImportMapping,
) -> None:
    first = f"Текст;Ссылка;Автор;Дата\nКогда отремонтируют дорогу на Сиверскую?;{TOPIC};Галина Петрова;28.11.2024 10:15\n"
    second = f"Текст;Ссылка;Автор;Дата\nВ Вырице тоже яма на яме, третий год;{TOPIC};Олег Смирнов;29.11.2024 09:00\n"
    import_file(first.encode(), "monday.csv", mapping)
    import_file(second.encode(), "tuesday.csv", mapping)
    texts = set(Message.objects.values_list("text", flat=True))
    assert "Когда отремонтируют дорогу на Сиверскую?" in texts, texts


def test_the_same_export_imported_again_keeps_one_message_a_comment(mapping: ImportMapping) -> None:
    content = (
        "Текст;Ссылка;Автор;Дата\n"
        f"Когда отремонтируют дорогу на Сиверскую?;{TOPIC};Галина Петрова;28.11.2024 10:15\n"
        f"В Вырице тоже яма на яме, третий год;{TOPIC};Олег Смирнов;28.11.2024 10:40\n"
    ).encode()
    import_file(content, "ok.csv", mapping)
    again = import_file(content, "ok.csv", mapping)
    assert (again.created, again.updated) == (0, 2)
    assert Message.objects.count() == 2


def test_a_comment_imported_under_the_discussions_link_before_is_not_overwritten(
    mapping: ImportMapping,
) -> None:
    """A comment stored by an earlier version under the bare link is left as it is by the next export's other
    comment of the discussion."""
    first = f"Текст;Ссылка;Автор;Дата\nКогда отремонтируют дорогу на Сиверскую?;{TOPIC};Галина Петрова;28.11.2024 10:15\n"
    import_file(first.encode(), "monday.csv", mapping)
    Message.objects.update(external_id="url:ok.ru/group/53038939046008/topic/155512345678901")
    second = f"Текст;Ссылка;Автор;Дата\nВ Вырице тоже яма на яме, третий год;{TOPIC};Олег Смирнов;29.11.2024 09:00\n"
    import_file(second.encode(), "tuesday.csv", mapping)
    assert set(Message.objects.values_list("author_name", flat=True)) == {"Галина Петрова", "Олег Смирнов"}
