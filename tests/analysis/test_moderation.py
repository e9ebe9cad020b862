"""R-10: obscene, insulting and threatening messages are blocked with reasons; harmless words are not."""

from __future__ import annotations

import pytest

from otklik.analysis.moderation import lexicon_reasons, moderate


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("Да пошли вы все на х*й", "obscene", "х*й"),
        ("Опять бл@ть трубу прорвало", "obscene", "бл@ть"),
        ("Во дворе полный пи3дец", "obscene", "пи3дец"),
        ("xyйня какая-то с дорогой", "obscene", "xyйня"),  # Latin look-alikes
        ("дорога просто п и з д е ц", "obscene", "п и з д е ц"),  # spaced letters
        ("ну вы и с.у.к.и", "obscene", "с.у.к.и"),
        ("ХУУУУЙНЯ а не ремонт", "obscene", "ХУУУУЙНЯ"),
        ("blyat, когда починят свет", "obscene", "blyat"),
        ("В администрации одни дебилы сидят", "insult", "дебилы"),
        ("Глава района — мразь", "insult", "мразь"),
        ("Я тебя убью, если не сделаешь дорогу", "threat", "убью"),
        ("Сожгу твой дом, чиновник", "threat", "Сожгу"),
        ("Знаю, где ты живешь, и твоих детей найду", "threat", "Знаю, где ты живе"),
        ("Этих чиновников расстрелять надо", "threat", "расстрелять"),
        ("да вы там ахуели совсем", "obscene", "ахуели"),
        ("сидят одни долбоебы в управе", "obscene", "долбоебы"),
        ("ждали неделю.заебали уже", "obscene", "заебали"),  # two words glued by a dot
        ("трубу прорвало, бл, опять", "obscene", "бл"),
        ("В управе сидят полудурки и нищеброды", "insult", "полудурки"),
        ("Главе надо морду набить за такие дороги", "threat", "морду набить"),
    ],
)
def test_abusive_messages_are_blocked_with_the_matched_span(text: str, kind: str, span: str) -> None:
    result = moderate(text)
    assert result.blocked
    hits = [(r.kind, r.text) for r in result.reasons]
    assert (kind, span) in hits
    for r in result.reasons:
        if r.kind != "classifier":
            assert text[r.start : r.end] == r.text


@pytest.mark.parametrize(
    "text",
    [
        "Страхуйте свои машины, во дворе падают деревья",
        "Не надо оскорблять сотрудников, они стараются",
        "Администрация продолжает колебаться с решением по школе",
        "Жителям советуют не употреблять воду из-под крана",
        "Закрылся магазин, хлебобулочные изделия купить негде",
        "Художник расписал стену подстанции, спасибо",
        "Надо сжечь прошлогоднюю траву? Нет, это запрещено",
        "Повесьте объявление об отключении воды",
        "Из-за гололёда кто-нибудь убьётся на этом спуске",
        "Небо сегодня ясное, а дорогу так и не почистили",
        "Ухудшение ситуации с вывозом мусора в Гатчине",
        "Зарплата учителей в Мурино не выплачена",
        "Хулиганы разбили остановку, пляж не убран",
        "Небо затянуто дымом, употребляйте воду только кипячёной",
        "Нужно набить песок в мешки и укрепить берег",
        "ГДЕ АВТОБУС? ЖДЁМ ЧАС НА МОРОЗЕ!",
    ],
)
def test_harmless_words_and_complaints_are_not_blocked(text: str) -> None:
    result = moderate(text)
    assert not result.blocked, result.as_dict()


def test_allowlist_words_never_count_as_obscene() -> None:
    for word in ("страхуйте", "оскорблять", "колебаться", "употреблять", "хлебобулочные", "сукно", "мудрый"):
        assert lexicon_reasons(word) == [], word


def test_reasons_are_serialisable_for_storage() -> None:
    data = moderate("Ну ты и х*й").as_dict()
    assert data["blocked"] is True
    assert data["reasons"][0] == {"kind": "obscene", "text": "х*й", "start": 8, "end": 11, "label": "хуй"}
