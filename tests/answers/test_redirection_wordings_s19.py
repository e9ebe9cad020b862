"""R-11 «без необоснованной переадресации»: the executor who writes «Рекомендуем Вам обратиться …», «Просим / Предлагаем /
Советуем обратиться …» or «Рекомендуется обратиться …» with no reason and no contact now sees «Автора отправляют в
другое место без объяснения причины и без контакта» (a verb of advice by its lemma, up to two pronouns, adverbs or
particles, then «обратиться»: `lexicons/redirection.txt`, `~`). Naming a phone, an address or a hot line without
giving it («по телефону», «по адресу», «на горячую линию») is no contact any more; the number or the address itself
is, also past an abbreviation's dot («тел. 3272909», «по адресу: ул. Ленина, д. 5»). Asking the author back to us
(«обратиться к нам повторно») is no redirection. Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.answers.checker import check_answer

HELLO = "Здравствуйте, Анна! "


@pytest.mark.parametrize(
    "sentence",
    [
        "Рекомендуем Вам обратиться в администрацию Всеволожского района.",
        "Рекомендуем вам обратиться в управляющую компанию.",
        "Просим обратиться в управляющую компанию.",
        "Предлагаем обратиться в управляющую компанию.",
        "Советуем обратиться в управляющую компанию.",
        "Рекомендуется обратиться в управляющую компанию.",
    ],
)
def test_sending_the_author_elsewhere_with_a_polite_verb_is_a_redirection(sentence: str) -> None:
    result = check_answer(HELLO + sentence, author_name="Анна")
    assert "redirection" in result.codes(), (sentence, result.score, result.codes())


@pytest.mark.parametrize(
    "sentence",
    [
        "Обратитесь в управляющую компанию по телефону.",
        "Обратитесь в управляющую компанию по адресу.",
        "Вам необходимо обратиться на горячую линию.",
    ],
)
def test_naming_a_phone_or_an_address_without_giving_it_is_no_contact(sentence: str) -> None:
    result = check_answer(HELLO + sentence, author_name="Анна")
    assert "redirection" in result.codes(), (sentence, result.score, result.codes())


def test_a_redirection_with_a_real_phone_stays_unflagged() -> None:
    """The other side: a contact given is a justified redirection (kept as it is)."""
    text = (
        HELLO
        + "Рекомендуем Вам обратиться в управляющую компанию: 8 (81371) 2-34-56, она обслуживает ваш дом."
    )
    assert "redirection" not in check_answer(text, author_name="Анна").codes()


@pytest.mark.parametrize(
    "sentence",
    [
        "Обратитесь в МФЦ по адресу: ул. Ленина, д. 5.",
        "Обратитесь по телефону 112.",
        "Рекомендуется обратиться в сервисную службу домофонов: ООО «Элтис» — тел. 3272909.",
        "Если яма появится снова, просим обратиться к нам повторно.",
    ],
)
def test_a_contact_given_or_an_invitation_back_is_no_redirection(sentence: str) -> None:
    assert "redirection" not in check_answer(HELLO + sentence, author_name="Анна").codes()
