"""Imports of real office spreadsheets (R-4): the «Инцидент Менеджмент» export as a curator in a government
office has it after Excel — merged cells, a two-row header, a title, a totals row, hidden columns, an autofilter,
links as hyperlink cells, dates as text and as Excel dates, very long texts, CSV saved by a Russian Excel.

Every file is built by openpyxl or csv here. What the curator checks: every incident row is one message with its
text, link, time and the curators' columns (place, topic …) kept with it; nothing that is not an incident
becomes a message or a quarantined «bad row».
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from otklik.intake.imports import ensure_default_mappings, import_file
from otklik.intake.models import ImportMapping, Message, Quarantine
from tests.conftest import MSK, Personas

pytestmark = pytest.mark.django_db

# The 47 columns of a real export (shared/data/README.md names the main ones; the rest are its other columns).
IM_COLUMNS = [
    "Отдел", "Исполнитель", "Группа тем", "Тема", "Регион", "Муниципалитет", "Населенный пункт", "Улица", "Дом",
    "Тип инцидента", "Итог", "Текст инцидента", "1ый ответ ПИ", "2ой ответ ПИ", "3ий ответ ПИ",
    "Общий текст первого ответа", "Дата создания", "Общее время первого ответа",
    "Время с даты создания инцидента до времени первого ответа",
    "Время с даты создания инцидента до времени первого ответа (рабочее время)", "Урл поста", "Аудитория",
    "Причина закрытия", "Номер инцидента", "Статус", "Источник", "Соцсеть", "Автор", "Ссылка на автора",
    "Пол автора", "Возраст автора", "Тональность", "Категория", "Подкатегория", "Ответственный",
    "Дата первого ответа", "Дата закрытия", "Дата последнего изменения", "Комментарий куратора",
    "Количество лайков", "Количество комментариев", "Количество репостов", "Просмотры", "Тип публикации",
    "Приоритет", "Метки", "Координаты",
]  # fmt: skip
assert len(IM_COLUMNS) == 47
COL = {name: i for i, name in enumerate(IM_COLUMNS)}


def incident(text: str, url: str, created: Any = "28.11.2026 10:15", **cells: Any) -> list[Any]:
    row: list[Any] = [None] * len(IM_COLUMNS)
    row[COL["Отдел"]], row[COL["Исполнитель"]] = "Дороги", "Иванов И. И."
    row[COL["Тема"]], row[COL["Муниципалитет"]] = "Освещение", "Гатчинский"
    row[COL["Текст инцидента"]], row[COL["Урл поста"]], row[COL["Дата создания"]] = text, url, created
    row[COL["Аудитория"]] = 1520
    for name, value in cells.items():
        row[COL[name.replace("_", " ")]] = value
    return row


@pytest.fixture
def im() -> ImportMapping:
    ensure_default_mappings()
    return ImportMapping.objects.get(name="Инцидент Менеджмент")


def book_bytes(fill: Any) -> bytes:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Инциденты"
    fill(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cell(sheet: Worksheet, row: int, name: str) -> Any:
    return sheet.cell(row=row, column=COL[name] + 1)


def by_text(text: str) -> Message:
    return Message.objects.get(text_raw=text)


def test_r4_merged_municipality_and_topic_belong_to_every_row_of_the_block(im: ImportMapping) -> None:
    """R-4: a curator merged «Муниципалитет» and «Тема» over the rows of one place; openpyxl gives the value to
    the first row only, so the other rows lost their place and topic (kept empty in the stored row)."""

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(incident("Не горят фонари", "https://vk.com/wall-1_1"))
        sheet.append(incident("Яма на дороге", "https://vk.com/wall-1_2", Муниципалитет=None, Тема=None))
        sheet.append(incident("Нет воды", "https://vk.com/wall-1_3", Муниципалитет="Лужский", Тема="Вода"))
        sheet.append(incident("Снова нет воды", "https://vk.com/wall-1_4", Муниципалитет=None, Тема=None))
        sheet.append(incident("И опять нет воды", "https://vk.com/wall-1_5", Муниципалитет=None, Тема=None))
        for column in ("Муниципалитет", "Тема"):
            letter = cell(sheet, 1, column).column_letter
            sheet.merge_cells(f"{letter}2:{letter}3")
            sheet.merge_cells(f"{letter}4:{letter}6")

    report = import_file(book_bytes(fill), "export.xlsx", im)
    assert (report.created, report.quarantined) == (5, 0)
    places = {
        m.text_raw: (m.raw["row"]["Муниципалитет"], m.raw["row"]["Тема"]) for m in Message.objects.all()
    }
    assert places == {
        "Не горят фонари": ("Гатчинский", "Освещение"),
        "Яма на дороге": ("Гатчинский", "Освещение"),
        "Нет воды": ("Лужский", "Вода"),
        "Снова нет воды": ("Лужский", "Вода"),
        "И опять нет воды": ("Лужский", "Вода"),
    }


def test_r4_a_date_merged_over_the_incidents_of_one_day_dates_each_of_them(im: ImportMapping) -> None:
    """R-4: «Дата создания» merged over two rows left the second incident without a publication time."""

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(
            incident("Не горят фонари", "https://vk.com/wall-1_1", created=datetime(2026, 11, 28, 9, 5))
        )
        sheet.append(incident("Яма на дороге", "https://vk.com/wall-1_2", created=None))
        letter = cell(sheet, 1, "Дата создания").column_letter
        sheet.merge_cells(f"{letter}2:{letter}3")

    import_file(book_bytes(fill), "export.xlsx", im)
    assert by_text("Яма на дороге").published_at == datetime(2026, 11, 28, 9, 5, tzinfo=MSK)


def test_r4_a_two_row_header_with_merged_cells_and_a_merged_title(im: ImportMapping) -> None:
    """R-4: a title merged over the columns, then a header of two rows: «Дата создания», «Текст инцидента» and
    the others merged down over both rows, «Ответы ПИ» merged across its three columns with «1ый», «2ой», «3ий»
    under it. The second header row was read as an incident («no text, no link» in the quarantine)."""
    columns = [c for c in IM_COLUMNS if c not in ("1ый ответ ПИ", "2ой ответ ПИ", "3ий ответ ПИ")]
    answers_at = IM_COLUMNS.index("1ый ответ ПИ")
    columns[answers_at:answers_at] = ["Ответы ПИ", None, None]
    sub = [None] * len(IM_COLUMNS)
    sub[answers_at : answers_at + 3] = ["1ый", "2ой", "3ий"]

    def fill(sheet: Worksheet) -> None:
        sheet.append(["Выгрузка инцидентов за ноябрь 2026 года"])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(IM_COLUMNS))
        sheet.append(columns)
        sheet.append(sub)
        for number in range(1, len(IM_COLUMNS) + 1):
            if not answers_at < number <= answers_at + 3:
                sheet.merge_cells(start_row=2, start_column=number, end_row=3, end_column=number)
        sheet.merge_cells(start_row=2, start_column=answers_at + 1, end_row=2, end_column=answers_at + 3)
        row = incident("Не горят фонари", "https://vk.com/wall-1_1", created="28.11.2026 10:15")
        row[answers_at + 1] = "Проверим до пятницы"
        sheet.append(row)

    report = import_file(book_bytes(fill), "export.xlsx", im)
    assert (report.rows, report.created, report.quarantined) == (1, 1, 0)
    message = Message.objects.get()
    assert message.text_raw == "Не горят фонари"
    assert message.published_at == datetime(2026, 11, 28, 10, 15, tzinfo=MSK)
    assert message.raw["row"]["Ответы ПИ / 2ой"] == "Проверим до пятницы"
    assert message.raw["row"]["Муниципалитет"] == "Гатчинский"
    assert message.raw["place"] == "строка 4"
    assert not Quarantine.objects.exists()


def test_r4_links_as_hyperlink_cells_are_the_messages_links(im: ImportMapping) -> None:
    """R-4: «Урл поста» shows «Открыть» and the address is the cell's hyperlink; the shown text was taken as the
    link, so every row had the same «link», and all the incidents were stored as one message."""

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(incident("Не горят фонари", "Открыть"))
        sheet.append(incident("Яма на дороге", "Открыть"))
        sheet.append(incident("Нет воды", "https://ok.ru/group/5/topic/6"))
        cell(sheet, 2, "Урл поста").hyperlink = "https://vk.com/wall-1_1"
        cell(sheet, 3, "Урл поста").hyperlink = "https://t.me/gatchina_chat/991"

    report = import_file(book_bytes(fill), "export.xlsx", im)
    assert (report.created, report.repeated, report.quarantined) == (3, 0, 0)
    assert (by_text("Не горят фонари").network, by_text("Не горят фонари").url) == (
        "vk",
        "https://vk.com/wall-1_1",
    )
    assert by_text("Не горят фонари").external_id == "-1_1"
    assert by_text("Яма на дороге").url == "https://t.me/gatchina_chat/991"
    assert by_text("Нет воды").network == "ok"


def test_r4_links_as_hyperlink_formulas_are_the_messages_links(im: ImportMapping) -> None:
    """R-4: «=ГИПЕРССЫЛКА(…)» (HYPERLINK) in «Урл поста»: the link is the formula's first argument."""

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(incident("Не горят фонари", '=HYPERLINK("https://vk.com/wall-1_1","Открыть")'))
        sheet.append(incident("Яма на дороге", '=HYPERLINK("https://vk.com/wall-1_2", "Открыть")'))

    report = import_file(book_bytes(fill), "export.xlsx", im)
    assert (report.created, report.quarantined) == (2, 0)
    assert by_text("Яма на дороге").external_id == "-1_2"


def test_r4_rows_without_a_link_are_not_one_message(im: ImportMapping) -> None:
    """R-4: incidents with «-» or «нет» for the link (a call, a letter) were all taken for one message with the
    link «-»: the file's rows were reported as repeats and only the last was stored."""

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(incident("Не горят фонари", "-"))
        sheet.append(incident("Яма на дороге", "-"))
        sheet.append(incident("Нет воды", "нет"))

    report = import_file(book_bytes(fill), "export.xlsx", im)
    assert (report.created, report.repeated, report.quarantined) == (3, 0, 0)
    assert Message.objects.filter(url="").count() == 3


def test_r4_the_totals_row_is_not_an_incident(im: ImportMapping) -> None:
    """R-4: the totals row at the bottom («Итого», a count) was put in the quarantine as a bad incident."""

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(incident("Не горят фонари", "https://vk.com/wall-1_1"))
        sheet.append(incident("Яма на дороге", "https://vk.com/wall-1_2"))
        sheet.append(["Итого:", None, None, None, None, None, None, None, None, None, None, 2])
        sheet.merge_cells("A4:K4")

    report = import_file(book_bytes(fill), "export.xlsx", im)
    assert (report.rows, report.created, report.quarantined) == (2, 2, 0)
    assert not Quarantine.objects.exists()


def test_r4_an_autofilter_hidden_columns_and_a_row_of_column_numbers(im: ImportMapping) -> None:
    """R-4: a header with an autofilter, the technical columns hidden, and under the header the row of column
    numbers «1, 2, 3 …» of an office form: the numbers row was taken as a message."""

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(list(range(1, len(IM_COLUMNS) + 1)))
        sheet.append(incident("Не горят фонари", "https://vk.com/wall-1_1", Номер_инцидента=1001))
        sheet.append(incident("Яма на дороге", "https://vk.com/wall-1_2", Номер_инцидента=1002))
        sheet.auto_filter.ref = f"A1:{cell(sheet, 1, 'Координаты').column_letter}4"
        for name in ("Отдел", "Исполнитель", "Номер инцидента"):
            sheet.column_dimensions[cell(sheet, 1, name).column_letter].hidden = True
        sheet.row_dimensions[4].hidden = True  # filtered out

    report = import_file(book_bytes(fill), "export.xlsx", im)
    assert (report.created, report.quarantined) == (2, 0)
    assert Message.objects.count() == 2
    assert by_text("Яма на дороге").raw["row"]["Номер инцидента"] == 1002


def test_r4_excel_dates_and_text_dates_are_moscow_time(im: ImportMapping) -> None:
    """R-4: «Дата создания» as an Excel date cell (no zone: Moscow time, as the import page says), as text
    «дд.мм.гггг чч:мм», and with seconds."""

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(incident("Один", "https://vk.com/wall-1_1", created=datetime(2026, 11, 27, 23, 30)))
        sheet.append(incident("Два", "https://vk.com/wall-1_2", created="28.11.2026 0:05"))
        sheet.append(incident("Три", "https://vk.com/wall-1_3", created="28.11.2026 08:05:59"))
        cell(sheet, 2, "Дата создания").number_format = "DD.MM.YYYY HH:MM"

    report = import_file(book_bytes(fill), "export.xlsx", im)
    assert report.created == 3
    assert by_text("Один").published_at == datetime(2026, 11, 27, 23, 30, tzinfo=MSK)
    assert by_text("Два").published_at == datetime(2026, 11, 28, 0, 5, tzinfo=MSK)
    assert by_text("Три").published_at == datetime(2026, 11, 28, 8, 5, 59, tzinfo=MSK)


def test_r4_a_very_long_text_in_an_xlsx_cell_is_kept_whole(im: ImportMapping) -> None:
    """R-4: Excel's longest cell (32 767 characters), with line breaks."""
    text = ("Жалоба на управляющую компанию.\n" + "Подробности. " * 3000)[:32_767]

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(incident(text, "https://vk.com/wall-1_1"))

    assert import_file(book_bytes(fill), "export.xlsx", im).created == 1
    assert Message.objects.get().text_raw == text


def csv_cp1251(rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("cp1251")


def test_r4_a_csv_saved_by_a_russian_excel(im: ImportMapping) -> None:
    """R-4: «CSV (разделители — точки с запятой)» from Excel on Russian Windows: cp1251, «;», CRLF, a title line,
    quoted text with «;», quotes and line breaks, the audience with a space between thousands, «Итого» at the end."""
    rows: list[list[Any]] = [["Выгрузка инцидентов"], IM_COLUMNS]
    rows.append(
        incident('Фонари; "опять" не горят\r\nуже неделю', "https://vk.com/wall-1_1", Аудитория="1 520")
    )
    rows.append(incident("Яма № 5 на ул. Чкалова", "-", created="28.11.2026 9:05"))
    rows.append(["Итого", "", "", 2])
    report = import_file(csv_cp1251(rows), "Выгрузка.csv", im)
    assert (report.created, report.quarantined) == (2, 0)
    assert Message.objects.get(network="vk").text_raw == 'Фонари; "опять" не горят\r\nуже неделю'
    assert by_text("Яма № 5 на ул. Чкалова").published_at == datetime(2026, 11, 28, 9, 5, tzinfo=MSK)


def with_dimension(content: bytes, ref: str) -> bytes:
    """The book as some exporters write it: a wrong size of the sheet in its <dimension> element."""
    source, result = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            target.writestr(item, data)
    return result.getvalue()


def test_r4_a_book_whose_sheet_size_is_written_wrong_is_read_whole(im: ImportMapping) -> None:
    """R-4: a book from a web system that writes the sheet's size as «A1»: only the first column was read and
    the file was refused («в файле нет колонок …»)."""

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(incident("Не горят фонари", "https://vk.com/wall-1_1"))
        sheet.append(incident("Яма на дороге", "https://vk.com/wall-1_2"))

    report = import_file(with_dimension(book_bytes(fill), "A1"), "export.xlsx", im)
    assert (report.created, report.quarantined) == (2, 0)
    assert by_text("Яма на дороге").raw["row"]["Координаты"] is None


def test_r4_a_column_named_twice_does_not_hide_the_first(im: ImportMapping) -> None:
    """R-4: a second, empty «Текст инцидента» column (a copy the curator left at the end of the sheet) replaced
    the first one: every row went to the quarantine «without text»."""

    def fill(sheet: Worksheet) -> None:
        sheet.append([*IM_COLUMNS, "Текст инцидента"])
        sheet.append(incident("Не горят фонари", ""))
        sheet.append([*incident("Яма на дороге", ""), "Яма на дороге (копия)"])

    report = import_file(book_bytes(fill), "export.xlsx", im)
    assert (report.created, report.quarantined) == (2, 0)
    assert by_text("Яма на дороге").raw["row"]["Текст инцидента (2)"] == "Яма на дороге (копия)"


def test_r4_the_import_page_says_what_was_left_out(
    client: Client, personas: Personas, im: ImportMapping
) -> None:
    """R-4: the curator sees that the totals row was not imported, and no row in the quarantine."""
    client.force_login(personas.curator)

    def fill(sheet: Worksheet) -> None:
        sheet.append(IM_COLUMNS)
        sheet.append(incident("Не горят фонари", "Открыть"))
        cell(sheet, 2, "Урл поста").hyperlink = "https://vk.com/wall-1_1"
        sheet.append(["Итого", None, None, None, None, None, None, None, None, None, None, 1])

    file = io.BytesIO(book_bytes(fill))
    file.name = "Выгрузка.xlsx"
    page = client.post("/intake/import/", {"file": file, "mapping": im.pk}).content.decode()
    assert "новых 1" in page and "не разобрано 0" in page
    assert "Строка 3 («Итого») — строка итогов, она не импортирована." in page
    assert Message.objects.get().url == "https://vk.com/wall-1_1"


def test_r4_a_second_header_row_under_cells_merged_across_is_the_header(im: ImportMapping) -> None:
    """R-4: «Ответы ПИ» merged across three columns and «1ый», «2ой», «3ий» under it, the other header cells not
    merged down: the second header row went to the quarantine as an incident «without text or link»."""
    answers_at = IM_COLUMNS.index("1ый ответ ПИ")
    columns = list(IM_COLUMNS)
    columns[answers_at : answers_at + 3] = ["Ответы ПИ", None, None]
    sub: list[Any] = [None] * len(IM_COLUMNS)
    sub[answers_at : answers_at + 3] = ["1ый", "2ой", "3ий"]

    def fill(sheet: Worksheet) -> None:
        sheet.append(columns)
        sheet.append(sub)
        sheet.merge_cells(start_row=1, start_column=answers_at + 1, end_row=1, end_column=answers_at + 3)
        row = incident("Не горят фонари", "https://vk.com/wall-1_1")
        row[answers_at] = "Передано в администрацию"
        sheet.append(row)

    report = import_file(book_bytes(fill), "export.xlsx", im)
    assert (report.rows, report.created, report.quarantined) == (1, 1, 0)
    assert Message.objects.get().raw["row"]["Ответы ПИ / 1ый"] == "Передано в администрацию"


def test_r4_an_old_excel_book_is_refused_with_what_to_do(
    client: Client, personas: Personas, im: ImportMapping
) -> None:
    """R-4: a «.xls» book (what many offices still save) was refused with the list of formats only; the page
    must say how to make the file importable."""
    client.force_login(personas.curator)
    file = io.BytesIO(book_bytes(lambda sheet: sheet.append(IM_COLUMNS)))  # the form goes by the name
    file.name = "Выгрузка за ноябрь.xls"
    page = client.post("/intake/import/", {"file": file, "mapping": im.pk}).content.decode()
    assert "старого формата (XLS)" in page and "сохраните как XLSX или CSV" in page
    assert not Message.objects.exists()
