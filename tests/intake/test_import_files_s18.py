"""R-4: exports of monitoring systems imported as the curator has them (intake.imports).

- Times written as Unix seconds (9–10 digits) or milliseconds (12–13), as JSON exports of monitoring APIs have
  them, are read in JSON, CSV and XLSX files (a schema's own «формат даты» is tried first).
- A JSON export written as JSON Lines (one object a line), named .json or .jsonl, is imported row by row; a line
  that does not read goes to the quarantine, the others are stored.
- A UTF-8 export with one broken byte (a text cut by the exporting system in the middle of a letter) is read as
  UTF-8: its columns are found, the other texts are stored as written, the broken byte is shown as «�» and the import
  names the rows to check against the source system. A file in cp1251 is still read as cp1251.

Found by a review (session 18): every row with a Unix time went to the quarantine «не распознана дата»; one broken
byte made the whole file be read as cp1251 — the «Инцидент Менеджмент» export was refused with its column names
shown as «РўРµРєСЃС‚ …», another schema's texts were stored as such mojibake; JSON Lines was refused as a broken
file («ошибка в строке 2») and .jsonl not taken at all.
"""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from otklik.intake.imports import ensure_default_mappings, import_file
from otklik.intake.models import ImportMapping, Message
from otklik.integrations.base import ParseError
from tests.conftest import MSK, Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def im_mapping() -> ImportMapping:
    ensure_default_mappings()
    return ImportMapping.objects.get(name="Инцидент Менеджмент")


@pytest.fixture
def api_mapping() -> ImportMapping:
    """Another monitoring system's export, its column names in Latin letters (a schema made in the admin)."""
    return ImportMapping.objects.create(
        name="Мониторинг (JSON)",
        columns={"text": "text", "url": "url", "published_at": "date", "author_name": "author"},
    )


def cut_in_a_letter(text: str) -> bytes:
    """UTF-8 of ``text`` without the last byte of its last (two-byte, Cyrillic) letter."""
    return text.encode("utf-8")[:-1]


def test_utf8_export_with_one_broken_letter_is_imported_with_its_columns(im_mapping: ImportMapping) -> None:
    content = (
        "Текст инцидента;Урл поста;Дата создания\n".encode()
        + "Не горят фонари на Чкалова;https://vk.com/wall-123_45?reply=678;28.11.2024 10:15\n".encode()
        + cut_in_a_letter("Яма у шко")
        + b";https://vk.com/wall-123_45?reply=679;28.11.2024 10:20\n"
    )
    report = import_file(content, "export.csv", im_mapping)
    assert report.created == 2
    assert Message.objects.get(external_id="-123_45_678").text == "Не горят фонари на Чкалова"


def test_utf8_export_with_one_broken_letter_keeps_the_other_texts_readable(
    api_mapping: ImportMapping,
) -> None:
    content = (
        b"text;url;date\n"
        + "Не горят фонари на Чкалова;https://gatchina-forum.example/t/1;28.11.2024 10:15\n".encode()
        + cut_in_a_letter("Яма у шко")
        + b";https://gatchina-forum.example/t/2;28.11.2024 10:20\n"
    )
    report = import_file(content, "export.csv", api_mapping)
    assert report.created == 2
    texts = set(Message.objects.values_list("text", flat=True))
    assert "Не горят фонари на Чкалова" in texts, texts


def test_the_import_names_the_row_whose_text_has_a_broken_letter(api_mapping: ImportMapping) -> None:
    content = (
        b"text;url;date\n"
        + "Не горят фонари на Чкалова;https://gatchina-forum.example/t/1;28.11.2024 10:15\n".encode()
        + cut_in_a_letter("Яма у шко")
        + b";https://gatchina-forum.example/t/2;28.11.2024 10:20\n"
    )
    report = import_file(content, "export.csv", api_mapping)
    assert any("повреждены байты (1)" in note and "строка 3" in note for note in report.notes), report.notes
    assert Message.objects.get(url="https://gatchina-forum.example/t/2").text == "Яма у шк\ufffd"


def test_a_cp1251_export_is_still_read_as_cp1251(api_mapping: ImportMapping) -> None:
    content = (
        "text;url;date\nНе горят фонари на Чкалова;https://gatchina-forum.example/t/1;28.11.2024 10:15\n"
    )
    report = import_file(content.encode("cp1251"), "export.csv", api_mapping)
    assert report.created == 1 and not report.notes
    assert Message.objects.get().text == "Не горят фонари на Чкалова"


def test_a_json_export_with_one_broken_letter_is_imported(api_mapping: ImportMapping) -> None:
    content = (
        '[{"text": "Не горят фонари на Чкалова", "url": "https://gatchina-forum.example/t/1"},\n'
        ' {"text": "Яма у шк'.encode()
        + cut_in_a_letter("о")
        + b'", "url": "https://gatchina-forum.example/t/2"}]'
    )
    report = import_file(content, "export.json", api_mapping)
    assert report.created == 2
    assert any("элемент 2" in note for note in report.notes), report.notes


@pytest.mark.parametrize("stamp", [1732778100, 1732778100000], ids=["seconds", "milliseconds"])
def test_json_export_with_unix_times_is_imported_with_its_dates(
    api_mapping: ImportMapping, stamp: int
) -> None:
    """1732778100 s = 28.11.2024 10:15 Moscow time."""
    items = [
        {"text": "Не горят фонари на Чкалова", "url": "https://gatchina-forum.example/t/1", "date": stamp},
        {
            "text": "Яма у школы",
            "url": "https://gatchina-forum.example/t/2",
            "date": stamp + 300 * (1000 if stamp > 10**11 else 1),
        },
    ]
    report = import_file(json.dumps(items, ensure_ascii=False).encode(), "export.json", api_mapping)
    assert report.quarantined == 0, [p.reason for p in report.problems]
    assert report.created == 2
    first = Message.objects.get(text="Не горят фонари на Чкалова")
    assert first.published_at == datetime(2024, 11, 28, 10, 15, tzinfo=MSK)


def test_csv_and_xlsx_exports_with_unix_times_are_imported_with_their_dates(
    api_mapping: ImportMapping,
) -> None:
    csv_content = "text;url;date\nНе горят фонари на Чкалова;https://gatchina-forum.example/t/1;1732778100\n"
    assert import_file(csv_content.encode(), "export.csv", api_mapping).created == 1
    book = Workbook()
    sheet = book.active
    sheet.append(["text", "url", "date"])
    sheet.append(["Яма у школы", "https://gatchina-forum.example/t/2", 1732778400000])
    buffer = io.BytesIO()
    book.save(buffer)
    assert import_file(buffer.getvalue(), "export.xlsx", api_mapping).created == 1
    dates = dict(Message.objects.values_list("text", "published_at"))
    assert dates == {
        "Не горят фонари на Чкалова": datetime(2024, 11, 28, 10, 15, tzinfo=MSK),
        "Яма у школы": datetime(2024, 11, 28, 10, 20, tzinfo=MSK),
    }


def test_a_number_of_other_length_is_not_taken_for_a_unix_time(api_mapping: ImportMapping) -> None:
    content = "text;url;date\nНе горят фонари на Чкалова;https://gatchina-forum.example/t/1;17327781000\n"
    report = import_file(content.encode(), "export.csv", api_mapping)
    assert report.quarantined == 1
    assert "время Unix" in report.problems[0].reason


def test_json_lines_export_is_imported_row_by_row(api_mapping: ImportMapping) -> None:
    lines = [
        {
            "text": "Не горят фонари на Чкалова",
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
    report = import_file(content, "export.json", api_mapping)
    assert report.created == 2
    assert Message.objects.count() == 2


def test_a_jsonl_file_is_taken_by_the_import_page_and_a_broken_line_is_quarantined(
    client: Client, personas: Personas, api_mapping: ImportMapping
) -> None:
    content = (
        json.dumps(
            {"text": "Не горят фонари на Чкалова", "url": "https://gatchina-forum.example/t/1"},
            ensure_ascii=False,
        )
        + '\n{"text": "Яма у шко\n'
        + json.dumps(
            {"text": "Третий день нет воды", "url": "https://gatchina-forum.example/t/3"}, ensure_ascii=False
        )
        + "\n"
    ).encode()
    client.force_login(personas.curator)
    upload = SimpleUploadedFile("export.jsonl", content, content_type="application/x-ndjson")
    response = client.post("/intake/import/", {"file": upload, "mapping": api_mapping.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "новых 2" in page and "не разобрано 1" in page, page
    assert "Строка 2" in page
    assert Message.objects.count() == 2


def test_a_broken_json_document_is_still_refused_with_its_line(api_mapping: ImportMapping) -> None:
    content = (
        '[\n{"text": "Не горят фонари", "url": "https://gatchina-forum.example/t/1"},\n{"text": \n'.encode()
    )
    with pytest.raises(ParseError, match="ошибка в строке"):
        import_file(content, "export.json", api_mapping)
