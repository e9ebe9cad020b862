"""Found by a review (session 24), fixed since. R-4 («a message that cannot be parsed is kept and flagged, never dropped»): an imported row whose date is in
the future is stored without its date and the curator is not told.

Scenario (now = the machine's clock): a curator keeps incidents seen in a Telegram chat without an API in a
spreadsheet and uploads it as a CSV in Windows-1251 with «;» under the «Инцидент Менеджмент» schema. One row has a
typo in the year: «Дата создания» «28.11.2052 10:15» instead of 28.11.2025.

Now: the page says «Импорт: строк с данными 2, новых 2, обновлено 0, не разобрано 0.» — no row is named; the
message is stored with no publication time (the list shows «—», its order and deadlines count from the upload),
and the only trace is an English note «implausible publication time … ignored» in `Message.parse_error`, which no
page shows (`intake.pipeline._plausible` drops the date; `intake.imports.row_parser` / `import_file` never check
it). The same date typed in the manual-entry form is refused: «Время публикации 28.11.2052 10:15 ещё не
наступило». A date the import cannot read at all goes to the quarantine with a Russian reason and is listed.

Should: the import names the row and the date it could not take (in the list of problems or the notes on the page),
as it does for an unreadable date; the row stays kept (as a message, or in the quarantine).
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from otklik.intake.imports import ensure_default_mappings
from otklik.intake.models import ImportMapping, Message, Quarantine
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_a_row_dated_in_the_future_is_named_to_the_curator(client: Client, personas: Personas) -> None:
    ensure_default_mappings()
    mapping = ImportMapping.objects.get(name="Инцидент Менеджмент")
    content = (
        "Отдел;Исполнитель;Тема;Муниципалитет;Текст инцидента;Дата создания;Урл поста\r\n"
        "ЖКХ;Иванова А.;Освещение;Гатчинский МР;Не горят фонари на Чкалова;27.11.2024 18:40;"
        "https://t.me/gatchina_chat/990\r\n"
        "Дороги;Петров И.;Ямы;Гатчинский МР;Яма у школы № 4;28.11.2052 10:15;https://t.me/gatchina_chat/991\r\n"
    ).encode("cp1251")
    client.force_login(personas.curator)
    response = client.post(
        "/intake/import/",
        {"mapping": mapping.pk, "file": SimpleUploadedFile("Инциденты.csv", content, "text/csv")},
    )
    assert response.status_code == 200
    # nothing is lost: kept as a message, or in the quarantine as a row that was not taken
    assert Message.objects.count() + Quarantine.objects.count() == 2
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    # the row with the impossible date is named, with the date it has
    assert "Строка 3" in page and "28.11.2052" in page, page[
        page.find("Импорт:") : page.find("Импорт:") + 400
    ]
    assert "дата «28.11.2052 10:15» ещё не наступила — сообщение сохранено со временем получения" in page


def test_a_row_dated_before_2000_is_named_to_the_curator_too(client: Client, personas: Personas) -> None:
    """Session 25: a year typed short («25» read as 0025, or 1925) is as impossible as one in the future: the
    networks we read had no messages before 2000, so the row is kept with its receipt time and named."""
    ensure_default_mappings()
    mapping = ImportMapping.objects.get(name="Инцидент Менеджмент")
    content = (
        "Отдел;Исполнитель;Тема;Муниципалитет;Текст инцидента;Дата создания;Урл поста\r\n"
        "Дороги;Петров И.;Ямы;Гатчинский МР;Яма у школы № 4;28.11.1925 10:15;https://t.me/gatchina_chat/991\r\n"
    ).encode("cp1251")
    client.force_login(personas.curator)
    response = client.post(
        "/intake/import/",
        {"mapping": mapping.pk, "file": SimpleUploadedFile("Инциденты.csv", content, "text/csv")},
    )
    assert response.status_code == 200
    stored = Message.objects.get()
    assert stored.published_at is None  # the receipt time stands for it
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    assert "Строка 2" in page, page[page.find("Импорт:") : page.find("Импорт:") + 400]
    assert (
        "дата «28.11.1925 10:15» раньше 2000 года — проверьте год; сообщение сохранено со временем получения"
        in page
    )
