"""Review of the quoted-insult rule of moderation (R-10): a quoted insult is let through only when the writer
reports having received it («мне написали "идиот"»), not when the writer says it of someone in their own words
(«Говорю как есть: наш глава «дебил»»)."""

from __future__ import annotations

import pytest

from otklik.analysis.moderation import moderate


@pytest.mark.parametrize(
    "text",
    [
        "Говорю как есть: наш глава администрации «дебил», дорогу так и не отремонтировали",
        "Говорят, что наш глава администрации «дебил», и это правда: дорогу не чинят",
        "Скажу прямо: мой участковый «придурок», заявление не принял",
    ],
)
def test_the_writers_own_quoted_insult_is_blocked_r10(db: None, text: str) -> None:
    """R-10: the writer calls an official a name, only in quotes; the message is excluded from work."""
    result = moderate(text)
    assert result.blocked, text
    assert any(r.kind == "insult" for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    "text",
    [
        'мне в ответ написали "идиот" — разберитесь с этим сотрудником',
        "Сотрудница МФЦ назвала мою маму «дурой», прошу принять меры",
        "Моего сына в школе обозвали «дебилом», учитель промолчал",
    ],
)
def test_a_quoted_insult_the_writer_received_is_a_complaint_r10(db: None, text: str) -> None:
    """R-10: a complaint about an insult received is work, not an insult of the writer."""
    assert not any(r.kind == "insult" for r in moderate(text).reasons)
