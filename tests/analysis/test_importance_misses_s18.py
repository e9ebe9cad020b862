"""R-8.1, R-8.3: the importance the machine suggests (and the dispatch form is prefilled with) is high — 4 working
hours, not 9 — for no heating said in everyday words («не топят», «перестали топить», «отопление так и не
включили», «батареи не греют», «холодные батареи» in homes, a school or a kindergarten; a cold radiator on a
stairwell stays normal) and for danger to life or health said as people say it: an ambulance that does not come
(«скорая не приехала», «не можем дождаться скорую»), something that fell on a person («сосулька упала на
женщину»; onto a car it is damage, not danger to people), someone taken to hospital, dogs attacking («нападают»),
an open well («открытый колодец», as an open manhole already was). Rules over lemmas in `analysis.importance`.

Found by a review (session 18)."""

from __future__ import annotations

import pytest

from otklik.analysis.importance import assess


@pytest.mark.parametrize(
    "text",
    [
        "Во всём посёлке не топят третий день, в квартирах +12.",
        "Отопление так и не включили, в квартирах холодно, на улице минус.",
        "В детском саду холодные батареи, дети болеют.",
        "В школе №2 не топят, дети сидят на уроках в куртках.",
    ],
    ids=["village-not-heated", "heating-not-switched-on", "kindergarten-cold-radiators", "school-not-heated"],
)
def test_r8_1_no_heating_said_in_everyday_words_is_high(text: str) -> None:
    result = assess(text)
    assert result.level == "high", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Скорая не приехала к ребёнку с температурой 40, ждём третий час.",
        "Сосулька упала на женщину у подъезда, её увезли в больницу.",
        "Стая бродячих собак нападает на детей у школы.",
        "Открытый колодец у детской площадки, крышки нет.",
    ],
    ids=["ambulance-child", "icicle-fell-on-woman", "dogs-attack-children", "open-well-at-playground"],
)
def test_r8_1_danger_to_life_or_health_is_high(text: str) -> None:
    result = assess(text)
    assert result.level == "high", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Батареи не греют, в квартире 15 градусов",
        "Перестали топить в общежитии, живём в куртках",
        "Снег с крыши упал на прохожего у магазина",
        "Не можем дождаться скорую уже два часа, маме плохо",
        "Соседку увезли в больницу после падения в подъезде",
    ],
    ids=[
        "radiators-not-warming",
        "stopped-heating",
        "snow-fell-on-passer-by",
        "waiting-for-ambulance",
        "hospital",
    ],
)
def test_r8_1_the_same_in_other_words_is_high(text: str) -> None:
    result = assess(text)
    assert result.level == "high", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "На лестнице холодная батарея, в подъезде холодно",
        "Дерево упало на машину во дворе, уберите",
        "Если скорая не приедет вовремя из-за машин во дворе, кто ответит?",
        "В прошлом году не топили всю зиму, в этом топят хорошо",
        "Хорошо топят, спасибо управляющей компании",
        "На нас напала тоска от этих дорог",
    ],
    ids=["stairwell-radiator", "tree-on-car", "if-ambulance", "last-year", "thanks", "figure-of-speech"],
)
def test_r8_1_the_same_words_without_a_cut_or_danger_stay_normal(text: str) -> None:
    result = assess(text)
    assert result.level == "normal", result.reasons
