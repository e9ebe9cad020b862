"""R-11 «не относящиеся к сути обращения уточняющие вопросы»: a parent asking about a kindergarten place or a children's
camp who is asked the child's age («подскажите возраст ребёнка», «в заявке укажите возраст ребёнка») now gets no
«Уточняющий вопрос не относится к сути обращения»: the age is the substance there. Only asking the author's own age
(«ваш возраст», «сколько вам лет») is flagged (`lexicons/offtopic.txt`). Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.answers.checker import check_answer


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте, Анна! Чтобы подобрать детский сад рядом с домом, подскажите, пожалуйста, возраст ребёнка?",
        "Здравствуйте, Анна! Заявки в лагерь принимаем до 1 марта: в заявке укажите возраст ребёнка и телефон.",
    ],
)
def test_asking_a_childs_age_for_a_kindergarten_or_camp_is_on_topic(text: str) -> None:
    result = check_answer(text, author_name="Анна")
    assert "offtopic_question" not in result.codes(), [f.text for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте, Анна! Укажите, пожалуйста, Ваш возраст.",
        "Здравствуйте, Анна! Сколько вам лет?",
    ],
)
def test_asking_the_authors_own_age_is_still_off_the_point(text: str) -> None:
    assert "offtopic_question" in check_answer(text, author_name="Анна").codes()
