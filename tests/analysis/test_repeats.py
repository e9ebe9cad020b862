"""Repeats at scale: the MinHash LSH index finds the earlier near-duplicate among many texts."""

from __future__ import annotations

import random

from otklik.analysis.repeats import RepeatIndex, find_repeats, find_repeats_indexed

from .conftest import make_message

WORDS = [
    "двор",
    "дом",
    "улица",
    "подъезд",
    "фонарь",
    "яма",
    "асфальт",
    "мусор",
    "контейнер",
    "вода",
    "отопление",
    "батарея",
    "крыша",
    "лифт",
    "школа",
    "сад",
    "автобус",
    "остановка",
    "дорога",
    "тротуар",
    "снег",
    "лед",
    "парковка",
    "детская",
    "площадка",
    "скамейка",
    "дерево",
    "газон",
    "забор",
    "труба",
]


def test_index_finds_the_planted_repeat_among_five_thousand_texts() -> None:
    rng = random.Random(6)
    index = RepeatIndex()
    for i in range(5000):
        index.add(i, " ".join(rng.choice(WORDS) for _ in range(12)), author=f"a{i % 500}")
    original = "Во дворе дома 5 на улице Ленина не горят фонари уже неделю, дети ходят в темноте"
    index.add("orig", original, author="petrov")
    found = index.query("Во дворе дома 5 на ул. Ленина уже неделю не горят фонари!!! Дети ходят в темноте")
    assert found and found[0].message_id == "orig" and found[0].similarity >= 0.75
    assert not found[0].same_author
    own = index.query("Фонари у дома 5 так и не горят", author="petrov")
    assert [r.message_id for r in own] == ["orig"] and own[0].same_author
    assert index.query("Спасибо за новую детскую площадку в парке у реки") == []


def test_indexed_search_over_the_database_agrees_with_the_scan(db: None) -> None:
    first = make_message("Во дворе дома 5 на улице Ленина не горят фонари уже неделю", author="u1")
    make_message("Спасибо за новую детскую площадку в парке", author="u2")
    again = make_message("Во дворе дома 5 на ул. Ленина уже неделю не горят фонари!!!", author="u3")
    scanned = find_repeats(again)
    indexed = find_repeats_indexed(again)
    assert [r.message_id for r in indexed] == [r.message_id for r in scanned] == [first.pk]
    later = make_message("Во дворе дома 5 на улице Ленина не горят фонари уже неделю!", author="u1")
    # The index picks up messages saved after it was built; only earlier messages are candidates.
    assert {r.message_id for r in find_repeats_indexed(later)} == {first.pk, again.pk}
    assert find_repeats_indexed(first) == []
