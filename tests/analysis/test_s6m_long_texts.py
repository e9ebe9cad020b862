"""The analysers on long texts (R-8.1): a blog post or a long article read from a feed names the same thing many
times. The importance check read the whole text before every «нет света» and every «воды нет» (a 20,000-character
post of dark roads took two seconds, 80,000 characters half a minute); these tests hold what it must still decide
deep inside such a text."""

from __future__ import annotations

from otklik.analysis.importance import assess

FILLER = "Пишем уже не первый раз про наши дворы и дороги, ответа так и нет. " * 300


def _cut(text: str) -> list[str]:
    return [r for r in assess(text).reasons if r.startswith("нет коммунальной услуги")]


def test_dark_roads_named_many_times_are_no_power_cut_and_a_cut_after_them_is_found() -> None:
    """R-8.1: «на трассе нет света» said of many roads is street lighting, not a cut of power, however far into a
    long post; the water cut said after them is found."""
    roads = "".join(f"У поворота {i} на трассе опять нет света. " for i in range(300))
    assert _cut(FILLER + roads) == []
    assert _cut(FILLER + roads + "А в Сиверской третий день нет воды.") == [
        "нет коммунальной услуги: «нет воды»"
    ]


def test_a_dark_place_right_before_a_light_cut_deep_in_a_long_text() -> None:
    """R-8.1: «на остановке нет света» far into a long text is a dark stop; «нет света» with no dark place before it
    is a cut, also after a long text."""
    assert _cut(FILLER + "Вечером на остановке нет света.") == []
    assert _cut(FILLER + "Вечером нет света.") == ["нет коммунальной услуги: «нет света»"]


def test_a_utility_word_of_another_noun_deep_in_a_long_text() -> None:
    """R-8.1: «для воды нет», «стока ливневой воды нет» repeated through a long text are no water cut: the words
    right before the utility word decide, not the whole text; a real cut after them is found."""
    parts = "".join(
        f"У колодца {i} для воды нет крышки. Стока ливневой воды нет у дома {i}. " for i in range(300)
    )
    assert _cut(FILLER + parts) == []
    assert _cut(FILLER + parts + "Холодной воды нет с утра.") == ["нет коммунальной услуги: «воды нет»"]


def test_the_words_before_a_utility_word_are_whole_words() -> None:
    """The window before a utility word never reads a word it cut in half as a word: «…сток» of a long word is not
    «сток» the water belongs to."""
    long_word = "перевод" * 40 + "сток"
    assert len(long_word) > 200
    assert _cut(f"{FILLER}{long_word} воды нет.") == ["нет коммунальной услуги: «воды нет»"]
