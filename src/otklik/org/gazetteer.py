"""Name forms of places for matching in text: «Гатчина» → «гатчина», «гатчины», «гатчине» …"""

from __future__ import annotations

import pymorphy3

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def _morph() -> pymorphy3.MorphAnalyzer:
    """The process's one analyzer (its dictionaries are large), shared with the analysis of messages."""
    from otklik.analysis.text import morph

    return morph()


def _best_parse(word: str) -> pymorphy3.analyzer.Parse | None:
    parses = _morph().parse(word)
    # Prefer a geographical name or an adjective in the nominative: that is how place names are written.
    for p in parses:
        if "Geox" in p.tag and "nomn" in p.tag:
            return p
    for p in parses:
        if "nomn" in p.tag and ({"NOUN", "ADJF"} & set(str(p.tag).replace(" ", ",").split(","))):
            return p
    return None


def _inflect_word(word: str, case: str, number: str | None) -> str:
    if "-" in word:
        head, _, tail = word.rpartition("-")
        # «Усть-Луга» → «Усть-Луги»; «Янино-1» stays as it is.
        return f"{head}-{_inflect_word(tail, case, number)}" if not tail.isdigit() else word
    parse = _best_parse(word)
    if parse is None:
        return word
    grammemes = {case} | ({number} if number else set())
    if case == "accs" and parse.tag.POS == "ADJF" and parse.tag.gender == "masc":
        # Place names are inanimate: «Сосновый Бор» → «в Сосновый Бор», not «соснового».
        grammemes.add("inan")
    form = parse.inflect(grammemes)
    return form.word if form is not None else word


def name_forms(name: str) -> list[str]:
    """All case forms of a (possibly multi-word) place name, lower-case, the nominative first."""
    words = name.split()
    forms: list[str] = []
    for case in CASES:
        inflected = " ".join(_inflect_word(w, case, None) for w in words).lower()
        if inflected not in forms:
            forms.append(inflected)
    base = name.lower()
    if base not in forms:
        forms.insert(0, base)
    # People often type «е» for «ё» (Пикалево).
    forms += [f.replace("ё", "е") for f in forms if "ё" in f and f.replace("ё", "е") not in forms]
    return forms


def municipality_forms(name: str) -> list[str]:
    """Forms of «Гатчинский муниципальный район» and of its everyday short name «Гатчинский район»."""
    forms = name_forms(name)
    short = name.replace(" муниципальный район", " район").replace(" городской округ", " округ")
    if short != name:
        forms += [f for f in name_forms(short) if f not in forms]
    return forms


# Everyday names of settlements, as residents write them: the railway station or the old name of the place.
ALIASES: dict[str, tuple[str, ...]] = {
    "Новое Девяткино": ("Девяткино",),
    "Кузьмоловский": ("Кузьмолово",),
    "Сиверский": ("Сиверская",),
    "Дубровка": ("Невская Дубровка",),
}
