"""R-11 «вежливое обращение к заявителю»: «Здравствуй, Анна!» — the «ты» greeting — is now flagged «Обращение на «ты» к
автору недопустимо» (and «слушай», «слышь» alike): pymorphy3 reads these words as interjections first, and an
interjection reading no longer excuses a «ты» form (`rules._only_informal_verb`). «Здравствуйте» stays a perfect
greeting. Found by a review (session 19)."""

from __future__ import annotations

from otklik.answers.checker import check_answer


def test_greeting_the_author_on_ty_is_impolite() -> None:
    result = check_answer("Здравствуй, Анна! Яму у дома 5 засыплем до пятницы.", author_name="Анна")
    assert "impolite" in result.codes(), (result.score, result.codes())


def test_the_polite_greeting_stays_unflagged() -> None:
    assert (
        check_answer("Здравствуйте, Анна! Яму у дома 5 засыплем до пятницы.", author_name="Анна").score == 100
    )
