"""An exploratory test of what a Leningrad Oblast curator sees for residents' messages (R-8.1 suggestions,
R-8.3 importance, R-8.10 repeats, R-10 moderation): the misreadings found, each checked both ways."""

from __future__ import annotations

import pytest

from otklik.analysis.importance import assess
from otklik.analysis.moderation import moderate
from otklik.analysis.place import extract_place
from otklik.analysis.repeats import RepeatIndex, find_repeats

from .conftest import make_message

# --- importance (R-8.3: high importance has 4 working hours) ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("агалатово военный городок воды нет 3 день", "воды нет"),
        ("офигеть, опять свет отключили в поселке", "свет отключили"),
        ("мичуринское вода не идет", "вода не идет"),
        ("опять в Сертолово на Ленина 5 горячей воды нет, писали уже", "воды нет"),
        ("горячую воду отключили на две недели без предупреждения", "воду отключили"),
        ("тепла в квартире нет, батареи ледяные", "тепла в квартире нет"),
        ("в доме света нет с утра", "света нет"),
        ("света нет во всем поселке", "света нет"),
        ("у нас в Рощино пропал газ", "пропал газ"),
    ],
)
def test_a_utility_cut_said_the_other_way_round_is_high_r8_3(text: str, said: str) -> None:
    result = assess(text)
    assert result.level == "high"
    assert f"нет коммунальной услуги: «{said}»" in result.reasons


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("газом пахнет в подъезде уже час", "утечка газа"),
        ("сильный запах газа на лестнице", "утечка газа"),
        ("в Кузьмолово опять прорвало трубу", "прорыв трубы"),
        ("на детской площадке торчит арматура, ребенок поранился", "пострадавшие"),
        ("провода оборвались лежат на земле искрят", "угроза жизни или здоровью"),
        ("в Любани на переезде шлагбаум не работает, чуть не сбили ребенка", "угроза жизни или здоровью"),
        ("ребенка чуть не убило упавшей сосулькой", "угроза жизни или здоровью"),
        ("открытый люк возле школы, дети могут упасть", "угроза жизни или здоровью"),
    ],
)
def test_danger_said_in_everyday_words_is_high_r8_3(text: str, reason: str) -> None:
    result = assess(text)
    assert result.level == "high"
    assert reason in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "в подъезде свет отключили на 3 этаже",
        "на улице тепло, снега нет",
        "свет нет смысла включать днем",
        "И снова ржавая вода после отключения",
        "вода в реке грязная",
        "газ подорожал, платим больше",
        "когда уже починят люк, он гремит под машинами",
        "Лужи на тротуаре, стока воды нет или он засорился",
        "На радиаторе отопления отсутствует заглушка на нижнем кране",
        "свет практически не поступает в окна из-за деревьев",
        "Слабый напор холодной воды нет возможности помыться",
        "на улице света нет, фонари не горят",
        "во дворе света нет третий день",
    ],
)
def test_the_same_words_without_a_cut_or_danger_stay_normal_r8_3(text: str) -> None:
    result = assess(text)
    assert result.level == "normal", result.reasons


# --- moderation (R-10) ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "надо уничтожить весь борщевик вдоль дороги",
        "нужно уничтожить всех комаров и клещей в парке",
        "убейте комаров пожалуйста, обработайте парк",
        "отравить крыс в подвале надо",
        "пора разбить все клумбы и посадить цветы",
        "надо взорвать все старые дома и построить новые",
        "прибить надо табличку на дом",
        "надо закопать яму у дома",
        "надо повесить его портрет в школе",
        "сжечь бы этот мусор наконец, уже неделю воняет",
        "надо перебить кафель в ванной",
    ],
)
def test_a_complaint_with_a_harm_verb_about_things_or_pests_is_not_blocked_r10(text: str) -> None:
    result = moderate(text)
    assert not result.blocked, result.as_dict()


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("приду в администрацию и всех перестреляю", "перестреляю"),
        ("я вас всех перебью", "перебью"),
        ("взорву к чертям ваш офис", "взорву"),
        ("ноги переломаю тому кто это строил", "переломаю"),
        ("убью за такую дорогу", "убью"),
        ("Я тебя убью, если не сделаешь дорогу", "убью"),
        ("сожгу твою машину если дорогу не сделаешь", "сожгу"),
        ("сожгу дом главы", "сожгу"),
        ("нужно повесить всех чиновников", "повесить"),
        ("утопить бы всех этих чиновников", "утопить"),
        ("прибью соседа", "прибью"),
    ],
)
def test_threats_to_people_and_their_property_are_blocked_r10(text: str, span: str) -> None:
    result = moderate(text, use_classifier=False)
    assert result.blocked
    assert ("threat", span) in [(r.kind, r.text) for r in result.reasons]


def test_a_disguised_obscenity_and_livestock_r10() -> None:
    abuse = moderate("пошли вы нах со своими отписками", use_classifier=False)
    assert [(r.kind, r.text) for r in abuse.reasons] == [("obscene", "нах")]
    # «скотина» in a village is livestock: the word list does not block it (the classifier still weighs it).
    assert moderate("скотина на дороге бродит, чья корова непонятно", use_classifier=False).reasons == []


# --- place (R-8.1) --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "settlement", "municipality"),
    [
        ("в Тосне на Московском шоссе авария", "Тосно", "Тосненский муниципальный район"),
        ("Девяткино у метро ларьки снесли", "Новое Девяткино", "Всеволожский муниципальный район"),
        ("из Девяткина не уехать утром", "Новое Девяткино", "Всеволожский муниципальный район"),
        ("в Кузьмолово опять прорвало трубу", "Кузьмоловский", "Всеволожский муниципальный район"),
        ("в Сиверской нет газа второй день", "Сиверский", "Гатчинский муниципальный район"),
        ("в Невской Дубровке паром не ходит", "Дубровка", "Всеволожский муниципальный район"),
        ("В Советском школу закрыли", "Советский", "Выборгский муниципальный район"),
        ("в Никольском поселении нет воды", "Никольское", "Тосненский муниципальный район"),
    ],
)
def test_everyday_names_and_forms_of_settlements_are_found_r8_1(
    directory: None, text: str, settlement: str, municipality: str
) -> None:
    place = extract_place(text)
    assert (place.settlement, place.municipality) == (settlement, municipality)
    assert place.settlement_id is not None


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("на Приозерском шоссе авария", "Приозерское шоссе"),
        ("на Гатчинском шоссе яма", "Гатчинское шоссе"),
        ("Советский Союз был лучше, тогда дороги чинили", ""),
        ("Никольское кладбище заросло травой", ""),
    ],
)
def test_a_street_or_a_phrase_named_after_a_place_is_not_that_place_r8_1(
    directory: None, text: str, street: str
) -> None:
    place = extract_place(text)
    assert (place.municipality, place.settlement, place.source) == ("", "", "none")
    assert place.street == street


def test_a_street_written_with_an_abbreviation_after_a_declined_name_r8_1(directory: None) -> None:
    place = extract_place("Кудрово, на Европейском пр. 14 яма у парадной")
    assert (place.settlement, place.street) == ("Кудрово", "Европейский проспект, 14")
    assert extract_place("по Садовой ул. 5 в Гатчине не вывозят мусор").street == "Садовая улица, 5"


def test_the_town_on_a_road_between_towns_is_still_found_r8_1(directory: None) -> None:
    place = extract_place("Лодейнопольский район, дорога Лодейное Поле - Вознесенье разбита")
    assert place.settlement == "Лодейное Поле"
    assert place.municipality == "Лодейнопольский муниципальный район"


# --- repeats (R-8.10) ------------------------------------------------------------------------------------------


def test_the_same_words_about_another_settlement_are_not_a_repeat_r8_10(directory: None) -> None:
    kudrovo = make_message("в Кудрово на Европейском проспекте огромная яма у дома 14", author="u3")
    murino = make_message("в Мурино на Европейском проспекте огромная яма у дома 14", author="u5")
    again = make_message("В Кудрово на Европейском проспекте огромная яма у дома 14!!!", author="u4")
    kindergarten = make_message("в Кудрове детский сад не открыли", author="u6")
    other_town = make_message("в Мурине детский сад не открыли", author="u6")

    assert find_repeats(murino) == []
    assert [r.message_id for r in find_repeats(again)] == [kudrovo.pk]
    # the same author too: a message about another town is another problem
    assert find_repeats(other_town) == []
    assert kindergarten.pk < other_town.pk


def test_the_index_told_to_compare_places_keeps_other_towns_apart_r8_10(directory: None) -> None:
    index = RepeatIndex(same_place=True)
    index.add("kudrovo", "в Кудрово на Европейском проспекте огромная яма у дома 14", author="u3")
    assert index.query("в Мурино на Европейском проспекте огромная яма у дома 14", author="u5") == []
    again = index.query("в Кудрово на Европейском проспекте огромная яма у дома 14!!", author="u5")
    assert [r.message_id for r in again] == ["kudrovo"]


@pytest.mark.django_db
def test_r8_10_otklik_analyze_does_not_take_the_same_words_about_another_town_for_a_repeat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The CLI's own index keeps places apart as the inbox does; the same words in the same town still repeat."""
    from .test_cli import jsonl, run

    text = "Во дворе дома 14 огромная яма, машины бьют колёса, когда засыплют? {}"
    out = run(
        ["analyze"],
        jsonl(
            {"id": "k1", "text": text.format("Кудрово")},
            {"id": "m1", "text": text.format("Мурино")},
            {"id": "k2", "text": text.format("Кудрово")},
        ),
        monkeypatch,
        utility=False,
    )
    assert [o["id"] for o in out] == ["k1", "m1", "k2"]
    assert out[1]["repeats"] == []
    assert [r["id"] for r in out[2]["repeats"]][:1] == ["k1"]


@pytest.mark.parametrize(
    ("metrics", "large"),
    [
        ({"reach": "1520"}, True),  # «Аудитория» of a monitoring export, stored as the file wrote it
        ({"reach": "12 400"}, True),
        ({"views": 1500}, True),
        ({"reach": "950"}, False),
        ({"reach": "много"}, False),
        ({"likes": "600", "comments": 500}, True),
    ],
)
def test_r8_3_an_imported_audience_counts_as_reach(metrics: dict[str, object], large: bool) -> None:
    result = assess("Когда починят дорогу на Ленина?", metrics=metrics)
    assert any("большой охват" in r for r in result.reasons) is large


def test_r8_1_the_reach_reason_says_what_it_counts() -> None:
    """R-8.1: the curator weighs a large audience by its number, so the reason says what the number counts."""
    result = assess("Когда починят дорогу на Ленина?", metrics={"views": 12400, "likes": 31})
    assert "большой охват (просмотры или аудитория и реакции: 12\u00a0431)" in result.reasons
