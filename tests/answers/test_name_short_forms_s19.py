"""R-11 «вежливое обращение»: VK and OK show the name people give themselves, often the short form («Саша Иванов»,
«Аня Петрова»). An executor who writes the full name — «Здравствуйте, Александр!» — or, to an author shown by the full
name, the short one, is now taken as addressing the author by name: no «Автор не назван по имени, хотя имя
известно». The forms come from a table of everyday short names (`lexicons/name_forms.txt`), compared by lemma, so
another name or a street («улица Ленина» to «Елена») still gets the finding. Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.answers.checker import check_answer


@pytest.mark.parametrize(
    ("shown", "written"),
    [("Саша Иванов", "Александр"), ("Аня Петрова", "Анна"), ("Оля", "Ольга"), ("Катя Смирнова", "Екатерина")],
)
def test_the_full_form_of_the_authors_short_name_is_addressing_by_name(shown: str, written: str) -> None:
    result = check_answer(f"Здравствуйте, {written}! Яму у дома 5 засыплем до пятницы.", author_name=shown)
    assert "no_name" not in result.codes(), [f.suggestion for f in result.findings]


@pytest.mark.parametrize(
    ("shown", "written"),
    [("Александр Петров", "Саша"), ("Елена", "Лена"), ("Дмитрий", "Митя"), ("Ольга Смирнова", "Оля")],
)
def test_the_short_form_of_the_authors_full_name_is_addressing_by_name(shown: str, written: str) -> None:
    result = check_answer(f"Здравствуйте, {written}! Яму у дома 5 засыплем до пятницы.", author_name=shown)
    assert "no_name" not in result.codes(), [f.suggestion for f in result.findings]


@pytest.mark.parametrize(
    ("shown", "text"),
    [
        ("Саша Иванов", "Здравствуйте, Сергей! Яму у дома 5 засыплем до пятницы."),
        ("Елена", "Здравствуйте! Яму на улице Ленина засыплем до пятницы."),
        ("Александр", "Здравствуйте! Яму в Санкт-Петербурге засыплем до пятницы."),
    ],
)
def test_another_name_or_a_word_like_a_short_form_is_not_the_authors_name(shown: str, text: str) -> None:
    assert "no_name" in check_answer(text, author_name=shown).codes()
