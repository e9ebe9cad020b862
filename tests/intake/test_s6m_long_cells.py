"""File imports with long and odd cells (R-4): an author cell padded with spaces, a totals row with a long figure.
Two patterns read such a cell from each of its characters again (quadratic: a 100,000-space author cell took
fourteen seconds per row); these tests hold what an import must still get right in them."""

from __future__ import annotations

import json

import pytest

from otklik.intake.imports import import_file
from otklik.intake.models import ImportMapping, Message, Quarantine

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapping() -> ImportMapping:
    return ImportMapping.objects.create(name="Мониторинг", columns={"author_name": "Автор", "reach": "Охват"})


def test_an_author_with_an_id_after_a_long_run_of_spaces_is_split(mapping: ImportMapping) -> None:
    """R-4: «Иванов Иван (id456)» gives the name and the VK id also when the export padded the cell with spaces
    (a name column of fixed width, a pasted cell), and a padded name without an id stays the name as it is."""
    rows = [
        {
            "url": "https://vk.com/wall-1_2?reply=8",
            "text": "Спасибо",
            "Автор": "Иванов Иван" + " " * 50_000 + "(id456)",
        },
        {
            "url": "https://vk.com/wall-1_2?reply=9",
            "text": "Когда?",
            "Автор": "Пётр" + " " * 50_000 + "Сидоров",
        },
        {"url": "https://vk.com/wall-1_2?reply=10", "text": "Да", "Автор": "(id789)"},
    ]
    report = import_file(json.dumps(rows).encode(), "rows.json", mapping)
    assert (report.created, report.quarantined) == (3, 0)
    first = Message.objects.get(external_id="-1_2_8")
    assert (first.author_name, first.author_id, first.author_url) == (
        "Иванов Иван",
        "456",
        "https://vk.com/id456",
    )
    second = Message.objects.get(external_id="-1_2_9")
    assert (
        second.author_id == ""
        and second.author_name.startswith("Пётр")
        and second.author_name.endswith("Сидоров")
    )
    third = Message.objects.get(external_id="-1_2_10")
    assert (third.author_name, third.author_id) == ("", "789")


def test_a_totals_row_with_a_long_figure_is_a_totals_row(mapping: ImportMapping) -> None:
    """R-4: «Итого» with a long figure (digits grouped by spaces) is the totals row, named in the notes and not
    imported; «Итого» followed by words after a long figure is a message."""
    figure = "1 234 " * 5_000 + "567"
    lines = [
        "url;text;Охват",
        "https://vk.com/wall-1_1;Не горят фонари;1 520",
        f"Итого;;{figure}",
        f"Итого;;{figure} и ещё текст",
    ]
    report = import_file("\n".join(lines).encode(), "export.csv", mapping)
    assert report.created == 1 and Message.objects.get().text == "Не горят фонари"
    assert any(note.startswith("Строка 3 («Итого»)") and "строка итогов" in note for note in report.notes)
    # the fourth row is no totals row: without a text and a link it goes to the quarantine with its reason
    assert report.quarantined == 1
    assert "Строка 4" in Quarantine.objects.get().error
