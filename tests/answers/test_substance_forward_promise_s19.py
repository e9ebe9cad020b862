"""R-9 «информация по существу заданного вопроса», R-11 «конкретный ответ … без необоснованной переадресации»: an answer
that only says the message was forwarded to another body («Ваше сообщение направлено в администрацию Выборгского
района для рассмотрения») or only promises («Вопрос будет решён», «Работы будут выполнены», «Постараемся решить
вопрос») now gets «Нет сути: ни факта, ни даты, ни действия, ни места» instead of a perfect 100. The name of the body a
message went to is no place (`rules._forwarded_to`, `lexicons/forwarding_verbs.txt`), and a promise whose verb names
no particular work counts only with a date, a time, a place or a concrete object (`lexicons/vague_verbs.txt`,
`vague_objects.txt`). Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.answers.checker import check_answer

HELLO = "Здравствуйте, Анна! "


@pytest.mark.parametrize(
    "sentence",
    [
        "Ваше сообщение направлено в администрацию Выборгского района для рассмотрения.",
        "Ваше обращение передано в администрацию района.",
        "Информацию передали в администрацию Всеволожского района.",
    ],
)
def test_an_answer_that_only_forwards_the_message_is_not_a_perfect_answer(sentence: str) -> None:
    result = check_answer(HELLO + sentence, author_name="Анна")
    assert result.score < 100 and "no_substance" in result.codes(), (sentence, result.score)


@pytest.mark.parametrize(
    "sentence",
    [
        "Вопрос будет решён.",
        "Работы будут выполнены.",
        "Постараемся решить вопрос.",
    ],
)
def test_a_promise_with_no_term_and_no_place_is_not_a_concrete_answer(sentence: str) -> None:
    result = check_answer(HELLO + sentence, author_name="Анна")
    assert "no_substance" in result.codes(), (sentence, result.score, result.codes())


@pytest.mark.parametrize(
    "sentence",
    [
        "Направим бригаду в Выборгский район.",  # a place, not a body's name
        "Заявку передали в дорожную службу, яму засыплют 5 мая.",
        "Работы будут выполнены до 5 мая.",
        "Уборка снега будет выполнена.",  # a concrete object
        "Фонарь починим.",  # a verb that names the work
    ],
)
def test_a_forwarding_with_the_matter_or_a_concrete_promise_keeps_its_substance(sentence: str) -> None:
    assert "no_substance" not in check_answer(HELLO + sentence, author_name="Анна").codes()
