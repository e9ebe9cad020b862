"""Exploratory test of file imports and manual entry (R-4: messages come also from monitoring exports).

Each test is a file a curator really gets: an «Инцидент Менеджмент» export saved by Excel in some way, a
monitoring system's JSON, a book with several sheets. What the curator checks: every row is either a message
(once) or a quarantined row with its place in the file and a Russian reason shown after the import; nothing
already received from the network is spoilt; no 500.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from openpyxl import Workbook

from otklik.intake import imports
from otklik.intake.imports import ensure_default_mappings, import_file
from otklik.intake.models import ImportMapping, Message, Quarantine, Source
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage, ParseError
from otklik.org.models import OfficialAccount
from tests.conftest import MSK, Personas
from tests.intake.test_imports import IM_HEADER, im_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def im() -> ImportMapping:
    ensure_default_mappings()
    return ImportMapping.objects.get(name="Инцидент Менеджмент")


def csv_bytes(rows: list[list[Any]], delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(*sheets: tuple[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client: Client, content: bytes, name: str, mapping: ImportMapping) -> str:
    file = io.BytesIO(content)
    file.name = name
    response = client.post("/intake/import/", {"file": file, "mapping": mapping.pk})
    assert response.status_code == 200
    return response.content.decode()


def test_r4_a_very_long_message_in_a_csv_is_imported_not_a_500(
    client: Client, personas: Personas, im: ImportMapping
) -> None:
    """R-4: a text over the csv module's 128 KiB field limit was a 500 and lost the whole file."""
    client.force_login(personas.curator)
    long_text = "Прошу разобраться с освещением. " * 6000  # ~190 000 characters
    content = csv_bytes(
        [IM_HEADER, im_row(long_text, "https://vk.com/wall-1_2"), im_row("Яма", "https://vk.com/wall-1_3")]
    )
    page = upload(client, content, "export.csv", im)
    assert "новых 2" in page
    assert Message.objects.get(external_id="-1_2").text_raw == long_text.strip()


def test_r4_a_csv_that_is_really_an_xlsx_or_the_reverse(
    client: Client, personas: Personas, im: ImportMapping
) -> None:
    """R-4: the format is told by the content; a renamed XLSX was a 500, a CSV named .xlsx an English error."""
    client.force_login(personas.curator)
    book = xlsx_bytes(("Лист1", [IM_HEADER, im_row("Нет воды в Луге", "https://ok.ru/group/1/topic/2")]))
    assert "новых 1" in upload(client, book, "export.csv", im)
    assert Message.objects.get().text == "Нет воды в Луге"
    page = upload(client, csv_bytes([IM_HEADER, im_row("x", "https://vk.com/wall-1_9")]), "export.xlsx", im)
    assert "Файл не импортирован, ничего не сохранено: файл назван .xlsx, но это не книга Excel" in page
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "это книга Excel старого формата (XLS)" in upload(client, old_excel, "export.xlsx", im)
    assert Message.objects.count() == 1


def test_r4_bad_rows_are_listed_to_the_curator_with_row_numbers_and_russian_reasons(
    client: Client, personas: Personas, im: ImportMapping
) -> None:
    """R-4: quarantined rows were «see the quarantine» (the admin, closed to curators) with English errors."""
    client.force_login(personas.curator)
    rows = [
        IM_HEADER,
        im_row("Не горят фонари", "https://vk.com/wall-1_2"),
        im_row("", ""),
        im_row("Яма у школы", "https://vk.com/wall-1_3", created="вчера вечером"),
    ]
    page = upload(client, csv_bytes(rows, encoding="cp1251"), "export.csv", im)
    assert "новых 1, обновлено 0, не разобрано 2" in page
    assert "Строка 3" in page and "нет ни текста (колонка «Текст инцидента»), ни ссылки" in page
    assert "Строка 4" in page and "не распознана дата «вчера вечером» в колонке «Дата создания»" in page
    errors = sorted(Quarantine.objects.values_list("error", flat=True))
    assert errors[0].startswith("Импорт файла «export.csv». Строка 3: нет ни текста")
    assert json.loads(Quarantine.objects.filter(error__contains="Строка 4").get().payload)[
        "Текст инцидента"
    ] == ("Яма у школы")


def test_r4_an_export_with_the_header_of_another_system_is_refused_whole(
    client: Client, personas: Personas, im: ImportMapping
) -> None:
    """R-4: a file without the mapping's columns put every row in the quarantine as «row without text»."""
    client.force_login(personas.curator)
    content = csv_bytes(
        [["Дата", "Сообщение", "Ссылка"], ["28.11.2026 10:00", "Яма", "https://vk.com/wall-1_2"]]
    )
    page = upload(client, content, "other.csv", im)
    assert (
        "Файл не импортирован, ничего не сохранено: в файле нет колонок «Текст инцидента» и «Урл поста»"
        in page
    )
    assert "найдены колонки: «Дата», «Сообщение», «Ссылка»" in page
    assert not Message.objects.exists() and not Quarantine.objects.exists()


def test_r4_xlsx_with_a_title_and_the_data_on_the_second_sheet(im: ImportMapping) -> None:
    """R-4: only the first sheet was read (data on «Инциденты» silently not imported: «новых 0»), and a
    title above the header made every row «without text»."""
    content = xlsx_bytes(
        ("Сводка", [["Всего инцидентов", 2]]),
        (
            "Инциденты",
            [
                ["Выгрузка инцидентов за ноябрь 2026"],
                [],
                IM_HEADER,
                im_row("Не вывозят мусор", "https://vk.com/wall-1_2"),
                im_row("", ""),
            ],
        ),
    )
    report = import_file(content, "export.xlsx", im)
    assert (report.created, report.quarantined) == (1, 1)
    assert report.notes == ["Лист «Сводка» пропущен: в нём нет колонок схемы."]
    assert report.problems[0].place == "Лист «Инциденты», строка 5"
    assert Message.objects.get().text == "Не вывозят мусор"


def test_r4_excel_serial_dates_are_dates(im: ImportMapping) -> None:
    """R-4: a date kept by Excel as its day number (a cell without a date format, or CSV saved from it) was
    quarantined as «unrecognised date»."""
    row: list[Any] = im_row("Нет света", "https://vk.com/wall-1_2")
    row[IM_HEADER.index("Дата создания")] = 46354.5  # 28.11.2026 12:00
    report = import_file(xlsx_bytes(("Лист1", [IM_HEADER, row])), "export.xlsx", im)
    assert report.created == 1
    assert Message.objects.get().published_at == datetime(2026, 11, 28, 12, 0, tzinfo=MSK)
    text_row = im_row("Нет газа", "https://vk.com/wall-1_3", created="46353,25")
    assert import_file(csv_bytes([IM_HEADER, text_row]), "export.csv", im).created == 1
    assert Message.objects.get(external_id="-1_3").published_at == datetime(2026, 11, 27, 6, 0, tzinfo=MSK)


def test_r4_a_number_id_written_as_float_is_the_same_message() -> None:
    """R-4: an id «17.0» (a number column saved by pandas or Excel) and «17» made two messages."""
    mapping = ImportMapping.objects.create(
        name="Форум", network="forum", columns={"external_id": "id", "text": "text"}
    )
    import_file(csv_bytes([["id", "text"], ["17.0", "Когда починят лифт?"]]), "a.csv", mapping)
    report = import_file(
        json.dumps([{"id": 17, "text": "Когда починят лифт? (изм.)"}]).encode(), "b.json", mapping
    )
    assert (report.created, report.updated) == (0, 1)
    assert Message.objects.get().external_id == "17"


def test_r4_links_without_scheme_and_network_names_find_the_network() -> None:
    """R-4, R-8.7: «vk.com/wall-1_2» was network «Другое» with no link; «ВКонтакте»/«Telegram» in a network
    column were «Другое» too, so the answer could not go where the message is."""
    mapping = ImportMapping.objects.create(name="Мониторинг", columns={"network": "Соцсеть"})
    rows = [
        {"url": "vk.com/wall-1_2?reply=3", "text": "Когда уберут снег?"},
        {"Соцсеть": "ВКонтакте", "text": "Нет автобуса"},
        {"Соцсеть": "Telegram", "text": "Нет воды"},
    ]
    assert import_file(json.dumps(rows).encode(), "m.json", mapping).created == 3
    linked = Message.objects.get(text="Когда уберут снег?")
    assert (linked.network, linked.external_id, linked.url) == (
        "vk",
        "-1_2_3",
        "https://vk.com/wall-1_2?reply=3",
    )
    assert Message.objects.get(text="Нет автобуса").network == "vk"
    assert Message.objects.get(text="Нет воды").network == "telegram"


def _from_vk(source: Source) -> Message:
    with transaction.atomic():
        upsert(
            [
                ParsedMessage(
                    network="vk",
                    external_id="-1_2_3",
                    url="https://vk.com/wall-1_2?reply=3",
                    author_id="55",
                    author_name="Анна Петрова",
                    author_url="https://vk.com/id55",
                    text_raw="Когда починят дорогу на Чкалова? Фото приложила",
                    attachments=[{"type": "photo", "url": "https://sun.userapi.example/1.jpg"}],
                    metrics={"likes": 3},
                    raw={"id": 3, "from_id": 55},
                )
            ],
            source=source,
        )
    return Message.objects.get()


def test_r4_an_import_does_not_spoil_a_message_received_from_the_network(im: ImportMapping) -> None:
    """R-4: an export row of a comment the VK connector had read wiped its author, photo, source and payload."""
    source = Source.objects.create(network="vk", kind="community", title="Гатчина")
    before = _from_vk(source)
    content = csv_bytes([IM_HEADER, im_row("Когда починят дорогу", "https://vk.com/wall-1_2?reply=3")])
    report = import_file(content, "export.csv", im)
    assert (report.created, report.updated, report.known) == (0, 0, 1)
    assert "уже получены из сети и оставлены как есть 1" in report.summary()
    after = Message.objects.get()
    assert (after.author_id, after.author_name, after.source_id) == ("55", "Анна Петрова", source.pk)
    assert after.attachments == before.attachments and after.raw == {"id": 3, "from_id": 55}
    assert after.text == "Когда починят дорогу на Чкалова? Фото приложила"


def test_r4_manual_entry_does_not_spoil_a_message_received_from_the_network(
    client: Client, personas: Personas
) -> None:
    """R-4: entering by hand the link of a message already read from VK replaced its data with the form's."""
    source = Source.objects.create(network="vk", kind="community", title="Гатчина")
    _from_vk(source)
    client.force_login(personas.curator)
    response = client.post(
        "/intake/messages/new/",
        {"url": "https://vk.com/wall-1_2?reply=3", "text": "дорога"},
        follow=True,
    )
    assert (
        "Это сообщение уже получено из сети «ВКонтакте»: оно оставлено как есть." in response.content.decode()
    )
    message = Message.objects.get()
    assert (message.author_id, message.source_id, message.text) == (
        "55",
        source.pk,
        "Когда починят дорогу на Чкалова? Фото приложила",
    )


def test_r4_a_repeated_import_or_entry_keeps_what_a_blank_field_does_not_say(im: ImportMapping) -> None:
    """R-4: re-importing an export with an empty date, or entering the link by hand, erased the stored
    publication time (a deadline's start)."""
    import_file(csv_bytes([IM_HEADER, im_row("Яма", "https://t.me/gatchina_chat/5")]), "a.csv", im)
    report = import_file(
        csv_bytes([IM_HEADER, im_row("Яма у дома 5", "https://t.me/gatchina_chat/5", "")]), "b.csv", im
    )
    assert report.updated == 1
    message = Message.objects.get()
    assert message.text == "Яма у дома 5"  # the edit is applied
    assert message.published_at == datetime(2024, 11, 28, 10, 15, tzinfo=MSK)
    # an export whose text cell came out empty keeps the stored text too
    import_file(csv_bytes([IM_HEADER, im_row("", "https://t.me/gatchina_chat/5")]), "c.csv", im)
    assert Message.objects.get().text == "Яма у дома 5"
    from otklik.intake.manual import enter_message

    _, outcome = enter_message(url="https://t.me/gatchina_chat/5", text="Яма у дома 5, глубокая")
    assert outcome == "updated"
    assert Message.objects.get().published_at == datetime(2024, 11, 28, 10, 15, tzinfo=MSK)


def test_r4_the_same_message_twice_in_one_file_is_one_message_and_said_so(im: ImportMapping) -> None:
    """R-4: rows 2 and 1202 with the same link gave «новых 1199, обновлено 1» on the first import of the file."""
    rows = [IM_HEADER] + [im_row(f"Сообщение {i}", f"https://vk.com/wall-1_{i}") for i in range(1200)]
    rows.append(im_row("Сообщение 0, дополнено", "https://vk.com/wall-1_0"))
    report = import_file(csv_bytes(rows), "export.csv", im)
    assert (report.rows, report.created, report.updated, report.repeated) == (1201, 1200, 0, 1)
    assert report.repeats[0].place == "Строка 1202"
    assert "строке 2" not in report.repeats[0].reason and "строка 2" in report.repeats[0].reason
    assert Message.objects.get(external_id="-1_0").text == "Сообщение 0, дополнено"


def test_r4_a_row_without_id_and_link_is_the_same_message_in_the_next_export(im: ImportMapping) -> None:
    """R-4: the id of such a row hashed the whole row, so the next export (its «Итог» column filled in) made
    a duplicate of every message."""
    first = im_row("Когда откроют ФАП в Вырице?", "")
    second = list(first)
    second[IM_HEADER.index("Итог")] = "Разъяснено"
    second[IM_HEADER.index("Исполнитель")] = "Петров"
    import_file(csv_bytes([IM_HEADER, first]), "a.csv", im)
    report = import_file(csv_bytes([IM_HEADER, second]), "b.csv", im)
    assert (report.created, report.updated) == (0, 1)
    assert Message.objects.count() == 1


def test_r4_links_of_youtube_comments_and_private_telegram_chats_find_the_connectors_message() -> None:
    """R-4: an imported link of a YouTube comment or a t.me/c/… message got an id of its own («url:…») and
    duplicated the message the connector had stored."""
    with transaction.atomic():
        upsert(
            [
                ParsedMessage(
                    network="youtube",
                    external_id="UgxAbc123",
                    url="https://www.youtube.com/watch?v=vid1&lc=UgxAbc123",
                    text_raw="Когда отремонтируют мост?",
                ),
                ParsedMessage(network="telegram", external_id="-1001234567890:55", text_raw="Нет отопления"),
            ]
        )
    mapping = ImportMapping.objects.create(name="Выгрузка", columns={})
    rows = [
        {"url": "https://youtu.be/vid1?lc=UgxAbc123", "text": "Когда отремонтируют мост?"},
        {"url": "https://t.me/c/1234567890/55", "text": "Нет отопления"},
    ]
    report = import_file(json.dumps(rows).encode(), "rows.json", mapping)
    assert (report.created, report.known) == (0, 2)
    assert Message.objects.count() == 2


def test_r4_an_official_account_in_the_author_column_is_recognised(personas: Personas) -> None:
    """R-4: «Администрация (club123)» in an export's author column stayed a name only, so the body's own
    comment went to the curator's inbox as a citizen's message."""
    OfficialAccount.objects.create(
        body=personas.health, network="vk", title="Комитет", url="https://vk.com/club123", external_id="123"
    )
    mapping = ImportMapping.objects.create(name="Мониторинг", columns={"author_name": "Автор"})
    rows = [
        {
            "url": "https://vk.com/wall-1_2?reply=7",
            "text": "Ответили в личных сообщениях",
            "Автор": "Комитет (club123)",
        },
        {"url": "https://vk.com/wall-1_2?reply=8", "text": "Спасибо", "Автор": "Иванов Иван (id456)"},
    ]
    import_file(json.dumps(rows).encode(), "rows.json", mapping)
    official = Message.objects.get(external_id="-1_2_7")
    assert (official.author_name, official.author_id, official.is_official) == ("Комитет", "-123", True)
    citizen = Message.objects.get(external_id="-1_2_8")
    assert (citizen.author_name, citizen.author_id, citizen.author_url) == (
        "Иванов Иван",
        "456",
        "https://vk.com/id456",
    )
    assert not citizen.is_official


def test_r4_excel_unicode_text_tab_separated_utf16(im: ImportMapping) -> None:
    """R-4: Excel's «Текст Юникод» (UTF-16, tabs) was read as cp1251 garbage."""
    text = (
        "\t".join(IM_HEADER) + "\r\n" + "\t".join(im_row("Не убран снег", "https://vk.com/wall-1_2")) + "\r\n"
    )
    report = import_file(text.encode("utf-16"), "export.txt", im)
    assert report.created == 1 and Message.objects.get().text == "Не убран снег"


def test_r4_a_file_over_the_row_limit_is_refused_not_cut(
    monkeypatch: pytest.MonkeyPatch, im: ImportMapping
) -> None:
    """R-4: rows after the limit were silently dropped."""
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    rows = [IM_HEADER] + [im_row(f"Сообщение {i}", f"https://vk.com/wall-1_{i}") for i in range(3)]
    with pytest.raises(ParseError, match="разделите его на части"):
        import_file(csv_bytes(rows), "export.csv", im)
    assert not Message.objects.exists()


def test_r4_an_xlsx_that_unpacks_too_big_is_refused(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch, im: ImportMapping
) -> None:
    """R-4: an XLSX is a ZIP; what it unpacks to was read into memory whatever its size (a ZIP bomb)."""
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 2000)
    client.force_login(personas.curator)
    book = xlsx_bytes(("Лист1", [IM_HEADER, im_row("Текст", "https://vk.com/wall-1_2")]))
    page = upload(client, book, "export.xlsx", im)
    assert "книга Excel в распакованном виде больше" in page
    assert not Message.objects.exists()


def test_r4_deeply_nested_json_is_a_clear_error_not_a_500(
    client: Client, personas: Personas, im: ImportMapping
) -> None:
    """R-4: «[[[[…]]]]» nested 100 000 deep made the JSON parser overflow its stack: a 500."""
    client.force_login(personas.curator)
    page = upload(client, b"[" * 100_000 + b"]" * 100_000, "export.json", im)
    assert "в нём слишком глубоко вложенные списки или объекты" in page
