"""File imports with a saved column mapping, and manual entry by link (R-4)."""

from __future__ import annotations

import io
import json
import re
from datetime import datetime

import pytest
from django.test import Client
from openpyxl import Workbook

from otklik.intake.imports import ensure_default_mappings, import_file
from otklik.intake.models import ImportMapping, Message, Quarantine
from otklik.org.models import Person
from tests.conftest import MSK, Personas

pytestmark = pytest.mark.django_db

IM_HEADER = [
    "Отдел", "Исполнитель", "Группа тем", "Тема", "Регион", "Муниципалитет", "Населенный пункт", "Улица", "Дом",
    "Тип инцидента", "Итог", "Текст инцидента", "1ый ответ ПИ", "Дата создания", "Урл поста", "Аудитория",
]  # fmt: skip


def im_row(text: str, url: str, created: str = "28.11.2024 10:15") -> list[str]:
    return ["Дороги", "Иванов", "ЖКХ", "Освещение", "Ленинградская область", "Гатчинский", "Гатчина", "Чкалова", "5",
            "Решаемый", "Решено", text, "", created, url, "1520"]  # fmt: skip


@pytest.fixture
def im_mapping() -> ImportMapping:
    ensure_default_mappings()
    return ImportMapping.objects.get(name="Инцидент Менеджмент")


def test_incident_management_csv_in_cp1251_with_semicolons(im_mapping: ImportMapping) -> None:
    lines = [";".join(IM_HEADER)]
    lines.append(";".join(im_row("Не горят фонари на Чкалова", "https://vk.com/wall-123_45?reply=678")))
    lines.append(
        ";".join(im_row("Яма у школы", "https://t.me/gatchina_chat/991", created="27.11.2024 09:00"))
    )
    lines.append(";".join(im_row("", "")))  # an empty row: quarantined, the rest imported
    content = "\n".join(lines).encode("cp1251")
    report = import_file(content, "export.csv", im_mapping)
    assert (report.created, report.quarantined) == (2, 1)
    vk = Message.objects.get(network="vk")
    assert vk.external_id == "-123_45_678"  # the id the VK connector would give it
    assert vk.published_at == datetime(2024, 11, 28, 10, 15, tzinfo=MSK)
    assert vk.metrics == {"reach": "1520"} and vk.raw["row"]["Исполнитель"] == "Иванов"
    assert Message.objects.get(network="telegram").text == "Яма у школы"
    # The same export imported again changes nothing.
    assert import_file(content, "export.csv", im_mapping).created == 0
    assert Message.objects.count() == 2


def test_xlsx_import_with_date_cells(im_mapping: ImportMapping) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(IM_HEADER)
    row: list[object] = list(im_row("Нет воды в Луге", "https://ok.ru/group/1/topic/2"))
    row[IM_HEADER.index("Дата создания")] = datetime(2024, 11, 28, 12, 30)
    sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_file(buffer.getvalue(), "export.xlsx", im_mapping)
    assert report.created == 1
    message = Message.objects.get()
    assert message.network == "ok"
    assert message.published_at == datetime(2024, 11, 28, 12, 30, tzinfo=MSK)


def test_json_import_with_a_custom_mapping_and_bad_rows() -> None:
    mapping = ImportMapping.objects.create(
        name="Форум Гатчины",
        network="forum",
        columns={"external_id": "post_id", "text": "body", "author_name": "nick", "published_at": "ts"},
    )
    rows = [
        {
            "post_id": "f-1",
            "body": "<b>Когда</b> починят лифт?",
            "nick": "sosed",
            "ts": "2024-11-28T10:00:00+03:00",
        },
        "not an object",
        {"post_id": "f-2", "body": "дата не та", "ts": "вчера"},
        {"post_id": "f-3", "body": "и ещё", "nick": "x"},
    ]
    report = import_file(json.dumps(rows).encode(), "forum.json", mapping)
    assert (report.created, report.quarantined) == (2, 2)
    assert Message.objects.get(external_id="f-1").text == "Когда починят лифт?"
    assert Quarantine.objects.filter(error__contains="вчера").exists()


def login(client: Client, username: str) -> None:
    client.force_login(Person.objects.get(username=username))


def test_curator_enters_a_message_by_link(client: Client, personas: Personas) -> None:
    login(client, "curator")
    response = client.post(
        "/intake/messages/new/",
        {
            "url": "https://vk.com/wall-200000001_101?reply=1001",
            "text": "Когда начнёт работать ФАП?",
            "author_name": "Ирина",
        },
    )
    assert response.status_code == 302
    message = Message.objects.get()
    assert (message.network, message.external_id) == ("vk", "-200000001_101_1001")
    page = client.get("/intake/messages/")
    assert "Когда начнёт работать ФАП?" in page.content.decode()


def test_message_list_pages_newest_first_without_counting_the_archive(
    client: Client, personas: Personas
) -> None:
    Message.objects.bulk_create(
        Message(network="vk", external_id=f"-1_1_{i}", text=f"сообщение номер {i:02d}") for i in range(51)
    )
    login(client, "curator")
    first = client.get("/intake/messages/").content.decode()
    assert first.count("<tr data-message=") == 50 and "вперёд" in first and "назад" not in first
    second = client.get("/intake/messages/?page=2").content.decode()
    assert second.count("<tr data-message=") == 1 and "назад" in second and "вперёд" not in second
    shown = {int(n) for n in re.findall(r"сообщение номер (\d+)", first + second)}
    assert shown == set(range(51))


def test_executor_cannot_enter_or_list_messages(client: Client, personas: Personas) -> None:
    login(client, "alice")
    assert client.get("/intake/messages/new/").status_code == 403
    assert client.get("/intake/messages/").status_code == 403
    assert client.get("/intake/import/").status_code == 403


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/intake/messages/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_import_page_uploads_a_file(client: Client, personas: Personas) -> None:
    ensure_default_mappings()
    login(client, "admin")
    content = (
        "\ufeff" + ",".join(IM_HEADER) + "\n" + ",".join(im_row("Текст", "https://vk.com/wall-1_2"))
    ).encode()
    upload = io.BytesIO(content)
    upload.name = "export.csv"
    mapping = ImportMapping.objects.get(name="Инцидент Менеджмент")
    response = client.post("/intake/import/", {"file": upload, "mapping": mapping.pk}, follow=True)
    assert "новых 1" in response.content.decode()
    assert Message.objects.get().external_id == "-1_2"


def test_a_row_whose_link_is_in_another_network_is_taken_as_that_network(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """R-8.7: the answer goes where the message is; a link of a known network wins over a mistyped column."""
    mapping = ImportMapping.objects.create(name="Выгрузка", network="vk", columns={})
    rows = [
        {"network": "vk", "url": "https://t.me/lenobl_chat/5", "text": "Когда уберут снег?"},
        {"network": "forum", "url": "https://forum.example/t/9", "text": "И у нас не убрали"},
    ]
    report = import_file(json.dumps(rows).encode(), "rows.json", mapping)
    assert report.created == 2
    assert Message.objects.get(url="https://t.me/lenobl_chat/5").network == "telegram"
    assert Message.objects.get(url="https://forum.example/t/9").network == "forum"
    assert "its link https://t.me/lenobl_chat/5 is telegram" in caplog.text
