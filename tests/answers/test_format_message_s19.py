"""R-9: the «format» finding speaks correct Russian. The executor whose draft has a Markdown link or table now reads
«Telegram покажет ссылку Markdown как есть, символами» and «ВКонтакте покажет таблицу Markdown как есть, символами»
(the accusative), not «покажет ссылка / таблица». Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.answers.checker import check_answer


@pytest.mark.parametrize(
    ("text", "network", "expected"),
    [
        (
            "Здравствуйте! Яму засыплем 5 мая: [подробности](https://lenobl.ru/news).",
            "telegram",
            "покажет ссылку Markdown",
        ),
        ("Здравствуйте! Яму засыплем 5 мая.\n| улица | срок |\n", "vk", "покажет таблицу Markdown"),
    ],
)
def test_the_format_finding_reads_as_russian(text: str, network: str, expected: str) -> None:
    messages = [f.message for f in check_answer(text, network=network).findings if f.code == "format"]
    assert messages, "no format finding"
    assert any(expected in m for m in messages), messages
