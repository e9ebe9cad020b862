"""Streets named in a message (R-8.1: the place, down to the street and house where the author gives them).

Rules over tokens, no street list: a street is a street-type word («улица», «ул.», «проспект», «пр-т»,
«переулок», «шоссе», «набережная», «бульвар», «площадь», «проезд», «аллея», «линия», «дорога», «тупик») with
the name beside it, in either order and any case:
- after the type, a name in the genitive or as written: «ул. Бабушкина», «улица Карла Маркса», «пр. Большевиков»,
  «пл. Восстания», «ул. 1-я Красноармейская», «ул. 25 Октября», «набережная реки Мойки»;
- before the type, an adjective: «Лермонтовский проспект», «вдоль Заставской улицы», «Ленинградское шоссе».
The result is written the way addresses are: an adjective name before the type, in the nominative and the
type's gender («Заставская улица», «Московский проспект»), any other name after it («улица Бабушкина»).
A house number right after the street is taken too («ул. Ленина, д. 5», «Сиреневый бульвар 4к2»).
A street is also a name and a house number without the type word, as people write an address («Луга, Ленина 5»,
«на Гагарина 12к1», «Советская, 3»): a surname in the genitive (read «улица Ленина») or a feminine adjective
(«Советская улица»; not «Парадная 3»), right after a comma, the start of a sentence or «на», «по», «у», «возле»,
and a number of one to three digits that is no count («Иванова 5 лет», «Ленина 3 раза»). The type is not written,
so «улица» is assumed: the commonest in the oblast's towns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .text import Token, morph, norm, tokens

# type word (lower case, no dot) → (canonical type, gender, grammatical case of this form or "" if unknown)
TYPES: dict[str, tuple[str, str, str]] = {}
for _forms, _canonical, _gender in [
    ("ул: улица:nomn улицы:gent улице:loct улицу:accs улицей:ablt", "улица", "femn"),
    (
        "пр: пр-т: пр-кт: просп: проспект:nomn проспекта:gent проспекте:loct проспектом:ablt",
        "проспект",
        "masc",
    ),
    ("пер: переулок:nomn переулка:gent переулке:loct переулком:ablt", "переулок", "masc"),
    ("ш: шоссе:", "шоссе", "neut"),
    ("наб: набережная:nomn набережной:gent набережную:accs", "набережная", "femn"),
    (
        "б-р: бул: бульв: бульвар:nomn бульвара:gent бульваре:loct бульваром:ablt",
        "бульвар",
        "masc",
    ),
    ("пл: площадь:nomn площади:gent площадью:ablt", "площадь", "femn"),
    ("проезд:nomn проезда:gent проезде:loct проездом:ablt", "проезд", "masc"),
    ("аллея:nomn аллеи:gent аллее:loct аллею:accs", "аллея", "femn"),
    ("линия:nomn линии:gent линию:accs", "линия", "femn"),
    ("дорога:nomn дороги:gent дороге:loct дорогу:accs", "дорога", "femn"),
    ("туп: тупик:nomn тупика:gent тупике:loct", "тупик", "masc"),
]:
    for _item in _forms.split():
        _form, _case = _item.split(":")
        TYPES[_form] = (_canonical, _gender, _case)
# Adjective endings that agree with a street type of this gender in this case («улице Соборной»,
# «Лермонтовского проспекта»); a name in any other form is a noun in the genitive («улица Жуковского»).
AGREEING: dict[tuple[str, str], tuple[str, ...]] = {
    ("femn", "nomn"): ("ая", "яя"),
    ("femn", "gent"): ("ой", "ей"),
    ("femn", "loct"): ("ой", "ей"),
    ("femn", "accs"): ("ую", "юю"),
    ("femn", "ablt"): ("ой", "ей"),
    ("masc", "nomn"): ("ий", "ый", "ой"),
    ("masc", "gent"): ("ого", "его"),
    ("masc", "loct"): ("ом", "ем"),
    ("masc", "accs"): ("ий", "ый", "ой"),
    ("masc", "ablt"): ("им", "ым"),
}
NEUTER_ENDINGS = ("ое", "ее", "ого", "его", "ому", "ему", "ом", "ем", "ым", "им")


def _agrees(word: str, gender: str, case: str) -> bool:
    """Whether ``word`` reads as an adjective agreeing with the type word (unknown case: the nominative)."""
    if _plural_noun(word):  # «улица Ткачей», «ул. Кораблестроителей»
        return False
    if gender == "neut":  # «шоссе» does not decline: any neuter adjective form
        return word.endswith(NEUTER_ENDINGS)
    if not case:
        # An abbreviation: «ул. Купчинской» is an adjective in any case, but «пр. Луначарского» is a surname
        # in the genitive far more often than a masculine adjective out of the nominative.
        if gender == "masc":
            return word.endswith(AGREEING[("masc", "nomn")])
        return word.endswith(tuple(e for (g, _c), ends in AGREEING.items() if g == gender for e in ends))
    # People also leave the name in the nominative after a declined type: «по улице Курская».
    return word.endswith(AGREEING[(gender, case)] + AGREEING[(gender, "nomn")])


def _plural_noun(word: str) -> bool:
    """A known plural noun that is never an adjective («ткачей»); unknown words are left to the endings."""
    parses = morph().parse(word)
    best = parses[0]
    known = all(p.is_known for p in parses[:1])
    return bool(
        known
        and best.tag.POS == "NOUN"
        and best.tag.number == "plur"
        and not any(p.tag.POS == "ADJF" for p in parses)
    )


# Abbreviations that are street types only with a dot after them («ш.», «пл.»), never as bare words.
NEEDS_DOT = {"ул", "пр", "просп", "пер", "ш", "наб", "бул", "бульв", "пл", "туп"}
# Lower-case words allowed inside a name after «набережная»: «набережная реки Мойки», «канала Грибоедова».
WATER = {"реки", "р", "канала", "кан", "протоки", "озера", "речки"}
# Capitalised words that follow a street but are not its name: «бульвар Головнина Дом 5».
NOT_NAME = {
    "дом",
    "д",
    "корпус",
    "корп",
    "литера",
    "лит",
    "парадная",
    "подъезд",
    "квартира",
    "кв",
    "этаж",
    "строение",
}
ORDINAL = re.compile(r"^\d{1,3}(?:-?[йяею]|-?ая|-?ий|-?ый|-?ой|-?го|-?ую)?$", re.I)
ORDINAL_WORD = re.compile(
    r"^\d{1,2}-?(?:[йяею]|ая|ий|ый|ой|го|ую)$", re.I
)  # «2-я», never a bare house number
HOUSE = re.compile(
    r"^[\s,]*(?:(?:д|дом)\.?\s*)?(?:№\s*)?(\d{1,4}(?:\s*[/-]\s*\d{1,4})?[а-яА-Я]?(?![\d])"
    r"(?:\s*(?:к|корп|корпус|кор)\.?\s*\d{1,3})?(?:\s*(?:стр|строение|с)\.?\s*\d{1,3})?)"
)
MAX_NAME = 3
HOUSE_WORDS = {
    "дом", "дома", "доме", "домом", "д", "домов", "здание", "здания", "корпус", "корп", "подъезд", "подъезде",
    "парадная", "парадной", "парадную", "квартира", "квартире", "кв", "этаж", "этаже", "лестница", "лестнице",
}  # fmt: skip
GLUED = re.compile(r"^([А-ЯЁ][а-яё]{2,})(\d{1,4}[а-яА-Я]?)$")
# «Ленина 5» without «улица»: the house right after the name, and what may stand before the name.
BARE_HOUSE = re.compile(
    r"(?:\s*,)?\s*(?:(?:д|дом)\.?\s*)?(\d{1,3}(?:\s*/\s*\d{1,3})?[а-яА-Я]?(?![\d])(?:\s*(?:к|корп|корпус)\.?\s*\d{1,2})?)"
    r"(?![\d.,]\d)"
)
BARE_LEAD = {"на", "по", "у", "возле", "около", "напротив", "с"}
# A number that counts something is no house: «Иванова 5 лет», «Ленина 3 раза», «Гагарина 12 декабря».
COUNTED = re.compile(
    r"\s*(?:лет|год\w*|раз\w*|минут\w*|час\w*|дн\w*|день|сут\w*|недел\w*|месяц\w*|км|метр\w*|м\b|человек\w*|"
    r"чел\b|руб\w*|р\b|тыс\w*|млн|градус\w*|%|процент\w*|январ\w*|феврал\w*|март\w*|апрел\w*|ма[яй]\b|июн\w*|"
    r"июл\w*|август\w*|сентябр\w*|октябр\w*|ноябр\w*|декабр\w*|шт\w*|кг|этаж\w*|класс\w*|лин\w*|маршрут\w*)",
    re.I,
)


@dataclass(frozen=True)
class StreetMention:
    street: str  # as in an address: «улица Бабушкина», «Заставская улица»
    kind: str  # canonical type: «улица», «проспект», …
    name: str  # the name part, normalised
    house: str  # «5», «4к2», or ""
    written: str  # the text as written
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"street": self.street, "house": self.house, "written": self.written, "start": self.start}


def _joined(text: str, left: Token, right: Token) -> bool:
    """Only spaces (or nothing) between two tokens: no comma, full stop or bracket."""
    return text[left.end : right.start].strip() == ""


def _type_at(text: str, t: Token) -> tuple[str, str, str] | None:
    kind = TYPES.get(t.norm)
    if kind is None:
        return None
    # «ул» without a dot is still common in typed messages; the other short forms are not.
    if t.norm in NEEDS_DOT and t.norm != "ул" and not text.startswith(".", t.end):
        return None
    return kind


def _is_name(t: Token) -> bool:
    """A capitalised word (not a one- or two-letter abbreviation such as «ВО», «Б», «КВ») or an ordinal."""
    if ORDINAL.match(t.text):
        return True
    if t.norm in NOT_NAME or not t.text[:1].isupper() or len(t.text) < 2:
        return False
    return not (len(t.text) <= 3 and t.text.isupper()) and not _is_verb(t.norm)


def _is_verb(word: str) -> bool:
    """«пр. Закрасить»: «пр.» is also «прочее» and «просьба»; a verb is never a street name."""
    best = morph().parse(word)[0]
    return best.tag.POS in ("INFN", "VERB") and best.score > 0.5


def _adjective(word: str) -> Any:
    for p in morph().parse(word):
        if p.tag.POS == "ADJF" and p.score >= 0.1:
            return p
    return None


# Adjective endings by case → the nominative ending, for names pymorphy does not know as adjectives
# («Заставской» is a surname to it). Longest ending first; the stem's last letter decides hard or soft.
_ENDINGS = ("ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ую", "юю", "ом", "ем", "ым", "им", "ая", "яя",
            "ый", "ий", "ое", "ее", "ых", "их")  # fmt: skip
_NOMINATIVE = {
    ("femn", False): "ая",
    ("femn", True): "яя",
    ("masc", False): "ый",
    ("masc", True): "ий",
    ("neut", False): "ое",
    ("neut", True): "ее",
}


def _nominative(word: str, gender: str) -> str:
    """An adjective name in the nominative singular of the street type's gender, capitalised as written."""
    parsed = _adjective(word.lower())
    form = parsed.inflect({"nomn", "sing", gender}) if parsed is not None else None
    if form is not None:
        out = str(form.word)
    else:
        lower = word.lower()
        ending = next((e for e in _ENDINGS if lower.endswith(e) and len(lower) > len(e) + 2), None)
        if ending is None:
            return word
        stem = lower[: -len(ending)]
        soft = ending[0] in "еяюи" and stem[-1] not in "кгхжшщч"
        out = stem + _NOMINATIVE[(gender, soft)]
        if stem[-1] in "кгхжшщч" and gender == "masc" and not ending.startswith(("ой", "ом")):
            out = stem + "ий"  # «Лиговского» → «Лиговский»
    return out[:1].upper() + out[1:] if word[:1].isupper() else out


def _genitive_tail(text: str, name: Token, nxt: Token) -> bool:
    """A lower-case noun in the genitive right after a capitalised name word is part of the name."""
    if text[name.end : nxt.start] != " " or not nxt.text.isalpha() or not nxt.text.islower():
        return False
    if nxt.norm in NOT_NAME or len(nxt.text) < 4:
        return False
    best = morph().parse(nxt.norm)[0]
    return bool(best.tag.POS == "NOUN" and best.tag.case == "gent" and best.score > 0.5)


def _ordinal(word: str, gender: str) -> str:
    """«5-й», «5-ой», «5-ая» → «5-я» for a feminine type; the number and the type's nominative ending."""
    number = re.match(r"\d+", word)
    if number is None:
        return word
    return f"{number.group()}-{ {'femn': 'я', 'masc': 'й', 'neut': 'е'}[gender] }"


def _after(
    text: str, toks: list[Token], i: int, kind: tuple[str, str, str]
) -> tuple[list[Token], bool] | None:
    """Name tokens after the type word at ``i``; the bool says whether the name is an adjective."""
    abbreviated = kind[2] == ""
    name: list[Token] = []
    prev = toks[i]
    pos = i + 1
    while pos < len(toks) and len(name) < MAX_NAME:
        t = toks[pos]
        separator = text[prev.end : t.start]
        if "\n" in separator or "\r" in separator:
            break
        allowed = ("", ".") if not name and abbreviated else ("",)
        if separator.strip() not in allowed:
            break
        lower_water = kind[0] == "набережная" and t.norm in WATER
        if not (_is_name(t) or lower_water):
            break
        if ORDINAL.match(t.text) and name:
            break  # «пр. Большевиков 2»: a number after the name is the house
        name.append(t)
        prev = t
        pos += 1
        if len([w for w in name if w.text[:1].isupper()]) >= 2:
            break  # «Карла Маркса», «Генерала Симоняка»: two words at most
        nxt = toks[pos] if pos < len(toks) else None
        if nxt is not None and not lower_water and _genitive_tail(text, t, nxt):
            name.append(nxt)  # «пр. Обуховской обороны», «ул. Красных зорь»
            break
    if not name or all(ORDINAL.match(t.text) for t in name):
        return None  # «ул. 5»: a house, not a name
    words = [w for w in name if not ORDINAL.match(w.text)]
    adjective = len(words) == 1 and words[0].text[:1].isupper() and _agrees(words[0].norm, kind[1], kind[2])
    return name, adjective


def _declined_before(word: str, kind: tuple[str, str, str]) -> bool:
    """An adjective in another case before an abbreviated type: «на Европейском пр. 14», «по Садовой ул.»
    (before the type a name in the genitive, such as «Луначарского пр.», is rare, so that case is left out)."""
    _canonical, gender, case = kind
    if case or gender == "neut" or _plural_noun(word):
        return False
    return word.endswith(
        tuple(e for (g, c), ends in AGREEING.items() if g == gender and c != "gent" for e in ends)
    )


def _before(text: str, toks: list[Token], i: int, kind: tuple[str, str, str]) -> list[Token] | None:
    """An adjective name right before the type word at ``i``: «Лермонтовский проспект», «2-я Советская ул.»."""
    if i == 0:
        return None
    t = toks[i - 1]
    if not _joined(text, t, toks[i]) or not t.text[:1].isupper():
        return None
    if not t.text.isalpha() or not (_agrees(t.norm, kind[1], kind[2]) or _declined_before(t.norm, kind)):
        return None
    name = [t]
    j = i - 2
    # «Малая Морская улица», «Большой Сампсониевский проспект»: a second agreeing adjective before it.
    if (
        j >= 0
        and toks[j].text[:1].isupper()
        and toks[j].text.isalpha()
        and _joined(text, toks[j], t)
        and _agrees(toks[j].norm, kind[1], kind[2])
    ):
        name.insert(0, toks[j])
        j -= 1
    # «2-я Советская», «10 Советская улица»: an ordinal before it, or a bare number of one or two digits
    # unless it is a house («дом 14 Садовой улицы»).
    if j >= 0 and _joined(text, toks[j], name[0]):
        bare = toks[j].text.isdigit() and len(toks[j].text) <= 2
        lead = text[: toks[j].start].rstrip()[-1:]
        house = (j > 0 and toks[j - 1].norm in HOUSE_WORDS) or lead in (".", "№", "#", "-", "/")
        if ORDINAL_WORD.match(toks[j].text) or (bare and not house):
            name.insert(0, toks[j])
    return name


def _plural_before(text: str, toks: list[Token], i: int) -> Token | None:
    """A capitalised genitive plural right before the type: «Непокоренных пр.», «Энтузиастов пр.»."""
    if i == 0:
        return None
    t = toks[i - 1]
    if not _joined(text, t, toks[i]) or not t.text.isalpha() or not t.text[:1].isupper():
        return None
    return t if t.norm.endswith(("ых", "их", "ов", "ев")) and len(t.norm) > 4 else None


def _bare_name(word: str, after_preposition: bool) -> str | None:
    """How a name written without the street type reads as a street: a surname in the genitive («Ленина» →
    «улица Ленина»), a feminine relative adjective («Советская», «на Советской» → «Советская улица»; not
    «Парадная 3», «Большой 80»: a qualitative adjective or one that is also a noun is a stairwell or a word);
    None for anything else (a town, a common noun, a first name)."""
    low = word.lower()
    if low in HOUSE_WORDS or low in NOT_NAME:
        return None
    parses = morph().parse(low)
    best = parses[0]
    grammemes = set(best.tag.grammemes)
    if best.tag.POS == "NOUN" and "Surn" in grammemes and "gent" in grammemes and best.score >= 0.4:
        return f"улица {word}"
    adjective = best.tag.POS == "ADJF" and {"femn", "sing"} <= grammemes and not {"Qual", "Geox"} & grammemes
    if not adjective or any(p.tag.POS == "NOUN" for p in parses):
        return None
    if "nomn" not in grammemes and not after_preposition:
        return None
    return f"{_nominative(word, 'femn')} улица"


def _bare_streets(text: str, toks: list[Token], taken: list[StreetMention]) -> list[StreetMention]:
    """«Луга, Ленина 5», «на Гагарина 12к1»: a name and a house number without the street type word."""
    out: list[StreetMention] = []
    for i, t in enumerate(toks):
        if not (t.text.isalpha() and t.text[:1].isupper() and len(t.text) >= 4):
            continue
        if any(m.start <= t.start < m.end for m in taken):
            continue
        lead = text[: t.start].rstrip()
        before = toks[i - 1] if i else None
        after_lead = before is not None and before.norm in BARE_LEAD and _joined(text, before, t)
        if lead and lead[-1] not in ",:;.!?(—-\n" and not after_lead:
            continue
        match = BARE_HOUSE.match(text, t.end)
        if match is None or COUNTED.match(text, match.end()):
            continue
        street = _bare_name(t.text, after_lead)
        if street is None:
            continue
        house = (
            re.sub(r"\s+", "", match.group(1)).replace("корпус", "к").replace("корп", "к").replace("к.", "к")
        )
        kind, name = ("улица", t.text) if street.startswith("улица ") else ("улица", street[: -len(" улица")])
        out.append(StreetMention(street, kind, name, house, t.text, t.start, match.end()))
    return out


def find_streets(text: str) -> list[StreetMention]:
    """Every street named in ``text``, left to right."""
    toks = []
    for t in tokens(text):
        glued = GLUED.match(t.text)  # «Шаврова25»: the name and the house typed together
        if glued:
            cut = t.start + glued.end(1)
            toks += [
                Token(glued.group(1), norm(glued.group(1)), t.start, cut),
                Token(glued.group(2), glued.group(2), cut, t.end),
            ]
        else:
            toks.append(t)
    found: list[StreetMention] = []
    used_until = -1
    for i, t in enumerate(toks):
        if t.start < used_until:
            continue
        kind = _type_at(text, t)
        if kind is None:
            continue
        canonical, gender, _case = kind
        before = _before(text, toks, i, kind)
        after = None if before else _after(text, toks, i, kind)
        if before is None and after is None:
            plural = _plural_before(text, toks, i)  # «Непокоренных пр.» → «проспект Непокоренных»
            if plural is None:
                continue
            after = ([plural], False)
            first_token: Token | None = plural
        else:
            first_token = None
        if before is not None:
            first, last = before[0], t
            words = [
                _ordinal(w.text, gender) if ORDINAL.match(w.text) else _nominative(w.text, gender)
                for w in before
            ]
            name = " ".join(words)
            street = f"{name} {canonical}"
        else:
            assert after is not None
            name_tokens, adjective = after
            first, last = (first_token, t) if first_token is not None else (t, name_tokens[-1])
            if adjective:  # «на улице 5-й Красноармейской» → «5-я Красноармейская улица»
                name = " ".join(
                    _ordinal(w.text, gender) if ORDINAL.match(w.text) else _nominative(w.text, gender)
                    for w in name_tokens
                )
                street = f"{name} {canonical}"
            else:
                name = " ".join(w.text for w in name_tokens)
                street = f"{canonical} {name}"
        end = last.end
        if text.startswith(".", end) and last is t:
            end += 1
        house = ""
        match = HOUSE.match(text[end : end + 40])
        if match and not re.match(r"^\s*\d", text[end + match.end(1) : end + match.end(1) + 1] or "x"):
            house = re.sub(r"\s+", "", match.group(1)).replace("корпус", "к").replace("корп", "к")
            house = house.replace("кор", "к").replace("к.", "к")
        found.append(
            StreetMention(street, canonical, name, house, text[first.start : last.end], first.start, end)
        )
        used_until = last.end
    bare = _bare_streets(text, toks, found)
    return sorted(found + bare, key=lambda m: m.start) if bare else found
