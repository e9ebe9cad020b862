"""R-11 «вежливое обращение»: another form of the author's name (a short or a full one) counts as addressing her only
as an address — in the nominative, set off by a comma or «!» («Люба, здравствуйте!»). «Любой житель …» (also the
instrumental of «Люба») and «Здравствуйте! Поля у школы …» («поля», the fields) are not her name: the executor is
told to greet the author by name. Found by a review (session 19, second round)."""

from __future__ import annotations

import pytest

from otklik.answers.checker import check_answer


@pytest.mark.parametrize(
    ("author", "text"),
    [
        ("Полина", "Здравствуйте! Поля у школы № 2 в Кировске покосят до 1 июня."),
        (
            "Любовь",
            "Здравствуйте! Любой житель Гатчины может записаться на приём в поликлинику № 2 с 1 июня.",
        ),
    ],
)
def test_a_common_word_that_looks_like_a_short_form_is_not_the_authors_name(author: str, text: str) -> None:
    codes = {f.code for f in check_answer(text, network="vk", author_name=author).findings}
    assert "no_name" in codes, f"«{text}» is taken as addressing {author} by name"


@pytest.mark.parametrize(
    ("author", "text"),
    [
        ("Полина", "Поля, здравствуйте! Поля у школы № 2 в Кировске покосят до 1 июня."),
        ("Люба Смирнова", "Здравствуйте, Любовь! Приём в поликлинике № 2 Гатчины начнётся 1 июня."),
        ("Саша Иванов", "Александр, здравствуйте! Дорогу на Соборной улице отремонтируют в мае."),
    ],
)
def test_the_name_as_an_address_still_counts(author: str, text: str) -> None:
    codes = {f.code for f in check_answer(text, network="vk", author_name=author).findings}
    assert "no_name" not in codes, f"«{text}» is not taken as addressing {author} by name"
