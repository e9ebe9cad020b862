"""Found by a review (session 25), fixed since. R-4 (imports, «a publication time before 2000 … is flagged, not used»): an imported row dated on the night of
1 January 2000, Moscow time, is dropped to the receipt time and the import page tells the curator «дата
«01.01.2000 00:30» раньше 2000 года — проверьте год» — a sentence that contradicts itself.

Scenario: the curator uploads a CSV under the «Инцидент Менеджмент» schema; a row's «Дата создания» is
«01.01.2000 00:30» (a file's dates without a zone are Moscow time). The page lists it under «Сохранены с оговоркой»
as before 2000, and the message is stored without its publication time.

Should: a date of the year 2000 is not «раньше 2000 года»: either kept, or not described as before 2000.

Cause: `src/otklik/intake/pipeline.py` `EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)` is midnight UTC — 03:00 in
Moscow — and `intake/imports.py` `_caveat` (new today) compares the row's Moscow date with it and prints the
Moscow date with «раньше 2000 года». Fix: define EARLIEST as 01.01.2000 00:00 Moscow time (or word the caveat by the
moment compared).
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from otklik.intake.imports import ensure_default_mappings
from otklik.intake.models import ImportMapping, Message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_a_row_dated_new_years_night_2000_is_not_called_before_2000(
    client: Client, personas: Personas
) -> None:
    ensure_default_mappings()
    mapping = ImportMapping.objects.get(name="Инцидент Менеджмент")
    content = (
        "Отдел;Исполнитель;Тема;Муниципалитет;Текст инцидента;Дата создания;Урл поста\r\n"
        "Дороги;Петров И.;Ямы;Гатчинский МР;Яма у школы № 4;01.01.2000 00:30;https://t.me/gatchina_chat/991\r\n"
    ).encode("cp1251")
    client.force_login(personas.curator)
    response = client.post(
        "/intake/import/",
        {"mapping": mapping.pk, "file": SimpleUploadedFile("Инциденты.csv", content, "text/csv")},
    )
    assert response.status_code == 200
    stored = Message.objects.get()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    said = "дата «01.01.2000 00:30» раньше 2000 года"
    assert said not in page, (
        f"the import page calls a date of 1 January 2000 «раньше 2000 года»; the message's publication time: "
        f"{stored.published_at}"
    )
