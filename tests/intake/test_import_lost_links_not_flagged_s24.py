"""Found by a review (session 24), fixed since. R-4 («a message that cannot be parsed is kept and flagged, never dropped»): an export whose «Урл поста» cells
hold the text of a hyperlink («Открыть») instead of the address is stored without links and the curator is not
told.

Scenario: the «Инцидент Менеджмент» export shows each post's link as a hyperlink «Открыть». The curator opens it in
a Russian Excel and saves it as «CSV (разделители — точка с запятой)» (Windows-1251) — the addresses behind the
hyperlinks are not saved, «Урл поста» reads «Открыть» in every row — and uploads it.

Now: the page says «Импорт: строк с данными 2, новых 2, обновлено 0, не разобрано 0.» and nothing else; both
messages are stored with no link (the inbox has no «открыть», the answer cannot be published in the network, a
later delivery from VK of the same comments makes second copies). `intake.imports.row_parser` drops a link cell that
is not an address silently when the row has a text; only a row without text is quarantined («в колонке «Урл поста»
не ссылка, а «Открыть»…»), so the import does know this reason.

Should: the page names the rows whose «Урл поста» is not a link (with what it holds, «Открыть»), so the curator
uploads the XLSX instead; the messages may still be kept.
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


def test_rows_whose_link_is_the_text_of_a_lost_hyperlink_are_named(
    client: Client, personas: Personas
) -> None:
    ensure_default_mappings()
    mapping = ImportMapping.objects.get(name="Инцидент Менеджмент")
    content = (
        "Отдел;Исполнитель;Тема;Муниципалитет;Текст инцидента;Дата создания;Урл поста;Аудитория\r\n"
        "ЖКХ;Иванова А.;Освещение;Гатчинский МР;Не горят фонари на Чкалова;27.11.2024 18:40;Открыть;1 520\r\n"
        "Дороги;Петров И.;Ямы;Гатчинский МР;Яма у школы № 4;28.11.2024 10:15;Открыть;830\r\n"
    ).encode("cp1251")
    client.force_login(personas.curator)
    response = client.post(
        "/intake/import/",
        {"mapping": mapping.pk, "file": SimpleUploadedFile("Инциденты.csv", content, "text/csv")},
    )
    assert response.status_code == 200
    assert Message.objects.count() + Quarantine.objects.count() == 2  # nothing is lost
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    shown = page[page.find("Импорт:") : page.find("Импорт:") + 500]
    # the curator is told which rows have no link and what the column holds instead
    assert "Строка 2" in page and "Строка 3" in page, shown
    assert "«Открыть»" in page, shown
    assert "сохранено без ссылки" in page and "загрузите файл XLSX" in page
