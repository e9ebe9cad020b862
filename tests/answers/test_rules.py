"""Each finding code of the answer checker (R-9, R-11, R-8.10): what it finds, and what it must leave alone."""

from __future__ import annotations

import pytest

from otklik.answers.checker import WEIGHTS, CheckResult, Finding, check_answer
from otklik.answers.findings import CODES
from otklik.answers.rules import is_profane

GOOD = "Анна, здравствуйте! Яму у дома 12 на улице Ленина в Гатчине заделали 14 мая."


def codes(text: str, **kw: object) -> set[str]:
    return check_answer(text, **kw).codes()  # type: ignore[arg-type]


def spans(result: CheckResult, code: str) -> list[Finding]:
    return [f for f in result.findings if f.code == code]


def test_a_good_answer_has_no_findings_and_full_score() -> None:
    result = check_answer(GOOD, author_name="Анна")
    assert result.findings == []
    assert result.score == 100


def test_every_span_is_the_text_it_points_at() -> None:
    text = "  Настоящим сообщаем, что в рамках компетенции данный вопрос решён. **Итог** <b>да</b>  "
    result = check_answer(text, network="telegram")
    assert result.findings
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.message


def test_findings_keep_offsets_after_emoji_and_line_breaks() -> None:
    text = "👋 Здравствуйте!\r\n\r\nНастоящим сообщаем: яму заделали 3 мая."
    f = spans(check_answer(text), "template")[0]
    assert f.text == "Настоящим сообщаем"
    assert text.index("Настоящим") == f.start


# ---- no_greeting ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Яму заделали 3 мая.",
        "Добрый день! Яму заделали 3 мая.",
        "Анна, добрый вечер! Яму заделали 3 мая.",
        "Анна Петровна, здравствуйте.\nЯму заделали 3 мая.",
        "Уважаемая Анна Петровна! Яму заделали 3 мая.",
        "Доброе утро! Яму заделали 3 мая.",
    ],
)
def test_a_greeting_at_the_start_is_found(text: str) -> None:
    assert "no_greeting" not in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Яму заделали 3 мая.",
        "Яму заделали 3 мая. Здравствуйте!",  # a greeting at the end is no greeting
        "",
        "Спасибо за сообщение, яму заделали 3 мая.",
    ],
)
def test_an_answer_without_a_greeting_is_flagged_at_its_start(text: str) -> None:
    f = spans(check_answer(text), "no_greeting")
    assert len(f) == 1
    assert (f[0].start, f[0].end, f[0].text) == (0, 0, "")
    assert f[0].suggestion


# ---- no_name ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Анна", "Анна, здравствуйте! Яму заделали 3 мая."),
        ("Анна", "Здравствуйте! Анне отвечаем: яму заделали 3 мая."),
        ("Ольга Смирнова", "Ольга, здравствуйте! Яму заделали 3 мая."),
        ("Ольга", "Здравствуйте, Ольга! Яму заделали 3 мая."),
        ("Виктор Иванович", "Виктор Иванович, добрый день! Яму заделали 3 мая."),
        ("ivan_1985", "Здравствуйте! Яму заделали 3 мая."),  # a nickname: nothing to compare with
    ],
)
def test_the_name_used_in_any_form_is_enough(name: str, text: str) -> None:
    assert "no_name" not in codes(text, author_name=name)


def test_a_known_name_not_used_is_flagged_with_a_suggestion() -> None:
    result = check_answer("Здравствуйте! Яму заделали 3 мая.", author_name="Анна")
    (f,) = spans(result, "no_name")
    assert "Анна" in f.suggestion


def test_no_name_without_a_known_author() -> None:
    assert "no_name" not in codes("Здравствуйте! Яму заделали 3 мая.")


@pytest.mark.parametrize(
    ("author", "example"),
    [
        ("Татьяна", "«Здравствуйте, Татьяна!»"),
        ("Татьяна Кузнецова", "«Здравствуйте, Татьяна!»"),
        ("Кузнецова Татьяна", "«Здравствуйте, Татьяна!»"),  # surname first, as some networks show it
        ("ОЛЕГ", "«Здравствуйте, Олег!»"),
        (None, "«Здравствуйте!»"),
        ("Житель", "«Здравствуйте!»"),
        ("ivan_1985", "«Здравствуйте!»"),
    ],
)
def test_greeting_hint_names_the_real_author_or_none_r11(author: str | None, example: str) -> None:
    """R-11: the greeting hint uses the author's own first name, never a fixed «Анна»."""
    (f,) = spans(check_answer("Яму заделали 3 мая.", author_name=author), "no_greeting")
    assert f.suggestion == f"Начните с приветствия: {example} или «Добрый день!»"
    assert "Анна" not in f.suggestion


def test_name_hint_uses_the_first_name_not_the_surname_r11() -> None:
    result = check_answer("Здравствуйте! Яму заделали 3 мая.", author_name="Кузнецова Татьяна")
    (f,) = spans(result, "no_name")
    assert f.suggestion == "Обратитесь по имени: «Татьяна, здравствуйте!»"


@pytest.mark.parametrize(
    "author",
    [
        "Житель",
        "Пользователь",
        "Гость",
        "Аноним",
        "Подписчик",
        "Житель Гатчины",
        "DELETED",
        "id123456",
        "Котик Мурзик",
        "Иванов",  # a surname alone: «Иванов, здравствуйте!» is no polite address
    ],
)
def test_a_placeholder_or_nickname_is_not_a_known_name_r11(author: str) -> None:
    """R-11: «Житель» and the like are placeholders, not names: no «Житель, здравствуйте!»."""
    result = check_answer("Здравствуйте! Яму заделали 3 мая.", author_name=author)
    assert "no_name" not in result.codes()
    assert all(author not in f.suggestion for f in result.findings)


# ---- impolite -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Здравствуйте! Вам же сказали: ремонт 3 мая.", "Вам же сказали"),
        ("Здравствуйте! Ты пишешь уже третий раз. Ремонт 3 мая.", "Ты"),
        ("Здравствуйте! Скажи адрес дома.", "Скажи"),
        ("Здравствуйте! Это не наша проблема. Ремонт 3 мая.", "не наша проблема"),
        ("Здравствуйте! ВЫ НЕПРАВИЛЬНО ПОНЯЛИ ОБЪЯВЛЕНИЕ. Ремонт 3 мая.", "ВЫ НЕПРАВИЛЬНО ПОНЯЛИ ОБЪЯВЛЕНИЕ"),
        ("Здравствуйте! Что за бред, ремонт 3 мая.", "бред"),
    ],
)
def test_impolite_wording_is_flagged(text: str, fragment: str) -> None:
    assert fragment in [f.text for f in spans(check_answer(text), "impolite")]


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Пень у дома 5 выкорчуют 3 мая.",  # «пень» also parses as an imperative
        "Здравствуйте! Пришли рабочие и заделали яму 3 мая.",  # «пришли»: they came
        "Здравствуйте! Пришлите, пожалуйста, фото ямы.",
        "Здравствуйте! ООО ЖКС ГУП ТЭК заменили трубу 3 мая.",  # abbreviations are not shouting
        "Здравствуйте! Прошу прощения за задержку: яму заделали 3 мая.",
    ],
)
def test_polite_or_neutral_wording_is_not_impolite(text: str) -> None:
    assert "impolite" not in codes(text)


# ---- bureaucratese ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Здравствуйте! Работы осуществляются 3 мая.", "осуществляются"),
        ("Здравствуйте! В целях безопасности дорогу закрыли 3 мая.", "В целях"),
        ("Здравствуйте! Данный вопрос решён 3 мая.", "Данный"),
        ("Здравствуйте! Вышеуказанные работы выполнят 3 мая.", "Вышеуказанные"),
        ("Здравствуйте! В рамках ремонта заменили трубы 3 мая.", "В рамках"),
        ("Здравствуйте! Подъезд привели в надлежащее состояние 3 мая.", "в надлежащее состояние"),
        (
            "Здравствуйте! Завершено проведение обследования для устранения протечек 3 мая.",
            "проведение обследования для устранения",
        ),
        (
            "Здравствуйте! Дом, расположенный по адресу: ул. Мира, 5, отремонтирован.",
            "расположенный по адресу",
        ),
    ],
)
def test_bureaucratese_is_flagged_with_a_plain_alternative(text: str, fragment: str) -> None:
    found = spans(check_answer(text), "bureaucratese")
    assert fragment in [f.text for f in found]
    assert all(f.suggestion for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Персональные данные заявителей мы никому не передаём.",  # «данные» = data
        "Здравствуйте! В части подъезда уже поменяли окна 3 мая.",  # «в части» literally
        "Здравствуйте! Дом 5 на улице Мира отремонтировали 3 мая.",
        "Здравствуйте! Работы на улице Мира закончат 3 мая, дорогу откроют вечером.",
    ],
)
def test_plain_wording_is_not_bureaucratese(text: str) -> None:
    assert "bureaucratese" not in codes(text)


def test_a_template_span_is_not_counted_again_as_bureaucratese() -> None:
    result = check_answer("Здравствуйте! В рамках компетенции яму заделали 3 мая.")
    assert [f.text for f in spans(result, "template")] == ["В рамках компетенции"]
    assert spans(result, "bureaucratese") == []


# ---- template -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Настоящим сообщаем, что яму заделали 3 мая.", "Настоящим сообщаем"),
        ("Здравствуйте! Ваши обращения рассмотрены, яму заделали 3 мая.", "обращения рассмотрены"),
        ("Здравствуйте! Информация принята к сведению.", "Информация принята к сведению"),
        ("Уважаемый пользователь! Яму заделали 3 мая.", "Уважаемый пользователь"),
        ("Здравствуйте! Вопрос остается на контроле.", "остается на контроле"),
        ("Здравствуйте! Яму заделают в ближайшее время.", "в ближайшее время"),
    ],
)
def test_stock_phrases_are_flagged(text: str, fragment: str) -> None:
    assert any(fragment.lower() in f.text.lower() for f in spans(check_answer(text), "template"))


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Спасибо, что написали: яму заделали 3 мая.",
        "Здравствуйте! Мы рассмотрим проект двора на собрании жильцов 3 мая.",
        "Уважаемая Анна Петровна! Яму заделали 3 мая.",
    ],
)
def test_plain_answers_have_no_template(text: str) -> None:
    assert "template" not in codes(text)


# ---- redirection --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Обратитесь в управляющую компанию.",
        "Здравствуйте! Рекомендуем обратиться в администрацию района.",
        "Здравствуйте! Вопрос не входит в компетенцию комитета.",
        "Здравствуйте! Ваше сообщение перенаправлено в другой орган.",
    ],
)
def test_sending_the_author_elsewhere_without_reason_or_contact_is_flagged(text: str) -> None:
    assert "redirection" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Обратитесь в управляющую компанию по телефону 8 (81370) 2-33-44.",
        "Здравствуйте! Обратитесь в МФЦ, так как документы принимает только он.",
        "Здравствуйте! Обратитесь в поликлинику. Запись на сайте gosuslugi.ru.",
        "Здравствуйте! Можете обратиться в управляющую компанию: она обслуживает ваш дом.",
        "Здравствуйте! Вы обратились в комитет 3 мая, яму заделали 5 мая.",  # past tense: not a redirection
    ],
)
def test_justified_or_past_redirection_is_not_flagged(text: str) -> None:
    assert "redirection" not in codes(text)


# ---- offtopic_question --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Сообщите, пожалуйста, номер паспорта.",
        "Здравствуйте! Сколько вам лет и какой у вас возраст?",
        "Здравствуйте! Зачем вам эти сведения?",
        "Здравствуйте! А вы сами пробовали убрать двор?",
    ],
)
def test_questions_off_the_point_are_flagged_as_whole_sentences(text: str) -> None:
    (f,) = spans(check_answer(text), "offtopic_question")
    assert f.text.startswith(("Сообщите", "Сколько", "Зачем", "А вы"))


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Уточните, пожалуйста, номер дома и подъезда?",
        "Здравствуйте! Пришлите фото ямы, чтобы мастер нашёл её быстрее.",
        "Здравствуйте! Паспорт можно получить в МФЦ с 3 мая.",  # a statement, not a question
    ],
)
def test_questions_on_the_point_are_not_flagged(text: str) -> None:
    assert "offtopic_question" not in codes(text)


# ---- no_substance and missing_measures ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Ваше обращение рассмотрено. Информация принята к сведению.",
        "Здравствуйте! Спасибо за обращение, мы разберёмся.",
        "Добрый день! Обратитесь в управляющую компанию.",
    ],
)
def test_an_answer_without_fact_date_action_or_place_is_flagged(text: str) -> None:
    (f,) = spans(check_answer(text), "no_substance")
    assert f.start == f.end == len(text.rstrip())


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Яму заделали.",  # an action
        "Здравствуйте! Ремонт будет 3 мая.",  # a date
        "Здравствуйте! Ремонт будет в июне.",  # a time
        "Здравствуйте! Ремонт будет в Гатчине.",  # a place
        "Здравствуйте! Подскажите, пожалуйста, номер дома.",  # a clarification request
    ],
)
def test_any_fact_date_action_or_place_is_substance(text: str) -> None:
    assert "no_substance" not in codes(text)


def test_a_repeat_answer_without_measures_is_flagged_only_for_repeats() -> None:
    text = "Здравствуйте! Спасибо, что написали ещё раз. Вопрос остается на контроле."
    assert "missing_measures" in codes(text, repeat=True)
    assert "missing_measures" not in codes(text, repeat=False)


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! После вашего сообщения крышу отремонтировали 12 марта.",
        "Здравствуйте! Ремонт крыши идёт: подрядчик закончит 1 ноября.",
        "Здравствуйте! Трубу заменят 20 мая.",  # a plan with a date is progress
    ],
)
def test_a_repeat_answer_with_measures_or_progress_passes(text: str) -> None:
    assert "missing_measures" not in codes(text, repeat=True)


# ---- too_long and format per network (R-9) --------------------------------------------------------------------


def test_too_long_depends_on_the_network_hard_limit() -> None:
    text = "Здравствуйте! " + "Яму у дома 5 заделали 3 мая. " * 200  # ~5,800 characters
    (tg,) = spans(check_answer(text, network="telegram"), "too_long")
    assert "4096" in tg.message
    assert tg.start == 4096 and tg.end == len(text)
    (vk,) = spans(check_answer(text, network="vk"), "too_long")
    assert "1000" in vk.message  # within VK's limit, but past the readable length


def test_a_short_answer_is_not_too_long() -> None:
    assert "too_long" not in codes(GOOD + " " + "Подробнее на сайте." * 10, network="ok")


@pytest.mark.parametrize(
    ("network", "text", "shown"),
    [
        ("vk", "Здравствуйте! **Важно:** воду отключат 3 мая.", True),
        ("telegram", "Здравствуйте! <b>Важно:</b> воду отключат 3 мая.", True),
        ("ok", "Здравствуйте! Запись [на сайте](https://lenobl.ru) с 3 мая.", True),
        ("vk", "Здравствуйте! Воду отключат 3 мая&nbsp;с 9:00.", True),
        ("youtube", "Здравствуйте! *Важно:* воду отключат 3 мая.", False),  # YouTube renders *bold*
        ("vk", "Здравствуйте! *Важно:* воду отключат 3 мая.", True),
        ("vk", "Здравствуйте, [id1|Павел]! Воду дадут 3 мая.", False),  # VK renders its mentions
        ("telegram", "Здравствуйте, [id1|Павел]! Воду дадут 3 мая.", True),
        ("vk", "Здравствуйте! Воду дадут 3 мая. #новости_Луги 2*2=4", False),
    ],
)
def test_markup_a_network_would_show_literally(network: str, text: str, shown: bool) -> None:
    assert ("format" in codes(text, network=network)) is shown


def test_unknown_network_is_refused_in_russian() -> None:
    with pytest.raises(ValueError, match="неизвестная сеть"):
        check_answer("Здравствуйте!", network="myspace")


def test_other_intake_networks_are_checked_as_plain_text() -> None:
    assert "format" in codes("Здравствуйте! **Важно:** 3 мая.", network="forum")


# ---- profanity ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["блядь", "хуй", "нахуй", "пиздец", "заебали", "ебать", "мудак", "говно"])
def test_obscene_words_are_found(word: str) -> None:
    assert is_profane(word)
    assert "profanity" in codes(f"Здравствуйте! Это {word}, яму заделали 3 мая.")


@pytest.mark.parametrize(
    "word",
    [
        "страхуйте",
        "застрахуем",
        "колебаться",
        "рубля",
        "корабля",
        "употреблять",
        "оскорблять",
        "себе",
        "хлеба",
        "бляха",
        "сухую",
        "плохую",
        "глухую",
        "художник",
        "мандарин",
        "тебе",
        "требуется",
    ],
)
def test_harmless_words_that_contain_obscene_letters_are_not_flagged(word: str) -> None:
    assert not is_profane(word)


# ---- score --------------------------------------------------------------------------------------------------


def test_weights_cover_every_code_and_caps_hold() -> None:
    assert set(WEIGHTS) == set(CODES)
    many = (
        "Здравствуйте! "
        + " ".join(["В целях ремонта в рамках работ осуществляется замена."] * 10)
        + " 3 мая."
    )
    result = check_answer(many)
    assert len(spans(result, "bureaucratese")) > 5
    assert result.score == 100 - WEIGHTS["bureaucratese"][1]


def test_the_score_falls_with_each_kind_of_finding_and_never_below_zero() -> None:
    assert check_answer(GOOD, author_name="Анна").score == 100
    assert check_answer("Яму заделали 3 мая.").score == 100 - WEIGHTS["no_greeting"][0]
    worst = check_answer("Ты, блядь, ОПЯТЬ ПИШЕШЬ СЮДА ЕРУНДУ. Обратитесь в другое ведомство.", repeat=True)
    assert worst.score == 0
