"""The answer checker on long and odd drafts (R-9, R-11): a pasted 50 KB draft, a run of emoji or dots, one huge
«word». The editor checks as the executor types, so the checker must stay fast on such input (it was seconds to
minutes: a search from every letter of a long word, razdel gluing a long run); these tests hold what it must still
find there."""

from __future__ import annotations

from otklik.answers.checker import CheckResult, Finding, check_answer
from otklik.answers.lexicons import read_lines
from otklik.answers.rules import is_profane
from otklik.answers.text import LONG_RUN, parse, tokenize


def spans(result: CheckResult, code: str) -> list[Finding]:
    return [f for f in result.findings if f.code == code]


def test_a_root_inside_a_long_word_is_found_and_a_harmless_long_word_is_not() -> None:
    """R-11: the obscene root is found anywhere in a word, also one of 50,000 letters (the search from every letter
    of such a word took seconds), and «застрахуйте» stays harmless however long the word around it."""
    assert is_profane("а" * 50_000 + "пиздец")
    assert is_profane("распиздяй")
    assert not is_profane("а" * 50_000)
    assert not is_profane("перезастрахуйтесь" + "а" * 50_000)


def test_no_profanity_pattern_starts_with_a_free_run_of_letters() -> None:
    """Each pattern is searched in a word: one that starts with ``\\w*`` (not anchored by ``^``) tries every letter
    of the word as a start and reads the rest from there, quadratic in the word's length; the root alone finds the
    same words."""
    for line in read_lines("profanity.txt"):
        for alternative in line.lstrip("!").split("|"):
            assert not alternative.startswith(("\\w*", "\\w+", ".*", ".+")), line


def test_profanity_after_a_long_run_of_emoji_is_found_where_it_is() -> None:
    """R-11: a draft pasted with 100 KB of emoji and punctuation before the words: the obscene word after them is
    found with its exact span, and the run itself is no finding of its own."""
    junk = "😀" * 50_000 + " " + "!?." * 20_000 + " " + "—" * 20_000
    text = "Здравствуйте, Анна!\n" + junk + " Это пиздец, яму заделали 3 мая."
    result = check_answer(text, author_name="Анна")
    (found,) = spans(result, "profanity")
    assert text[found.start : found.end] == "пиздец"
    assert not spans(result, "no_greeting")


def test_a_long_run_is_tokenised_in_pieces_that_cover_it_exactly() -> None:
    """The tokens of a long run without spaces cover it from end to end with their offsets in the draft, each at most
    `LONG_RUN` long, and the words after it keep their offsets (the editor highlights by them)."""
    run = "😀" * (LONG_RUN * 5 + 7)
    text = "Добрый день.\n" + run + " Яму заделали."
    toks = tokenize(text)
    inside = [t for t in toks if 13 <= t[0] < 13 + len(run)]
    assert "".join(t[2] for t in inside) == run
    assert all(text[a:b] == piece and len(piece) <= LONG_RUN for a, b, piece in inside)
    assert [t[2] for t in toks[-3:]] == ["Яму", "заделали", "."]
    assert [text[a:b] for a, b, _ in toks[-3:]] == ["Яму", "заделали", "."]


def test_a_long_line_of_ordinary_words_is_tokenised_as_before() -> None:
    """A long paragraph of ordinary words (no run without spaces longer than `LONG_RUN`) is one razdel pass: words,
    hyphenated words and «...» come out whole, and the sentences end where they did."""
    sentence = "Кто-то оставил мусор у дома 5... Вывезли 3 мая, во вторник! "
    doc = parse(sentence * 200)
    assert len(doc.text) > LONG_RUN * 10
    pieces = [t.text for t in doc.tokens]
    assert pieces.count("Кто-то") == 200
    assert pieces.count("...") == 200
    assert len(doc.sentences) == 400
