"""Importance (R-8.1, R-8.3: high importance shortens the deadline to 4 working hours): a street light that
does not burn is no fire, and a dark street or stairwell is no power cut for many people."""

from __future__ import annotations

import pytest

from otklik.analysis.importance import assess


def test_the_testers_message_about_street_lights_is_not_high_r8_3() -> None:
    result = assess("Опять нет света на улице Чкалова… не горят фонари")
    assert result.level == "normal"
    assert result.reasons == []


@pytest.mark.parametrize(
    "text",
    [
        "Опять нет света на улице Чкалова, не горят фонари",
        "Не горит светофор на перекрёстке Ленина и Садовой",
        "Светофор горит только красным, машины едут на красный",
        "Горит красный на светофоре уже 10 минут",
        "Фонари на улице Садовой горят круглосуточно, даже днём",
        "В подъезде не горят лампы уже неделю",
        "В дневное время горит свет в подъезде",
        "Не горит фонарь у детской площадки, дети ходят в темноте",
        "Не горит фонарь уличного освещения. Точнее, он то горит, то гаснет.",
        "Возле контейнерной площадки горит тусклым синим светом фонарь",
        "Ни один фонарь не горит на Киевском шоссе",
        "Очень тускло горит лампочка на третьем этаже",
    ],
)
def test_lights_that_burn_or_do_not_are_not_a_fire_r8_3(text: str) -> None:
    result = assess(text)
    assert "пожар" not in result.reasons
    assert result.level == "normal", result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Горит дом на улице Ленина",
        "Горит мусорка во дворе",
        "У соседей горит сарай, вызвали пожарных",
        "Задымление в подъезде, дышать нечем",
        "Пожар в подъезде, дым на всех этажах",
        "В квартире на пятом этаже что-то горит, идёт дым",
        "Горит трава у дороги, огонь подбирается к домам",
        "На Ленина горит автомобиль",
        "Горит дом рядом с фонарём",
        "В подъезде горит свет, а из подвала идёт дым",
        "Загорелся мусоропровод",
    ],
)
def test_real_fires_are_still_high_r8_3(text: str) -> None:
    result = assess(text)
    assert result.level == "high"
    assert "пожар" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Нет света на улице, темно, страшно ходить",
        "Во дворе нет света, не видно дороги",
        "В подъезде опять нет света",
        "Нет света на 3 этаже, лампочка перегорела",
        "Нет света в тамбуре у входа",
        "Отключили свет на улице Чкалова, фонари не горят с вечера",
    ],
)
def test_a_dark_street_or_stairwell_is_not_a_power_cut_r8_3(text: str) -> None:
    result = assess(text)
    assert not any(r.startswith("нет коммунальной услуги") for r in result.reasons), result.reasons
    assert result.level == "normal"


@pytest.mark.parametrize(
    "text",
    [
        "Нет света во всех квартирах подъезда",
        "Нет света в нашем доме, во дворе темно",
        "Нет света, лифт не работает, на этаже темно",
        "Нет света в доме третий день",
        "Весь поселок без света",
        "Нет света на улице Садовой с утра",  # the street's houses: a power cut
        "На улице Садовой нет света в домах, холодильники потекли",
        "В деревне нет света, во дворе темно",
        "Весь подъезд без света, в квартирах темно",
        "Отключили свет во всём доме",
        "Нет воды и нет света в подъезде",
    ],
)
def test_a_power_or_water_cut_is_still_high_r8_3(text: str) -> None:
    result = assess(text)
    assert result.level == "high"
    assert any(r.startswith("нет коммунальной услуги") for r in result.reasons), result.reasons
