"""Exploratory test of the answer checker as executors write (R-9, R-11, R-8.10): the bugs it found.

Each test is a draft as an executor would type it in the editor (the browser sends line breaks as CRLF) and
what the executor must see.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.answers.checker import CheckResult, Finding, check_answer
from tests.conftest import Personas


def spans(result: CheckResult, code: str) -> list[Finding]:
    return [f for f in result.findings if f.code == code]


# ---- length as the network counts it (R-9) ------------------------------------------------------------------


def _paragraphs(n: int, newline: str) -> str:
    para = "Яму у дома 5 на улице Ленина заделали 3 мая, асфальт положили 4 мая."
    return "Здравствуйте, Анна!" + newline + newline.join([para] * n)


def test_a_browser_line_break_counts_as_one_character_against_the_hard_limit_r9() -> None:
    """R-9: a Telegram answer of 4,000 characters written in paragraphs is not «too long for the network»
    only because the browser sent each line break as CRLF."""
    lf = _paragraphs(59, "\n")
    crlf = lf.replace("\n", "\r\n")
    assert len(lf) <= 4096 < len(crlf)
    for text in (lf, crlf):
        (finding,) = spans(check_answer(text, network="telegram", author_name="Анна"), "too_long")
        assert "4096" not in finding.message  # only past the readable length, never «сеть его не примет»
        assert f"({len(lf)})" in finding.message


def test_too_long_counts_and_marks_the_same_with_crlf_and_lf_r9() -> None:
    """R-9: the counted length in the message and the marked tail are the same whichever line breaks the
    draft has: the tail starts after the network's 4,096th character."""
    lf = _paragraphs(70, "\n")
    crlf = lf.replace("\n", "\r\n")
    (a,) = spans(check_answer(lf, network="telegram"), "too_long")
    (b,) = spans(check_answer(crlf, network="telegram"), "too_long")
    assert "4096" in a.message and a.message == b.message
    assert a.text.replace("\n", "\r\n") == b.text
    assert crlf[b.start : b.end] == b.text
    assert len(crlf[: b.start].replace("\r\n", "\n")) == 4096


def test_the_editor_shows_the_same_length_as_the_stored_score_r9(client: Client, personas: Personas) -> None:
    """The fragment the editor shows for a CRLF draft (a form post) does not claim the network refuses it."""
    client.force_login(personas.alice)
    text = _paragraphs(59, "\r\n")
    response = client.post(
        reverse("answers:check"), {"text": text, "network": "telegram", "author_name": "Анна"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "сеть его не примет" not in html


# ---- greeting after the address (R-11) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Анна Сергеевна! Здравствуйте! Яму у дома 5 заделали 12 мая.",
        "Анна Сергеевна!\r\nДобрый день!\r\nЯму у дома 5 заделали 12 мая.",
        "Анна! Добрый день. Яму у дома 5 заделали 12 мая.",
    ],
)
def test_a_greeting_after_the_address_on_its_own_is_a_greeting_r11(text: str) -> None:
    """R-11: «Анна Сергеевна! Здравствуйте!» is a standard opening; the answer greets the author."""
    result = check_answer(text, author_name="Анна Иванова")
    assert result.findings == []
    assert result.score == 100


def test_a_first_sentence_that_is_not_an_address_still_needs_a_greeting_r11() -> None:
    assert "no_greeting" in check_answer("Яму заделали. Здравствуйте!").codes()


# ---- a repeat's answer that only promises (R-8.10) ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте, Олег! Ремонт будет выполнен.",
        "Здравствуйте, Олег! Работы будут проведены.",
    ],
)
def test_a_promise_without_a_date_is_no_measure_in_a_repeat_r8_10(text: str) -> None:
    """R-8.10: «будет выполнен» is not something done, and without a date it is no progress either."""
    assert "missing_measures" in check_answer(text, author_name="Олег", repeat=True).codes()


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте, Олег! Ремонт будет выполнен до 20 мая.",
        "Здравствуйте, Олег! Ремонт выполнен 12 мая.",
        "Здравствуйте, Олег! Яма заделана.",
    ],
)
def test_a_done_or_dated_measure_passes_in_a_repeat_r8_10(text: str) -> None:
    assert "missing_measures" not in check_answer(text, author_name="Олег", repeat=True).codes()


# ---- redirection and off-topic questions the rules name (R-11) ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        ("Здравствуйте! Этот вопрос не входит в нашу компетенцию.", "не входит в нашу компетенцию"),
        (
            "Здравствуйте! Вопрос не относится к компетенции администрации района.",
            "не относится к компетенции",
        ),
        ("Здравствуйте! Вопрос не относится к нашей компетенции.", "не относится к нашей компетенции"),
    ],
)
def test_not_our_competence_with_a_pronoun_is_a_redirection_r11(text: str, marked: str) -> None:
    (f,) = spans(check_answer(text), "redirection")
    assert f.text == marked


def test_asking_for_passport_details_is_off_topic_r11() -> None:
    text = "Здравствуйте! Пришлите, пожалуйста, ваши паспортные данные."
    (f,) = spans(check_answer(text), "offtopic_question")
    assert f.text == text[len("Здравствуйте! ") :]


# ---- capitals: an organisation's registered name is not shouting (R-11) -----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Подрядчик ООО «СТРОЙ ИНВЕСТ ГРУПП» закончит ремонт 20 мая.",
        'Здравствуйте! Трубу заменит МУП "ВОДОКАНАЛ ГАТЧИНСКОГО РАЙОНА" до 20 мая.',
    ],
)
def test_a_company_name_in_capitals_inside_quotes_is_not_shouting_r11(text: str) -> None:
    result = check_answer(text)
    assert result.findings == []
    assert result.score == 100


def test_shouting_outside_quotes_is_still_found_r11() -> None:
    text = "Здравствуйте! ВНИМАНИЕ: ВОДУ ОТКЛЮЧАТ 12 МАЯ, предупредило ООО «ВОДОКАНАЛ»."
    (f,) = spans(check_answer(text), "impolite")
    assert f.text == "ВНИМАНИЕ: ВОДУ ОТКЛЮЧАТ 12 МАЯ"


# ---- a regional phone number is a contact (R-11) -------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    ["8 (81371) 3-45-67", "8 (813-71) 9-30-20", "+7 (81370) 2-11-11", "8-81371-34567", "3-45-67"],
)
def test_a_redirection_with_a_regional_phone_is_justified_r11(phone: str) -> None:
    """R-11: «обратитесь … тел. 8 (81371) 3-45-67» gives a contact, as the rule promises; Leningrad region
    numbers have a five-digit area code and a six-digit number."""
    text = f"Здравствуйте! По оплате обратитесь в расчётный центр: тел. {phone}."
    assert "redirection" not in check_answer(text).codes()


def test_a_redirection_without_a_contact_is_still_found_r11() -> None:
    text = "Здравствуйте! По оплате обратитесь в расчётный центр. Работает 5 дней в неделю."
    assert "redirection" in check_answer(text).codes()


# ---- words in quotes are not the answer's own voice (R-11) ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте, Анна! Сквер благоустроят в 2027 году по программе «Твой бюджет».",
        "Здравствуйте, Анна! Акция «Сделай добро» пройдёт 5 июня в парке.",
        "Здравствуйте, Анна! Вы написали: «Сколько можно ждать?» Понимаем вас: ремонт закончим 20 мая.",
    ],
)
def test_a_programme_name_or_the_authors_words_in_quotes_are_not_impolite_r11(text: str) -> None:
    result = check_answer(text, author_name="Анна")
    assert result.findings == []
    assert result.score == 100


def test_addressing_the_author_as_ty_outside_quotes_is_still_impolite_r11() -> None:
    text = "Здравствуйте! Ты пишешь, что яму не заделали, но её заделали 3 мая по программе «Твой бюджет»."
    assert [f.text for f in check_answer(text).findings if f.code == "impolite"] == ["Ты", "пишешь"]
