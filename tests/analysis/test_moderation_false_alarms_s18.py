"""R-10: moderation excludes from work obscene or insulting language and threats, not a citizen's ordinary
complaint that holds a word that only looks rude. The curator now sees in her inbox (not under «Исключённые
(модерация)») a thanks to «Марии Олеговне», a complaint about the master «Насрутдинов», head lice («педикулёз») and
nits («вшей и гнид») in a school or kindergarten, a pedicure salon, firewood brought «чурками» and a notice board
to be nailed («прибейте её»): the lexicon's roots are anchored (the «говно» and «срать» roots no longer match
inside names, «педик» only as a whole word), an insult that is also an everyday word gives way to the lemmas of its
everyday sense in the message (`insults.txt`), and a pronoun a harm verb acts on is read as the noun it stands for
(«доска» is a thing, «глава» a person). The same words used as abuse are still excluded.

A complaint that a teacher or a doctor insults people («оскорблять», «оскорблял») stays in the inbox too: the
allowlisted words, in any form, are dropped before the classifier (`classifier_text`).

Abuse disguised by spaced letters after a dash («Глава района — п и д о р») or by a Latin «z» for «з» («пиzдец») is
excluded, with the span shown to the curator.

Each text is written as a citizen of the oblast would write it; all run through the shipped lexicon and classifier
(`moderate`).

Found by a review (session 18)."""

from __future__ import annotations

import pytest

from otklik.analysis.moderation import moderate, moderate_many


@pytest.mark.parametrize(
    "text",
    [
        # the patronymic «Олеговна» (and «Георговна», «Людвиговна»…) holds «говн»: the «говно» pattern has no anchor
        "Спасибо участковому терапевту Марии Олеговне за внимание к моей маме!",
        "Уважаемая Ирина Олеговна, когда починят дорогу в Кипени?",
        # the surname Насрутдинов: «на» + «сру…» matches the «срать» pattern
        "Жалоба на мастера управляющей компании Насрутдинова: не приходит на вызовы.",
        # «педикулёз» (head lice) matched the «пидор» pattern `^педик`
        "В школе №3 в Гатчине у детей педикулёз, медсестра никого не проверяет.",
        # «педикюр» the same way
        "Салон педикюра в жилом доме на первом этаже: запах лака в подъезде, дышать нечем.",
        # «гнида» is a louse's egg before it is an insult
        "У дочки в садике нашли вшей и гнид, воспитатели молчат, родителей не предупредили.",
        # «чурка» is a log of firewood (rural oblast: firewood deliveries to pensioners)
        "Пенсионерам привезли дрова чурками, а обещали колотые, колоть некому.",
        # «прибейте её» about a notice board, not a person
        "Доска объявлений у остановки висит на одном гвозде, прибейте её, пожалуйста.",
    ],
    ids=[
        "patronymic-olegovna-thanks",
        "patronymic-olegovna-address",
        "surname-nasrutdinov",
        "head-lice",
        "pedicure",
        "nits",
        "firewood-logs",
        "nail-the-board",
    ],
)
def test_r10_an_ordinary_complaint_with_a_word_that_looks_rude_stays_in_the_inbox(text: str) -> None:
    result = moderate(text)
    assert not result.blocked, [(r.kind, r.text, r.label) for r in result.reasons]


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("Чурки понаехали и гадят во дворе", "insult", "Чурки"),
        ("все чиновники в администрации гниды", "insult", "гниды"),
        ("Олег, твоя дорога говно", "obscene", "говно"),
        ("говнюки из управы", "obscene", "говнюки"),
        ("педики в администрации", "obscene", "педики"),
        ("насрут опять под окнами", "obscene", "насрут"),
        ("Глава района ворует, прибить его надо", "threat", "прибить"),
        ("Сосед опять шумит ночью, прибью его", "threat", "прибью"),
        ("Директор школы Иванова хамит детям, её надо прибить", "threat", "прибить"),
    ],
)
def test_r10_the_same_words_used_as_abuse_are_still_excluded(text: str, kind: str, span: str) -> None:
    result = moderate(text, use_classifier=False)
    assert (kind, span) in [(r.kind, r.text) for r in result.reasons], result.as_dict()


def test_r10_a_pronoun_for_a_thing_is_not_a_person_to_threaten() -> None:
    assert moderate("Забор упал, прибейте его", use_classifier=False).reasons == []


@pytest.mark.parametrize(
    "text",
    [
        "Учительница позволяет себе оскорблять детей на уроках, родители просят принять меры.",
        "Врач в приёмном покое хамил и оскорблял мою бабушку, ей 85 лет.",
    ],
    ids=["teacher-insults-children", "doctor-insulted-grandmother"],
)
def test_r10_a_complaint_that_someone_insults_people_is_not_itself_excluded(text: str) -> None:
    """«оскорблять» is on the allowlist against false alarms; the classifier's input drops it, in any form
    («оскорблял»), so these complaints are not excluded as «грубый тон» (they scored 0.85–0.90 ≥ 0.83 before)."""
    result = moderate(text)
    assert not result.blocked, (round(result.score, 3), [(r.kind, r.label) for r in result.reasons])
    # the batch path of the analysis worker (`moderate_many`) reads the same input
    assert not moderate_many([text])[0].blocked


@pytest.mark.parametrize(
    ("text", "span"),
    [
        # spaced letters after a dash: «—» is a one-character token that is not a letter, and it spoils the run
        ("Глава района — п и д о р", "п и д о р"),
        ("Это — б л я т ь — а не дорога", "б л я т ь"),
        # Latin «z» for «з», the commonest disguise of «пиздец» (the look-alike table maps «3» but not «z»)
        ("Во дворе пиzдец, ямы по колено", "пиzдец"),
    ],
    ids=["spaced-after-dash", "spaced-between-dashes", "latin-z"],
)
def test_r10_a_disguised_obscenity_is_excluded(text: str, span: str) -> None:
    result = moderate(text)
    assert result.blocked and any(r.kind == "obscene" and r.text == span for r in result.reasons), [
        (r.kind, r.text) for r in result.reasons
    ]
